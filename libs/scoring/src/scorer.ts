export const SentimentLabels = ['negative', 'neutral', 'positive'] as const;
export type SentimentLabel = (typeof SentimentLabels)[number];

/** Per-label values: softmax probabilities for a model, VADER's neg/neu/pos proportions for VADER. */
export interface LabelScores {
  negative: number;
  neutral: number;
  positive: number;
}

/** The score of one text, the same shape for every scorer. */
export interface Score {
  label: SentimentLabel;
  scores: LabelScores;
  /** Probability of `label` for a model; |compound| for VADER. */
  confidence: number;
  /** True when `confidence` is under the configured threshold: flagged, never dropped. */
  low_confidence: boolean;
  /** VADER's normalised compound score in [-1, 1]; only VADER sets it. */
  compound?: number;
  /** Which scorer produced this score, e.g. `vader` or `roberta-onnx`. */
  model: string;
}

/** Per-call options of `Scorer.score`; every field is optional and every scorer may ignore them. */
export interface ScoreOptions {
  /**
   * Awaited between sub-batches of a long call (after each one finishes), e.g. to heartbeat a
   * Kafka consumer group while a large batch is being scored. A rejection aborts the call.
   */
  onSubBatch?: (progress: { done: number; total: number }) => Promise<void> | void;
}

/**
 * Scores texts. Implementations must not block the event loop for long: they slice
 * work and yield, or run it off the main thread.
 */
export interface Scorer {
  /** Stable identifier put in every result's `model` field. */
  readonly name: string;
  /** Scores `texts`; the i-th score belongs to the i-th text. */
  score(texts: readonly string[], options?: ScoreOptions): Promise<Score[]>;
  /** Releases threads and native sessions; idempotent. */
  close(): Promise<void>;
}
