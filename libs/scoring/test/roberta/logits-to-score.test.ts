import { describe, expect, it } from '@jest/globals';
import { logitsToScore, softmax } from '../../src/roberta/logits-to-score';

describe('softmax', () => {
  it('when logits are huge, then probabilities stay finite and sum to 1', () => {
    const probs = softmax([1000, 999, -1000]);
    expect(probs.every(Number.isFinite)).toBe(true);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(probs[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });
});

describe('logitsToScore', () => {
  const labels = ['negative', 'neutral', 'positive'] as const;

  it('when the last logit is the largest, then the label is positive with its softmax probability', () => {
    const score = logitsToScore([0, 1, 3], labels, 0.5, 'roberta-onnx');
    const expected = Math.exp(3) / (1 + Math.exp(1) + Math.exp(3));
    expect(score.label).toBe('positive');
    expect(score.confidence).toBeCloseTo(expected, 12);
    expect(score.scores.positive).toBeCloseTo(expected, 12);
    expect(score.scores.negative + score.scores.neutral + score.scores.positive).toBeCloseTo(1, 12);
    expect(score.low_confidence).toBe(false);
    expect(score.model).toBe('roberta-onnx');
  });

  it('when id2label orders the columns differently, then each probability lands on its own label', () => {
    const score = logitsToScore([5, 0, 0], ['positive', 'negative', 'neutral'], 0.5, 'm');
    expect(score.label).toBe('positive');
    expect(score.scores.positive).toBeGreaterThan(0.9);
  });

  it('when the best probability is under the threshold, then the score is flagged low_confidence', () => {
    const score = logitsToScore([0.1, 0, 0], labels, 0.5, 'm');
    expect(score.label).toBe('negative');
    expect(score.confidence).toBeLessThan(0.5);
    expect(score.low_confidence).toBe(true);
  });

  it('when a logit is NaN, then it throws instead of inventing a label', () => {
    expect(() => logitsToScore([NaN, 0, 0], labels, 0.5, 'm')).toThrow(RangeError);
  });
});
