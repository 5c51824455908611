import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '@sentiment/errors';

const MARKER = 'vader_lexicon.txt';

/**
 * Where the lexicons may be, most specific first. The data ships in the source tree
 * (libs/scoring/data/vader), not in dist/, so the path depends on where this file runs:
 * - compiled: <root>/dist/libs/scoring/src/vader -> <root>/libs/scoring/data/vader
 *   (a Docker image copies dist/ and libs/ side by side under the same root);
 * - from source (ts-node): libs/scoring/src/vader -> libs/scoring/data/vader;
 * - otherwise wherever Node resolves the @sentiment/scoring package (workspace symlink).
 */
export function vaderDataDirCandidates(fromDir: string = __dirname): string[] {
  const candidates = [
    resolve(fromDir, '../../../../../libs/scoring/data/vader'),
    resolve(fromDir, '../../data/vader'),
  ];
  try {
    candidates.push(join(dirname(require.resolve('@sentiment/scoring/package.json')), 'data/vader'));
  } catch {
    // Not resolvable as a package (e.g. a bundled copy): the relative candidates remain.
  }
  return candidates;
}

/** The first candidate directory that holds the lexicons; a ConfigError naming all tried otherwise. */
export function resolveVaderDataDir(fromDir: string = __dirname): string {
  const candidates = vaderDataDirCandidates(fromDir);
  const found = candidates.find((dir) => existsSync(join(dir, MARKER)));
  if (found === undefined) {
    throw new ConfigError(`VADER lexicons not found; looked in ${candidates.join(', ')}`, {
      details: { candidates },
    });
  }
  return found;
}
