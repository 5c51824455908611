import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root; this file runs compiled from dist/scripts/lib. */
export const repoRoot = join(__dirname, '..', '..', '..');

/** The TweetEval val/test texts, labels and reference VADER scores kept as test fixtures. */
export const tweetEvalFixturesDir = join(repoRoot, 'libs', 'scoring', 'test', 'fixtures', 'tweeteval');

/** One entry per line, without the empty string after a final newline. */
export function readLines(file: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
