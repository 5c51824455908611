import { describe, expect, it } from '@jest/globals';
import type { CallSegment } from '@sentiment/events';
import { analyzeTranscript } from '../../src';
import { KeywordScorer, keywordModelScore, wordWindowChunker } from './keyword-scorer';

const LIMIT = 128; // words per window, standing in for RoBERTa's token limit

/** A deterministic ~5,000-word call: the customer is angry early and happy late; some turns run long. */
function buildCall(): CallSegment[] {
  const segments: CallSegment[] = [];
  const filler = ['the', 'account', 'number', 'is', 'on', 'my', 'bill', 'from', 'last', 'month'];
  for (let i = 0; i < 80; i++) {
    const speaker = i % 2 === 0 ? 'customer' : 'agent';
    const length = i % 9 === 0 ? 300 : 50; // every ninth turn is over the window limit
    const words: string[] = [];
    for (let w = 0; w < length; w++) {
      let word = filler[(i + w) % filler.length] as string;
      if (w % 10 === 3) {
        if (speaker === 'customer') word = i < 30 ? 'angry' : i >= 55 ? 'happy' : word;
        else word = 'great';
      }
      words.push(word);
    }
    segments.push({ speaker, text: words.join(' '), start_ms: i * 20_000, end_ms: i * 20_000 + 15_000 });
  }
  return segments;
}

/** Straightforward reference: weighted mean of window scores, computed independently. */
function reference(texts: string[]): { negative: number; neutral: number; positive: number; weight: number } {
  const sum = { negative: 0, neutral: 0, positive: 0, weight: 0 };
  for (const t of texts) {
    for (const w of wordWindowChunker(LIMIT)(t)) {
      const n = w.split(' ').length;
      const s = keywordModelScore(w).scores;
      sum.negative += n * s.negative;
      sum.neutral += n * s.neutral;
      sum.positive += n * s.positive;
      sum.weight += n;
    }
  }
  return { negative: sum.negative / sum.weight, neutral: sum.neutral / sum.weight, positive: sum.positive / sum.weight, weight: sum.weight };
}

describe('analyzeTranscript on a 5,000-word two-speaker call', () => {
  it('when the call is analysed, then per-segment, per-speaker, overall and trajectory results agree with a reference', async () => {
    const segments = buildCall();
    const scorer = new KeywordScorer('model', LIMIT);
    const analysis = await analyzeTranscript({ call_id: 'long', segments }, { scorer, chunk: wordWindowChunker(LIMIT) });

    const totalWords = segments.reduce((n, s) => n + s.text.split(' ').length, 0);
    expect(totalWords).toBeGreaterThanOrEqual(5_000);
    expect(analysis.units).toBe(totalWords);
    expect(scorer.calls).toHaveLength(1);

    // per segment
    expect(analysis.segments).toHaveLength(80);
    analysis.segments!.forEach((seg, i) => {
      expect(seg.index).toBe(i);
      expect(seg.chunks).toBe(Math.ceil(segments[i]!.text.split(' ').length / LIMIT));
      const ref = reference([segments[i]!.text]);
      expect(seg.scores.negative).toBeCloseTo(ref.negative, 10);
      expect(seg.scores.positive).toBeCloseTo(ref.positive, 10);
    });
    expect(analysis.chunks).toBe(analysis.segments!.reduce((n, s) => n + s.chunks, 0));
    expect(analysis.segments![0]!.chunks).toBe(3);

    // per speaker
    for (const name of ['customer', 'agent']) {
      const own = segments.filter((s) => s.speaker === name).map((s) => s.text);
      const ref = reference(own);
      const got = analysis.speakers![name]!;
      expect(got.segments).toBe(40);
      expect(got.weight).toBe(ref.weight);
      expect(got.scores.negative).toBeCloseTo(ref.negative, 10);
      expect(got.scores.neutral).toBeCloseTo(ref.neutral, 10);
      expect(got.scores.positive).toBeCloseTo(ref.positive, 10);
    }
    expect(analysis.speakers!['agent']!.label).toBe('positive');

    // overall
    const all = reference(segments.map((s) => s.text));
    expect(analysis.overall.scores.negative).toBeCloseTo(all.negative, 10);
    expect(analysis.overall.scores.positive).toBeCloseTo(all.positive, 10);
    expect(analysis.overall.models).toEqual(['keyword-model']);

    // trajectory: timings on every segment, so thirds are by time
    expect(analysis.trajectory.basis).toBe('time');
    expect(analysis.trajectory.first_third.scores.negative).toBeGreaterThan(analysis.trajectory.last_third.scores.negative);
    expect(analysis.trajectory.trend).toBe('improving');
  });
});
