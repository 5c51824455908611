import type { Score } from '@sentiment/events';

// The score contract (Score, LabelScores, the label list) is defined by its JSON Schema in
// libs/events; re-exported for this library's own modules.
export { SentimentLabels, type SentimentLabel, type LabelScores, type Score } from '@sentiment/events';

/** Per-call options of `Scorer.score`; every field is optional and every scorer may ignore them. */
export interface ScoreOptions {
  /**
   * Awaited while a long call is scored, after each sub-batch that scored some of its texts but
   * not the last (`done` of `total` texts), one at a time; e.g. to heartbeat a Kafka consumer group
   * while a large batch is being scored. The call resolves only after the last one; a rejection
   * aborts the call.
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
