import type { LabelScores, Score, SentimentLabel } from '../scorer';

/** VADER's conventional neutral band on the compound score. */
export const COMPOUND_POSITIVE_THRESHOLD = 0.05;
export const COMPOUND_NEGATIVE_THRESHOLD = -0.05;

export function labelFromCompound(compound: number): SentimentLabel {
  if (compound >= COMPOUND_POSITIVE_THRESHOLD) return 'positive';
  if (compound <= COMPOUND_NEGATIVE_THRESHOLD) return 'negative';
  return 'neutral';
}

/** argmax; exact ties go to neutral, then negative (the conservative reading). */
export function labelFromScores(scores: LabelScores): SentimentLabel {
  let label: SentimentLabel = 'neutral';
  let best = scores.neutral;
  if (scores.negative > best) {
    label = 'negative';
    best = scores.negative;
  }
  if (scores.positive > best) label = 'positive';
  return label;
}

function copyScore(score: Score): Score {
  const out: Score = {
    label: score.label,
    scores: { negative: score.scores.negative, neutral: score.scores.neutral, positive: score.scores.positive },
    confidence: score.confidence,
    low_confidence: score.low_confidence,
    model: score.model,
  };
  if (score.compound !== undefined) out.compound = score.compound;
  return out;
}

/**
 * Running weighted sums over chunk scores. Adding is O(1) and the result does not depend on
 * the order of additions, so one pass over a call's chunks feeds every segment, speaker and
 * window accumulator at once.
 */
export class ScoreAccumulator {
  weight = 0;
  chunks = 0;
  private negative = 0;
  private neutral = 0;
  private positive = 0;
  private compound = 0;
  private allCompound = true;
  private lowConfidenceWeight = 0;
  private only: Score | undefined;
  // Nearly always one scorer: keep its name and weight inline, a Map only after a fallback.
  private firstModel: string | undefined;
  private firstModelWeight = 0;
  private otherModels: Map<string, number> | undefined;

  add(score: Score, weight: number): void {
    this.chunks++;
    this.only = this.chunks === 1 ? score : undefined;
    this.weight += weight;
    this.negative += weight * score.scores.negative;
    this.neutral += weight * score.scores.neutral;
    this.positive += weight * score.scores.positive;
    if (score.compound === undefined) this.allCompound = false;
    else this.compound += weight * score.compound;
    if (score.low_confidence) this.lowConfidenceWeight += weight;
    if (this.firstModel === undefined || this.firstModel === score.model) {
      this.firstModel = score.model;
      this.firstModelWeight += weight;
    } else {
      this.otherModels ??= new Map();
      this.otherModels.set(score.model, (this.otherModels.get(score.model) ?? 0) + weight);
    }
  }

  /** Contributing scorer names, most weight first. */
  models(): string[] {
    if (this.firstModel === undefined) return [];
    if (this.otherModels === undefined) return [this.firstModel];
    const all: [string, number][] = [[this.firstModel, this.firstModelWeight], ...this.otherModels];
    return all.sort((a, b) => b[1] - a[1]).map(([name]) => name);
  }

  /**
   * The aggregate as a Score. One chunk: that chunk's score unchanged. Several: weighted means
   * of the label values; label and confidence from the weighted compound when every chunk
   * has one (VADER), else argmax of the mean probabilities.
   */
  result(lowConfidenceThreshold?: number): Score {
    if (this.chunks === 0 || this.weight <= 0) throw new RangeError('ScoreAccumulator.result on an empty accumulator');
    if (this.only !== undefined) return copyScore(this.only);
    const w = this.weight;
    const scores: LabelScores = { negative: this.negative / w, neutral: this.neutral / w, positive: this.positive / w };
    let label: SentimentLabel;
    let confidence: number;
    let compound: number | undefined;
    if (this.allCompound) {
      compound = this.compound / w;
      label = labelFromCompound(compound);
      confidence = Math.abs(compound);
    } else {
      label = labelFromScores(scores);
      confidence = scores[label];
    }
    const low_confidence =
      lowConfidenceThreshold === undefined ? this.lowConfidenceWeight * 2 >= w : confidence < lowConfidenceThreshold;
    const out: Score = { label, scores, confidence, low_confidence, model: this.models().join('+') };
    if (compound !== undefined) out.compound = compound;
    return out;
  }
}
