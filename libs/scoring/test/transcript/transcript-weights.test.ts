import { describe, expect, it } from '@jest/globals';
import { analyzeTranscript } from '../../src/transcript';
import { KeywordScorer, keywordModelScore, keywordVaderScore, wholeText } from './keyword-scorer';

describe('analyzeTranscript weights', () => {
  it('when a plain text event is one chunk, then overall is exactly that chunk score', async () => {
    const text = 'The agent was great but the wait was terrible and awful';
    const analysis = await analyzeTranscript({ call_id: 'c1', text }, { scorer: new KeywordScorer('model'), chunk: wholeText });
    const { models, ...overall } = analysis.overall;
    expect(overall).toEqual(keywordModelScore(text));
    expect(models).toEqual(['keyword-model']);
    expect(analysis.source).toBe('text');
    expect(analysis.segments).toBeUndefined();
    expect(analysis.speakers).toBeUndefined();
    expect(analysis.chunks).toBe(1);
    expect(analysis.units).toBe(11);
  });

  it('when a VADER-style text is one chunk, then compound, confidence and flag pass through untouched', async () => {
    const text = 'love it, wonderful, but broken';
    const analysis = await analyzeTranscript(
      { call_id: 'c1', text },
      { scorer: new KeywordScorer('vader'), chunk: wholeText, lowConfidenceThreshold: 0.99 },
    );
    const expected = keywordVaderScore(text);
    expect(analysis.overall.compound).toBe(expected.compound);
    expect(analysis.overall.confidence).toBe(expected.confidence);
    expect(analysis.overall.low_confidence).toBe(expected.low_confidence);
  });

  it('when segments differ in length, then overall weights each chunk by its word count', async () => {
    const short = 'angry'; // 1 word: negative 2/3, neutral 1/3
    const long = 'thanks this is resolved now all good'; // 7 words: positive 0.8, neutral 0.2
    const analysis = await analyzeTranscript(
      { call_id: 'c2', segments: [{ speaker: 'a', text: short }, { speaker: 'b', text: long }] },
      { scorer: new KeywordScorer('model'), chunk: wholeText },
    );
    const s = keywordModelScore(short).scores;
    const l = keywordModelScore(long).scores;
    expect(analysis.units).toBe(8);
    expect(analysis.overall.scores.negative).toBeCloseTo((1 * s.negative + 7 * l.negative) / 8, 12);
    expect(analysis.overall.scores.neutral).toBeCloseTo((1 * s.neutral + 7 * l.neutral) / 8, 12);
    expect(analysis.overall.scores.positive).toBeCloseTo((1 * s.positive + 7 * l.positive) / 8, 12);
    expect(analysis.overall.label).toBe('positive');
  });

  it('when a custom weight function is given, then it replaces word counts', async () => {
    const analysis = await analyzeTranscript(
      { call_id: 'c3', segments: [{ speaker: 'a', text: 'angry' }, { speaker: 'b', text: 'thanks this is resolved now all good' }] },
      // Weigh the one negative word 100 times heavier than the rest.
      { scorer: new KeywordScorer('model'), chunk: wholeText, weight: (t) => (t === 'angry' ? 100 : 1) },
    );
    expect(analysis.units).toBe(101);
    expect(analysis.overall.label).toBe('negative');
  });

  it('when the chunker supplies weights with its pieces, then those weights are used', async () => {
    const analysis = await analyzeTranscript(
      { call_id: 'c4', text: 'angry | thanks resolved' },
      {
        scorer: new KeywordScorer('model'),
        chunk: (t) => t.split('|').map((text, i) => ({ text, weight: i === 0 ? 9 : 1 })),
        weight: () => {
          throw new Error('weight must not be called when the chunker gave one');
        },
      },
    );
    expect(analysis.units).toBe(10);
    expect(analysis.overall.label).toBe('negative');
  });

  it('when a weight is zero, negative or NaN, then the chunk counts as 1', async () => {
    const analysis = await analyzeTranscript(
      { call_id: 'c5', segments: [{ speaker: 'a', text: 'x' }, { speaker: 'b', text: 'y' }, { speaker: 'c', text: 'z' }] },
      { scorer: new KeywordScorer('model'), chunk: wholeText, weight: (t) => (t === 'x' ? 0 : t === 'y' ? -3 : NaN) },
    );
    expect(analysis.units).toBe(3);
  });

  it('when many VADER chunks are aggregated, then compound is their weighted mean and sets the label', async () => {
    const a = 'hate this'; // compound -1/4 = -0.25, 2 words
    const b = 'fine ok good enough then'; // compound 0, 5 words
    const analysis = await analyzeTranscript(
      { call_id: 'c6', segments: [{ speaker: 'a', text: a }, { speaker: 'b', text: b }] },
      { scorer: new KeywordScorer('vader'), chunk: wholeText },
    );
    const expected = (2 * (keywordVaderScore(a).compound as number) + 5 * 0) / 7;
    expect(analysis.overall.compound).toBeCloseTo(expected, 12);
    expect(analysis.overall.label).toBe('negative'); // -0.0714 is past -0.05
    expect(analysis.overall.confidence).toBeCloseTo(Math.abs(expected), 12);
  });
});
