import { describe, expect, it } from '@jest/globals';
import { analyzeTranscript } from '../../src/transcript';
import { KeywordScorer, keywordModelScore, wholeText } from './keyword-scorer';

const segments = [
  { speaker: 'customer', text: 'this is terrible and I am angry' },
  { speaker: 'agent', text: 'sorry to hear that happy to look' },
  { speaker: 'customer', text: 'it has been broken for weeks' },
  { speaker: 'agent', text: 'great news it is resolved now thanks' },
];

describe('analyzeTranscript per speaker', () => {
  it('when two speakers alternate, then each speaker aggregates only their own segments, weighted by length', async () => {
    const analysis = await analyzeTranscript({ call_id: 'c', segments }, { scorer: new KeywordScorer(), chunk: wholeText });
    const speakers = analysis.speakers ?? {};
    expect(Object.keys(speakers)).toEqual(['customer', 'agent']);

    const customer = speakers['customer'];
    expect(customer?.segments).toBe(2);
    expect(customer?.chunks).toBe(2);
    expect(customer?.weight).toBe(7 + 6);
    expect(customer?.label).toBe('negative');
    const c0 = keywordModelScore(segments[0]!.text).scores;
    const c2 = keywordModelScore(segments[2]!.text).scores;
    expect(customer?.scores.negative).toBeCloseTo((7 * c0.negative + 6 * c2.negative) / 13, 12);

    const agent = speakers['agent'];
    expect(agent?.segments).toBe(2);
    expect(agent?.weight).toBe(7 + 7);
    expect(agent?.label).toBe('positive');
  });

  it('when segments are returned, then they keep event order, indexes, speakers and timings', async () => {
    const timed = segments.map((s, i) => ({ ...s, start_ms: i * 1000, end_ms: i * 1000 + 900 }));
    const analysis = await analyzeTranscript({ call_id: 'c', segments: timed }, { scorer: new KeywordScorer(), chunk: wholeText });
    expect(analysis.segments?.map((s) => [s.index, s.speaker, s.start_ms, s.end_ms, s.label, s.chunks])).toEqual([
      [0, 'customer', 0, 900, 'negative', 1],
      [1, 'agent', 1000, 1900, 'positive', 1],
      [2, 'customer', 2000, 2900, 'negative', 1],
      [3, 'agent', 3000, 3900, 'positive', 1],
    ]);
    const { index: _i, speaker: _s, start_ms: _a, end_ms: _b, chunks: _c, weight: _w, ...score } = analysis.segments![3]!;
    expect(score).toEqual(keywordModelScore(segments[3]!.text));
  });

  it('when includeSegments is false, then segments are left out but speakers remain', async () => {
    const analysis = await analyzeTranscript(
      { call_id: 'c', segments },
      { scorer: new KeywordScorer(), chunk: wholeText, includeSegments: false },
    );
    expect(analysis.segments).toBeUndefined();
    expect(Object.keys(analysis.speakers ?? {})).toEqual(['customer', 'agent']);
  });

  it('when a speaker is called __proto__, then it is an ordinary key', async () => {
    const analysis = await analyzeTranscript(
      { call_id: 'c', segments: [{ speaker: '__proto__', text: 'happy' }] },
      { scorer: new KeywordScorer(), chunk: wholeText },
    );
    expect(Object.keys(analysis.speakers ?? {})).toEqual(['__proto__']);
    expect(JSON.parse(JSON.stringify(analysis.speakers))).toHaveProperty(['__proto__', 'label'], 'positive');
  });
});
