import type { DeadLetterReason } from './dead-letter-reasons';

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
} as const;

/**
 * Kafka record headers as the clients hand them over: a value, several values, or none. Kept
 * here, not taken from a client library, so the event contracts do not depend on one.
 */
export type MessageHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

export interface DeadLetterInput {
  key: Buffer | null;
  value: Buffer | null;
  headers: MessageHeaders | undefined;
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
}

export interface DeadLetterRecord {
  key: Buffer | null;
  value: Buffer;
  headers: MessageHeaders;
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
  const headers: MessageHeaders = { ...(input.headers ?? {}) };
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
