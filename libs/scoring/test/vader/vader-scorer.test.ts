import { describe, it, expect } from '@jest/globals';
import { ConfigError } from '@sentiment/errors';
import { VaderScorer } from '../../src/vader/vader-scorer';
import { readTweets } from './tweeteval-fixtures';

describe('VaderScorer', () => {
  const scorer = new VaderScorer();

  it('when a text is clearly positive, then the label is positive with |compound| as confidence', async () => {
    const [score] = await scorer.score(['The movie was very good']);
    expect(score).toEqual({
      label: 'positive',
      scores: { negative: 0, neutral: 0.556, positive: 0.444 },
      confidence: 0.4927,
      low_confidence: false,
      compound: 0.4927,
      model: 'vader',
    });
  });

  it('when a text is negative, then the label is negative and confidence is positive', async () => {
    const [score] = await scorer.score(['I am NOT happy']);
    expect(score?.label).toBe('negative');
    expect(score?.compound).toBe(-0.4585);
    expect(score?.confidence).toBe(0.4585);
  });

  it('when compound is inside (-0.05, 0.05), then the label is neutral and flagged low confidence', async () => {
    const [score] = await scorer.score(['The meeting is at 3 pm in room 12']);
    expect(score).toMatchObject({ label: 'neutral', confidence: 0, low_confidence: true });
  });

  it('when compound is exactly on a cut-off, then the cut-off belongs to the polar label', async () => {
    const { vaderLabel } = await import('../../src/vader/vader-label');
    expect([vaderLabel(0.05), vaderLabel(-0.05), vaderLabel(0.0499), vaderLabel(-0.0499)]).toEqual([
      'positive',
      'negative',
      'neutral',
      'neutral',
    ]);
  });

  it('when a threshold is configured, then low_confidence follows it', async () => {
    const strict = new VaderScorer({ lowConfidenceThreshold: 0.6 });
    const [weak, strong] = await strict.score(['The movie was very good', 'The movie was VERY good!!!']);
    expect(weak?.low_confidence).toBe(true);
    expect(strong?.low_confidence).toBe(false);
  });

  it('when texts are empty or not strings, then each scores neutral with zeros and nothing throws', async () => {
    const scores = await scorer.score(['', null, 7, undefined, {}] as unknown as string[]);
    expect(scores).toHaveLength(5);
    for (const score of scores) {
      expect(score).toEqual({
        label: 'neutral',
        scores: { negative: 0, neutral: 0, positive: 0 },
        confidence: 0,
        low_confidence: true,
        compound: 0,
        model: 'vader',
      });
    }
  });

  it('when the batch is empty, then the result is empty', async () => {
    await expect(scorer.score([])).resolves.toEqual([]);
  });

  it('when 2,000 texts are scored, then a setImmediate callback queued before runs before the batch completes', async () => {
    const texts = readTweets('val');
    expect(texts).toHaveLength(2000);
    const events: string[] = [];
    setImmediate(() => events.push('immediate'));
    await scorer.score(texts).then(() => events.push('scored'));
    expect(events).toEqual(['immediate', 'scored']);
  });

  it('when the slice budget is tiny, then the loop runs between slices many times and results keep their order', async () => {
    const texts = readTweets('val').slice(0, 200);
    const sliced = new VaderScorer({ sliceBudgetMs: 0.001 });
    let turns = 0;
    let done = false;
    const tick = (): void => {
      turns++;
      if (!done) setImmediate(tick);
    };
    setImmediate(tick);
    const scores = await sliced.score(texts);
    done = true;
    expect(turns).toBeGreaterThan(50);
    expect(scores).toEqual(texts.map((t) => scorer.scoreOne(t)));
  });

  it.each([{ lowConfidenceThreshold: -0.1 }, { lowConfidenceThreshold: 1.5 }, { lowConfidenceThreshold: NaN }, { sliceBudgetMs: 0 }])(
    'when the options are invalid (%j), then the constructor throws a ConfigError',
    (options) => {
      expect(() => new VaderScorer(options)).toThrow(ConfigError);
    },
  );

  it('when closed twice, then both calls resolve', async () => {
    const s = new VaderScorer();
    await expect(s.close()).resolves.toBeUndefined();
    await expect(s.close()).resolves.toBeUndefined();
  });
});
