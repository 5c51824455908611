import type { DeadLetterReason } from './dead-letter-reasons';

/** Header values as Kafka carries them: bytes, text, or none (null); a name may repeat. */
export type HeaderValue = Buffer | string | null;
export type Headers = Record<string, HeaderValue | readonly HeaderValue[]>;

/** Header names on a dead letter (docs/events.md). */
export const DeadLetterHeaders = {
  reason: 'x-dlq-reason',
  message: 'x-dlq-message',
  sourceTopic: 'x-source-topic',
  sourcePartition: 'x-source-partition',
  sourceOffset: 'x-source-offset',
  sourceTimestamp: 'x-source-timestamp',
  failedAt: 'x-dlq-at',
  workerVersion: 'x-worker-version',
  truncated: 'x-dlq-truncated',
  originalSize: 'x-original-size',
  /** JSON array of input header names whose value was null (kafkajs cannot produce null header values). */
  nullHeaders: 'x-dlq-null-headers',
  /** A refused record batch (DECOMPRESSION_LIMIT): its offset range, record count and codec. */
  sourceFirstOffset: 'x-source-first-offset',
  sourceLastOffset: 'x-source-last-offset',
  sourceRecordCount: 'x-source-record-count',
  sourceCodec: 'x-source-codec',
} as const;

export interface DeadLetterInput {
  key: Buffer | null;
  value: Buffer | null;
  headers: Readonly<Headers> | undefined;
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
}

export interface DeadLetterRecord {
  key: Buffer | null;
  value: Buffer;
  headers: Record<string, HeaderValue | HeaderValue[]>;
}

/**
 * The dead letter of one input: its original key, bytes and headers (trace context
 * included), plus why it failed and where it came from. A value larger than
 * `maxValueBytes` is cut (the DLQ topic has a message size limit too) and flagged.
 */
export function buildDeadLetter(
  input: DeadLetterInput,
  reason: DeadLetterReason,
  message: string,
  options: { workerVersion: string; maxValueBytes: number },
): DeadLetterRecord {
  const original = input.value ?? Buffer.alloc(0);
  const truncated = original.length > options.maxValueBytes;
  const headers: DeadLetterRecord['headers'] = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name] = Array.isArray(value) ? [...(value as HeaderValue[])] : (value as HeaderValue);
  headers[DeadLetterHeaders.reason] = reason;
  // Header values must stay small and single-line.
  headers[DeadLetterHeaders.message] = message.replace(/[\r\n]+/g, ' ').slice(0, 500);
  headers[DeadLetterHeaders.sourceTopic] = input.topic;
  headers[DeadLetterHeaders.sourcePartition] = String(input.partition);
  headers[DeadLetterHeaders.sourceOffset] = input.offset;
  headers[DeadLetterHeaders.sourceTimestamp] = input.timestamp;
  headers[DeadLetterHeaders.failedAt] = new Date().toISOString();
  headers[DeadLetterHeaders.workerVersion] = options.workerVersion;
  if (truncated) {
    headers[DeadLetterHeaders.truncated] = 'true';
    headers[DeadLetterHeaders.originalSize] = String(original.length);
  }
  return {
    key: input.key,
    value: truncated ? original.subarray(0, options.maxValueBytes) : original,
    headers,
  };
}

/** A record batch the consumer refused to decompress (a decompression bomb): one dead letter for its offset range. */
export interface RefusedBatchInput {
  topic: string;
  partition: number;
  firstOffset: string;
  lastOffset: string;
  recordCount: number;
  codec: string;
  timestamp: string;
  /** The compressed payload as fetched (kept as the dead letter's value when it fits). */
  compressed: Buffer;
}

export function buildRefusedBatchDeadLetter(batch: RefusedBatchInput, message: string, options: { workerVersion: string; maxValueBytes: number }): DeadLetterRecord {
  const record = buildDeadLetter(
    { key: null, value: batch.compressed, headers: undefined, topic: batch.topic, partition: batch.partition, offset: batch.lastOffset, timestamp: batch.timestamp },
    'DECOMPRESSION_LIMIT',
    message,
    options,
  );
  record.headers[DeadLetterHeaders.sourceFirstOffset] = batch.firstOffset;
  record.headers[DeadLetterHeaders.sourceLastOffset] = batch.lastOffset;
  record.headers[DeadLetterHeaders.sourceRecordCount] = String(batch.recordCount);
  record.headers[DeadLetterHeaders.sourceCodec] = batch.codec;
  return record;
}
