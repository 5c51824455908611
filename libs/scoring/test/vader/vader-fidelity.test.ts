import { describe, it, expect } from '@jest/globals';
import { analyzeVader } from '../../src/vader/analyze-vader';
import { readReferenceScores, readTweets, type TweetEvalSplit } from './tweeteval-fixtures';

const TOLERANCE = 1e-4;
const REQUIRED_SHARE = 0.999;

/** Compares every tweet of a split with the reference; returns the agreement counts. */
function agreement(split: TweetEvalSplit): { total: number; compound: number; proportions: number } {
  const tweets = readTweets(split);
  const reference = readReferenceScores(split);
  expect(reference).toHaveLength(tweets.length);
  let compound = 0;
  let proportions = 0;
  tweets.forEach((tweet, i) => {
    const ours = analyzeVader(tweet);
    const ref = reference[i];
    if (ref === undefined) return;
    // The reference rounds to 4 decimals: a 1e-4 difference is one rounding step (plus float noise).
    if (Math.abs(ours.compound - ref.compound) <= TOLERANCE + 1e-9) compound++;
    if (ours.neg === ref.neg && ours.neu === ref.neu && ours.pos === ref.pos) proportions++;
  });
  console.log(
    `VADER fidelity on TweetEval ${split}: compound within ${TOLERANCE} on ${compound}/${tweets.length}, ` +
      `neg/neu/pos identical on ${proportions}/${tweets.length}`,
  );
  return { total: tweets.length, compound, proportions };
}

describe('VADER fidelity to vaderSentiment 44fc044 on TweetEval', () => {
  it.each<TweetEvalSplit>(['val', 'test'])(
    'when every %s tweet is scored, then at least 99.9%% match the reference compound within 1e-4 and neg/neu/pos exactly',
    (split) => {
      const { total, compound, proportions } = agreement(split);
      expect(total).toBe(split === 'val' ? 2000 : 12284);
      expect(compound / total).toBeGreaterThanOrEqual(REQUIRED_SHARE);
      expect(proportions / total).toBeGreaterThanOrEqual(REQUIRED_SHARE);
    },
  );
});
