import { describe, expect, it } from '@jest/globals';
import { analyzeTranscript } from '../../src/transcript';
import { labelFromScores } from '../../src/transcript/score-accumulator';
import type { Score } from '../../src/scorer';

// The worked example of docs/aggregation.md: keep the two in step.
const table: Record<string, { weight: number; p: [number, number, number] }> = {
  S0: { weight: 40, p: [0.8, 0.15, 0.05] },
  S1: { weight: 20, p: [0.05, 0.6, 0.35] },
  S2a: { weight: 30, p: [0.3, 0.5, 0.2] },
  S2b: { weight: 30, p: [0.02, 0.08, 0.9] },
};
const scorer = {
  score: async (texts: readonly string[]): Promise<Score[]> =>
    texts.map((t) => {
      const [negative, neutral, positive] = table[t]!.p;
      const scores = { negative, neutral, positive };
      const label = labelFromScores(scores);
      return { label, scores, confidence: scores[label], low_confidence: scores[label] < 0.5, model: 'roberta-onnx' };
    }),
};

describe('docs/aggregation.md worked example', () => {
  it('when the example call is analysed, then the numbers are those in the document', async () => {
    const a = await analyzeTranscript(
      {
        call_id: 'example',
        segments: [
          { speaker: 'customer', text: 'S0' },
          { speaker: 'agent', text: 'S1' },
          { speaker: 'customer', text: 'S2a|S2b' },
        ],
      },
      { scorer, chunk: (t) => t.split('|'), weight: (t) => table[t]!.weight, lowConfidenceThreshold: 0.5 },
    );
    expect(a.units).toBe(120);
    expect(a.chunks).toBe(4);
    expect(a.overall.scores.negative).toBeCloseTo(0.355, 12);
    expect(a.overall.scores.neutral).toBeCloseTo(0.295, 12);
    expect(a.overall.scores.positive).toBeCloseTo(0.35, 12);
    expect(a.overall.label).toBe('negative');
    expect(a.overall.low_confidence).toBe(true);

    const seg2 = a.segments![2]!;
    expect([seg2.scores.negative, seg2.scores.neutral, seg2.scores.positive].map((x) => +x.toFixed(6))).toEqual([0.16, 0.29, 0.55]);
    expect(seg2.label).toBe('positive');
    expect(seg2.chunks).toBe(2);

    const customer = a.speakers!['customer']!;
    expect([customer.scores.negative, customer.scores.neutral, customer.scores.positive].map((x) => +x.toFixed(6))).toEqual([0.416, 0.234, 0.35]);
    expect(customer.label).toBe('negative');
    expect(a.speakers!['agent']!.scores).toEqual({ negative: 0.05, neutral: 0.6, positive: 0.35 });

    const t = a.trajectory;
    expect(t.first_third.scores).toEqual({ negative: 0.8, neutral: 0.15, positive: 0.05 });
    expect(t.first_third.polarity).toBeCloseTo(-0.75, 12);
    expect(t.last_third.weight).toBeCloseTo(40, 12);
    expect(t.last_third.chunks).toBe(2);
    expect(t.last_third.scores.negative).toBeCloseTo(0.09, 12);
    expect(t.last_third.scores.neutral).toBeCloseTo(0.185, 12);
    expect(t.last_third.scores.positive).toBeCloseTo(0.725, 12);
    expect(t.delta).toBeCloseTo(1.385, 12);
    expect(t.trend).toBe('improving');
  });

  it('when the example call has timings, then thirds are by time with the numbers in the document', async () => {
    const a = await analyzeTranscript(
      {
        call_id: 'example',
        segments: [
          { speaker: 'customer', text: 'S0', start_ms: 0, end_ms: 12_000 },
          { speaker: 'agent', text: 'S1', start_ms: 12_000, end_ms: 20_000 },
          { speaker: 'customer', text: 'S2a|S2b', start_ms: 20_000, end_ms: 40_000 },
        ],
      },
      { scorer, chunk: (t) => t.split('|'), weight: (t) => table[t]!.weight },
    );
    const t = a.trajectory;
    expect(t.basis).toBe('time');
    expect(t.first_third.weight).toBeCloseTo(130 / 3, 9);
    expect(t.first_third.scores.negative).toBeCloseTo(193 / 260, 9);
    expect(t.first_third.polarity).toBeCloseTo(-174 / 260, 9);
    expect(t.last_third.scores.positive).toBeCloseTo(0.725, 9);
    expect(t.delta).toBeCloseTo(0.635 + 174 / 260, 9);
    expect(t.trend).toBe('improving');
  });

  it('when two VADER chunks are averaged, then the compound mean decides the label', async () => {
    const vader = {
      score: async (texts: readonly string[]): Promise<Score[]> =>
        texts.map((t) =>
          t === 'A'
            ? { label: 'positive', scores: { negative: 0, neutral: 0.6, positive: 0.4 }, confidence: 0.6, low_confidence: false, compound: 0.6, model: 'vader' }
            : { label: 'negative', scores: { negative: 0.1, neutral: 0.9, positive: 0 }, confidence: 0.2, low_confidence: false, compound: -0.2, model: 'vader' },
        ),
    };
    const a = await analyzeTranscript(
      { call_id: 'v', text: 'A|B' },
      { scorer: vader, chunk: (t) => t.split('|'), weight: (t) => (t === 'A' ? 10 : 30) },
    );
    expect(a.overall.compound).toBeCloseTo(0, 12);
    expect(a.overall.label).toBe('neutral');
    expect(a.overall.scores.positive).toBeCloseTo(0.1, 12);
    expect(a.overall.scores.negative).toBeCloseTo(0.075, 12);
  });
});
