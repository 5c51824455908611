import { isRetriable, KafkaError } from '@sentiment/errors';
import type { OutgoingMessage, SendReport, TopicMessages, UndeliverableMessage } from '../port/outgoing-message';
import { withRetries, type RetryPolicy } from './retry';
import { messageBytes, splitByBytes } from './split-by-bytes';
import type { TopicLimits } from './topic-limits';

/**
 * Room a record batch of one record needs beyond `messageBytes`: the batch header (61 bytes)
 * and the record's varints. A message is sent only if it fits the topic's max.message.bytes
 * with this much to spare.
 */
export const RECORD_BATCH_OVERHEAD_BYTES = 128;

/** The broker's error types that mean "this record (batch) is too large for the topic". */
const TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);
/** ... and those that refuse the records for good for another reason. */
const REFUSED = new Set([...TOO_LARGE, 'TOPIC_AUTHORIZATION_FAILED', 'CORRUPT_MESSAGE', 'INVALID_TOPIC_EXCEPTION', 'POLICY_VIOLATION']);

const kafkaErrorType = (err: unknown) => (err instanceof KafkaError ? err.details?.['kafkaErrorType'] : undefined);

export function isTooLargeError(err: unknown): boolean {
  const type = kafkaErrorType(err);
  return typeof type === 'string' && TOO_LARGE.has(type);
}

/** The broker refused the records themselves (not the producer, the transaction or the connection). */
export function isRecordRefusal(err: unknown): boolean {
  const type = kafkaErrorType(err);
  return typeof type === 'string' && REFUSED.has(type);
}

export interface DeliveryOptions {
  maxRequestBytes: number;
  limits: TopicLimits;
  retry: RetryPolicy;
}

/** Sends one request worth of messages; throws a KafkaError mapped by the adapter. */
export type SendChunk = (chunk: TopicMessages[]) => Promise<void>;

/**
 * Splits messages that cannot fit their topic from the rest, without sending them: they are
 * known to fail, and sending them would fail the whole request they share with others.
 */
export function separateOversized(batches: readonly TopicMessages[], limits: TopicLimits): { fit: TopicMessages[]; oversized: UndeliverableMessage[] } {
  const fit: TopicMessages[] = [];
  const oversized: UndeliverableMessage[] = [];
  for (const batch of batches) {
    const limit = limits.maxMessageBytes(batch.topic);
    if (limit === undefined) {
      fit.push(batch);
      continue;
    }
    const kept: OutgoingMessage[] = [];
    for (const message of batch.messages) {
      const bytes = messageBytes(message) + RECORD_BATCH_OVERHEAD_BYTES;
      if (bytes > limit) oversized.push({ topic: batch.topic, message, code: 'RESULT_TOO_LARGE', reason: `record of ~${bytes} bytes exceeds max.message.bytes ${limit} of ${batch.topic}` });
      else kept.push(message);
    }
    if (kept.length > 0) fit.push({ topic: batch.topic, messages: kept });
  }
  return { fit, oversized };
}

/** The request size to use for these topics: the configured one, or less if a topic accepts less. */
export function requestBytesFor(batches: readonly TopicMessages[], options: Pick<DeliveryOptions, 'maxRequestBytes' | 'limits'>): number {
  let bytes = options.maxRequestBytes;
  for (const batch of batches) {
    const limit = options.limits.maxMessageBytes(batch.topic);
    if (limit !== undefined) bytes = Math.min(bytes, Math.max(1024, limit - RECORD_BATCH_OVERHEAD_BYTES));
  }
  return bytes;
}

/**
 * At-least-once delivery: in request-sized chunks, in order, each retried on transient errors.
 * A chunk that fails for good is sent again one message at a time, so only the messages the
 * broker refuses are reported undeliverable (their neighbours are delivered, possibly twice if
 * they had landed with the failed chunk). A transient failure that outlasts the retries throws
 * a retriable PRODUCE_FAILED: the caller gives its batch back.
 */
export async function deliverInChunks(batches: readonly TopicMessages[], send: SendChunk, options: DeliveryOptions): Promise<SendReport> {
  const { fit, oversized } = separateOversized(batches, options.limits);
  const undeliverable = [...oversized];
  for (const chunk of splitByBytes(fit, requestBytesFor(fit, options))) {
    try {
      await withRetries('send', options.retry, () => send(chunk));
    } catch (err) {
      if (isRetriable(err)) throw err;
      for (const part of chunk) {
        for (const message of part.messages) {
          try {
            await withRetries('send', options.retry, () => send([{ topic: part.topic, messages: [message] }]));
          } catch (one) {
            if (isRetriable(one)) throw one;
            undeliverable.push({
              topic: part.topic,
              message,
              code: isTooLargeError(one) ? 'RESULT_TOO_LARGE' : 'PRODUCE_FAILED',
              reason: (one as Error).message,
            });
          }
        }
      }
    }
  }
  return { undeliverable };
}
