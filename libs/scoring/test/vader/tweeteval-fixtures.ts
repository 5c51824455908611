import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { VaderPolarity } from '../../src/vader/vader-analyzer';

/** libs/scoring/test/fixtures/tweeteval, whether this file runs compiled (dist/...) or from source. */
export const TWEETEVAL_FIXTURES_DIR =
  [resolve(__dirname, '../../../../../libs/scoring/test/fixtures/tweeteval'), resolve(__dirname, '../fixtures/tweeteval')].find(
    (dir) => existsSync(join(dir, 'test_text.txt')),
  ) ?? resolve(__dirname, '../fixtures/tweeteval');

export type TweetEvalSplit = 'val' | 'test';

/** One tweet per line; the files end with a newline and lines keep their trailing spaces. */
export function readTweets(split: TweetEvalSplit, dir = TWEETEVAL_FIXTURES_DIR): string[] {
  const lines = readFileSync(join(dir, `${split}_text.txt`), 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Reference VADER scores (vaderSentiment 44fc044), one `neg neu pos compound` line per tweet. */
export function readReferenceScores(split: TweetEvalSplit, dir = TWEETEVAL_FIXTURES_DIR): VaderPolarity[] {
  return readFileSync(join(dir, `tweeteval_${split}_scores.tsv`), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => {
      const [neg, neu, pos, compound] = line.split('\t').map(Number);
      return { neg: neg ?? NaN, neu: neu ?? NaN, pos: pos ?? NaN, compound: compound ?? NaN };
    });
}
