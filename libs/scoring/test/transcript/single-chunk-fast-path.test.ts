import { describe, expect, it } from '@jest/globals';
import { analyzeTranscript } from '../../src/transcript';
import { computeTrajectory, spansByWeight } from '../../src/transcript/trajectory';
import { ScoreAccumulator } from '../../src/transcript/score-accumulator';
import { VaderScorer } from '../../src/vader/vader-scorer';
import type { Score } from '../../src/scorer';

describe('single-chunk fast path', () => {
  const scorer = new VaderScorer();
  const texts = ['I love this so much!', 'This is terrible.', 'The meeting is at noon.', 'NOT good at all 😠'];

  it.each(texts)('when a short text is analysed (%s), then the result equals the general aggregation', async (text) => {
    const analysis = await analyzeTranscript({ call_id: 'c', text }, { scorer, chunk: (t) => [t] });
    const [score] = (await scorer.score([text])) as [Score];
    const weight = analysis.units;
    const acc = new ScoreAccumulator();
    acc.add(score, weight);
    expect(analysis.overall).toEqual({ ...acc.result(undefined), models: acc.models() });
    expect(analysis.trajectory).toEqual(await computeTrajectory([score], [weight], spansByWeight([weight])));
    expect(analysis.chunks).toBe(1);
  });
});
