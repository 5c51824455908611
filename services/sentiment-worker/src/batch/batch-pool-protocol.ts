/**
 * Messages between the main thread and the batch pool's workers. A batch travels as one
 * transferred ArrayBuffer of every message value back to back plus their end offsets, and comes
 * back as one transferred ArrayBuffer of every result's JSON bytes plus theirs: moved, not copied,
 * and the main thread hands views of it to the producer as record values.
 */
import type { DeadLetterReason, DecodeLimits } from '@sentiment/events';
import type { ResultTrace } from './result-record';

/** Fixed for the pool's life: every worker's `workerData`. */
export interface BatchPoolWorkerConfig {
  decodeLimits: DecodeLimits;
  /** VADER_LOW_CONFIDENCE_THRESHOLD. */
  vaderLowConfidenceThreshold: number;
  workerVersion: string;
  instanceId: string;
  outputTopic: string;
  recordOverheadBytes: number;
}

/** One consumed batch, without the placeholders of refused record batches (the main thread rejects those). */
export interface BatchPoolTask {
  topic: string;
  partition: number;
  receivedAt: number;
  /** Messages in the consumed batch, placeholders included (the results' `timings.batch_size`). */
  batchSize: number;
  outputLimit: number;
  /** Message values back to back; a null value is an empty range. */
  values: ArrayBuffer;
  /** Exclusive end of message i's value in `values` (its start is the end of message i-1). */
  ends: Int32Array;
  offsets: string[];
  timestamps: string[];
  /** The trace context of message i's headers (read on the main thread, which owns the headers). */
  traces: (ResultTrace | null)[];
}

/** Why message `at` of the task gets a dead letter (built on the main thread, which has the original bytes). */
export interface PoolRejection {
  at: number;
  reason: DeadLetterReason;
  detail: string;
}

export const PoolOutcomeKind = { result: 0, deadLetter: 1 } as const;

export interface BatchPoolResult {
  /** Per task message: PoolOutcomeKind. */
  kinds: Uint8Array;
  /** Exclusive end of message i's result JSON in `json` (an empty range for a dead letter). */
  ends: Int32Array;
  /** UTF-8 JSON of every result, back to back. */
  json: ArrayBuffer;
  /** Per task message; empty strings for dead letters. */
  callIds: string[];
  labels: string[];
  models: string[];
  /** 1 when the result left out detail to fit the output topic. */
  truncated: Uint8Array;
  rejections: PoolRejection[];
  /** Events that reached the scorer, and how long scoring them took. */
  scored: number;
  scoringMs: number;
  scorer: string;
  /** The message of an error that failed scoring for the whole batch (for the log). */
  scoringError?: string;
}
