import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { repoRoot } from '../lib/repo-files';

/*
 * The duplicate-code check of `npm run lint` (jscpd with .jscpd.json), run on small trees: a
 * block copied between two libraries' src fails it; the same copy in a test directory does not
 * count (only libs/* /src and services/* /src are checked).
 */

const dirs: string[] = [];
// A real block of ours (~300 tokens), far over the 50-token threshold.
const block = readFileSync(join(repoRoot, 'libs', 'http', 'src', 'request-drain.ts'), 'utf8');

/** jscpd with the repository's .jscpd.json, placed in the tree (its paths are relative to the config file). */
function jscpd(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'duplicate-code-'));
  dirs.push(dir);
  const tree = { 'services/worker/src/main.ts': 'export const main = 1;\n', ...files, '.jscpd.json': readFileSync(join(repoRoot, '.jscpd.json'), 'utf8') };
  for (const [file, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  const bin = join(repoRoot, 'node_modules', 'jscpd', 'bin', 'jscpd');
  return spawnSync(process.execPath, [bin, '--config', '.jscpd.json', '--no-colors'], { cwd: dir, encoding: 'utf8' });
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the duplicate-code check of npm run lint', () => {
  it('when a block is copied from one library into another, then the check fails and names both files', () => {
    const run = jscpd({ 'libs/http/src/request-drain.ts': block, 'libs/events/src/copied.ts': block });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/Clone found/);
    expect(run.stdout).toContain('copied.ts');
  });

  it('when the only copy is under a test directory, then the check passes', () => {
    const run = jscpd({ 'libs/http/src/request-drain.ts': block, 'libs/http/test/copied.ts': block });
    expect(run.stdout).toMatch(/Found 0 clones/);
    // One file analysed: the src copy (the test directory is not looked at; the tiny service file is under the threshold).
    expect(run.stdout).toMatch(/typescript\s*│\s*1\s/);
    expect(run.status).toBe(0);
  });
});
