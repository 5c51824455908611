import type { LabelScores, Score, SentimentLabel } from '../scorer';

/** Numerically stable softmax (subtracts the max before exponentiating). */
export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] ?? -Infinity);
  const exps = Array.from(logits, (v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/**
 * Turns one row of logits into a Score. `labels[i]` names column i; the label is the argmax,
 * `confidence` its probability, flagged (never dropped) when under `lowConfidenceThreshold`.
 */
export function logitsToScore(
  logits: ArrayLike<number>,
  labels: readonly SentimentLabel[],
  lowConfidenceThreshold: number,
  model: string,
): Score {
  const probs = softmax(logits);
  const scores: LabelScores = { negative: 0, neutral: 0, positive: 0 };
  let best = 0;
  probs.forEach((p, i) => {
    const label = labels[i];
    if (label !== undefined) scores[label] = p;
    if (p > (probs[best] ?? -1)) best = i;
  });
  const confidence = probs[best] ?? 0;
  const label = labels[best];
  if (label === undefined || !Number.isFinite(confidence)) {
    throw new RangeError(`cannot score logits [${Array.from(logits).join(', ')}]`);
  }
  return { label, scores, confidence, low_confidence: confidence < lowConfidenceThreshold, model };
}
