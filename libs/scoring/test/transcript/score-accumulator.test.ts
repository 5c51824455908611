import { describe, expect, it } from '@jest/globals';
import type { Score } from '../../src/scorer';
import { ScoreAccumulator, labelFromCompound, labelFromScores } from '../../src/transcript/score-accumulator';

const model = (negative: number, neutral: number, positive: number, low_confidence = false, name = 'roberta-onnx'): Score => {
  const scores = { negative, neutral, positive };
  const label = labelFromScores(scores);
  return { label, scores, confidence: scores[label], low_confidence, model: name };
};
const vader = (negative: number, neutral: number, positive: number, compound: number): Score => ({
  label: labelFromCompound(compound),
  scores: { negative, neutral, positive },
  confidence: Math.abs(compound),
  low_confidence: Math.abs(compound) < 0.3,
  compound,
  model: 'vader',
});

describe('ScoreAccumulator', () => {
  it('when one chunk is added, then the result is that score unchanged, compound and flag included', () => {
    const acc = new ScoreAccumulator();
    const only = vader(0.1, 0.7, 0.2, 0.0258);
    acc.add(only, 42);
    expect(acc.result(0.9)).toEqual(only);
    expect(acc.result(0.9)).not.toBe(only);
  });

  it('when chunks have different weights, then the per-label values are weight-averaged and the label is the argmax', () => {
    const acc = new ScoreAccumulator();
    acc.add(model(0.9, 0.1, 0), 1);
    acc.add(model(0, 0.2, 0.8), 3);
    const r = acc.result();
    expect(r.scores.negative).toBeCloseTo(0.225, 12);
    expect(r.scores.neutral).toBeCloseTo(0.175, 12);
    expect(r.scores.positive).toBeCloseTo(0.6, 12);
    expect(r.label).toBe('positive');
    expect(r.confidence).toBeCloseTo(0.6, 12);
    expect(r.compound).toBeUndefined();
    expect(acc.weight).toBe(4);
    expect(acc.chunks).toBe(2);
  });

  it('when the weights are swapped, then the heavier chunk wins instead', () => {
    const acc = new ScoreAccumulator();
    acc.add(model(0.9, 0.1, 0), 3);
    acc.add(model(0, 0.2, 0.8), 1);
    expect(acc.result().label).toBe('negative');
  });

  it('when every chunk has a compound, then the label comes from the weighted compound with the ±0.05 band', () => {
    const acc = new ScoreAccumulator();
    // Proportions alone would say neutral; the compound mean is 0.06.
    acc.add(vader(0, 1, 0, 0), 1);
    acc.add(vader(0, 0.8, 0.2, 0.12), 1);
    const r = acc.result();
    expect(r.compound).toBeCloseTo(0.06, 12);
    expect(r.label).toBe('positive');
    expect(r.confidence).toBeCloseTo(0.06, 12);

    const near = new ScoreAccumulator();
    near.add(vader(0, 1, 0, 0), 1);
    near.add(vader(0, 0.9, 0.1, 0.08), 1);
    expect(near.result().label).toBe('neutral');
    expect(labelFromCompound(0.05)).toBe('positive');
    expect(labelFromCompound(-0.05)).toBe('negative');
    expect(labelFromCompound(0.0499)).toBe('neutral');
  });

  it('when chunks come from two scorers, then model lists both, heaviest first, and compound is omitted', () => {
    const acc = new ScoreAccumulator();
    acc.add(vader(0.5, 0.5, 0, -0.6), 1);
    acc.add(model(0.7, 0.2, 0.1), 5);
    const r = acc.result();
    expect(r.model).toBe('roberta-onnx+vader');
    expect(acc.models()).toEqual(['roberta-onnx', 'vader']);
    expect(r.compound).toBeUndefined();
    expect(r.label).toBe('negative');
  });

  it('when a threshold is given, then low_confidence compares the aggregate confidence with it', () => {
    const acc = new ScoreAccumulator();
    acc.add(model(0.9, 0.1, 0), 1);
    acc.add(model(0, 0.1, 0.9), 1);
    expect(acc.result(0.5).low_confidence).toBe(true); // 0.45 after mixing two confident chunks
    expect(acc.result(0.4).low_confidence).toBe(false);
  });

  it('when no threshold is given, then low_confidence says whether half the weight was flagged by the scorer', () => {
    const acc = new ScoreAccumulator();
    acc.add(model(0.4, 0.35, 0.25, true), 1);
    acc.add(model(0.9, 0.1, 0, false), 2);
    expect(acc.result().low_confidence).toBe(false);
    acc.add(model(0.4, 0.35, 0.25, true), 1);
    expect(acc.result().low_confidence).toBe(true);
  });

  it('when ties happen, then neutral wins, then negative', () => {
    expect(labelFromScores({ negative: 0.4, neutral: 0.4, positive: 0.2 })).toBe('neutral');
    expect(labelFromScores({ negative: 0.45, neutral: 0.1, positive: 0.45 })).toBe('negative');
  });

  it('when nothing was added, then result throws', () => {
    expect(() => new ScoreAccumulator().result()).toThrow(RangeError);
  });
});
