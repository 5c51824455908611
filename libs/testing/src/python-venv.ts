import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { KafkaHarnessError } from './harness-error';
import { repoRoot } from './repo-paths';

const run = promisify(execFile);
const ready = new Map<string, Promise<string>>();

/**
 * A Python virtualenv with a pinned requirements file installed (from PyPI), for the dev-only
 * foreign clients the tests drive (confluent-kafka's librdkafka, ...). Made once per content of
 * the requirements file in .cache/python/<name>-<hash>; resolves to its python executable.
 */
export function ensurePythonVenv(name: string, requirements: string): Promise<string> {
  const file = path.join(repoRoot(), requirements);
  const key = `${name}:${file}`;
  let pending = ready.get(key);
  if (!pending) {
    pending = (async () => {
      const hash = createHash('sha256').update(readFileSync(file, 'utf8')).digest('hex').slice(0, 12);
      const venv = path.join(repoRoot(), '.cache', 'python', `${name}-${hash}`);
      const python = path.join(venv, 'bin', 'python3');
      if (existsSync(path.join(venv, '.complete'))) return python;
      const staging = `${venv}.staging-${process.pid}`;
      rmSync(staging, { recursive: true, force: true });
      try {
        await run(process.env['PYTHON'] ?? 'python3', ['-m', 'venv', staging]);
        await run(path.join(staging, 'bin', 'pip'), ['install', '-q', '--disable-pip-version-check', '-r', file], { maxBuffer: 10 * 1024 * 1024 });
        writeFileSync(path.join(staging, '.complete'), `${new Date().toISOString()}\n`);
        try {
          renameSync(staging, venv);
        } catch (err) {
          // Another process made it first (a jest worker beside this one): use that one.
          if (!existsSync(path.join(venv, '.complete'))) throw err;
          rmSync(staging, { recursive: true, force: true });
        }
      } catch (err) {
        rmSync(staging, { recursive: true, force: true });
        throw new KafkaHarnessError(`cannot set up the Python environment ${name} (python3 -m venv + pip install -r ${requirements}): ${(err as Error).message}`, { cause: err });
      }
      return python;
    })();
    pending.catch(() => ready.delete(key));
    ready.set(key, pending);
  }
  return pending;
}

/** Runs a Python script of the repo with that environment; resolves to its stdout. */
export async function runPythonScript(python: string, script: string, args: readonly string[], timeoutMs = 180_000): Promise<string> {
  const { stdout } = await run(python, [path.join(repoRoot(), script), ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
