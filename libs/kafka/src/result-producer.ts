import { CompressionTypes, Partitioners, type IHeaders, type Kafka, type Producer, type Transaction } from 'kafkajs';
import { describeError, KafkaError } from '@sentiment/errors';
import type { Logger } from '@sentiment/observability';
import { toKafkaError } from './kafka-error-mapping';

export interface OutgoingMessage {
  key: string | Buffer | null;
  value: Buffer | string;
  headers?: IHeaders;
  timestamp?: string;
}

export interface TopicMessages {
  topic: string;
  messages: OutgoingMessage[];
}

export interface SourceOffsets {
  consumerGroupId: string;
  topic: string;
  partition: number;
  /** The next offset to consume (last processed + 1). */
  offset: string;
}

export interface ResultProducerOptions {
  compression?: CompressionTypes;
  /** Our attempts on top of kafkajs' own retries, with exponential backoff. */
  maxAttempts?: number;
  retryBackoffMs?: { initial: number; max: number };
  /** Exactly-once mode: a transactional producer; results and input offsets commit atomically. */
  transactionalId?: string;
  requestTimeoutMs?: number;
  /** Retries inside kafkajs for each attempt. */
  clientRetries?: number;
  /**
   * Upper bound of one produce request, in bytes of keys, values and headers. A consumed batch
   * can hold thousands of inputs; sent as one request its results would exceed the broker's
   * `message.max.bytes` (1 MB by default), so they go out in several requests, in order.
   */
  maxRequestBytes?: number;
}

function messageBytes(m: OutgoingMessage): number {
  let n = (m.key?.length ?? 0) + (typeof m.value === 'string' ? Buffer.byteLength(m.value) : m.value.length) + 64;
  if (m.headers) {
    for (const [k, v] of Object.entries(m.headers)) {
      n += k.length + (typeof v === 'string' ? Buffer.byteLength(v) : Buffer.isBuffer(v) ? v.length : 64);
    }
  }
  return n;
}

/** Splits the messages into request-sized groups, keeping their order. */
export function splitByBytes(batches: TopicMessages[], maxBytes: number): TopicMessages[][] {
  const requests: TopicMessages[][] = [];
  let current: TopicMessages[] = [];
  let size = 0;
  for (const batch of batches) {
    let part: TopicMessages | undefined;
    for (const message of batch.messages) {
      const bytes = messageBytes(message);
      if (size > 0 && size + bytes > maxBytes) {
        requests.push(current);
        current = [];
        size = 0;
        part = undefined;
      }
      if (!part) {
        part = { topic: batch.topic, messages: [] };
        current.push(part);
      }
      part.messages.push(message);
      size += bytes;
    }
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

/** kafkajs wraps errors (NumberOfRetriesExceeded around a protocol error): judge by the innermost. */
export function rootCauseRetriable(err: unknown): boolean {
  let e = err as { cause?: unknown; retriable?: unknown } | undefined;
  for (let depth = 0; e && typeof e === 'object' && e.cause && e.cause !== e && depth < 8; depth++) {
    e = e.cause as { cause?: unknown; retriable?: unknown };
  }
  return Boolean(e && typeof e === 'object' && e.retriable === true);
}

const DEFAULT_MAX_REQUEST_BYTES = 512 * 1024;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Produces results and dead letters with acks=all. `send` resolves only once the broker
 * acknowledged every message: the caller commits input offsets after that, never before.
 * In exactly-once mode, `sendWithOffsets` wraps the messages and the consumer offsets in
 * one Kafka transaction. Transactions are serialized (one producer, one open transaction).
 */
export class ResultProducer {
  private readonly producer: Producer;
  private connected = false;
  private txChain: Promise<unknown> = Promise.resolve();
  private readonly log: Logger;
  onRetry: ((attempt: number, error: unknown) => void) | undefined;

  constructor(
    kafka: Kafka,
    private readonly options: ResultProducerOptions,
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'producer' });
    const transactional = Boolean(options.transactionalId);
    this.producer = kafka.producer({
      allowAutoTopicCreation: false,
      // Java-compatible murmur2 partitioning (kafkajs 2 default), stated so kafkajs does not warn.
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: transactional,
      ...(transactional ? { transactionalId: options.transactionalId, maxInFlightRequests: 1 } : {}),
      retry: { retries: options.clientRetries ?? 3, initialRetryTime: 200, maxRetryTime: 5000 },
    });
    this.producer.on(this.producer.events.CONNECT, () => {
      this.connected = true;
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connected = false;
    });
  }

  get isTransactional(): boolean {
    return Boolean(this.options.transactionalId);
  }

  isConnected(): boolean {
    return this.connected;
  }

  async connect(): Promise<void> {
    try {
      await this.producer.connect();
    } catch (err) {
      throw toKafkaError(err, 'producer connect failed');
    }
  }

  async disconnect(): Promise<void> {
    await this.txChain.catch(() => undefined);
    await this.producer.disconnect().catch((err: unknown) => this.log.warn('producer disconnect failed', { error: describeError(err) }));
  }

  /** At-least-once: sends with retries; throws KafkaError('PRODUCE_FAILED') after the last attempt. */
  async send(batches: TopicMessages[]): Promise<void> {
    for (const topicMessages of splitByBytes(batches, this.options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES)) {
      await this.withRetries('send', () =>
        this.producer.sendBatch({
          topicMessages,
          acks: -1,
          compression: this.options.compression ?? CompressionTypes.None,
          timeout: this.options.requestTimeoutMs ?? 30000,
        }),
      );
    }
  }

  /** Exactly-once: messages and the source offsets in one transaction. */
  sendWithOffsets(batches: TopicMessages[], offsets: SourceOffsets): Promise<void> {
    const run = async () => {
      await this.withRetries('transaction', async () => {
        const tx: Transaction = await this.producer.transaction();
        try {
          for (const request of splitByBytes(batches, this.options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES)) {
            await tx.sendBatch({ topicMessages: request, acks: -1, compression: this.options.compression ?? CompressionTypes.None });
          }
          await tx.sendOffsets({
            consumerGroupId: offsets.consumerGroupId,
            topics: [{ topic: offsets.topic, partitions: [{ partition: offsets.partition, offset: offsets.offset }] }],
          });
          await tx.commit();
        } catch (err) {
          await tx.abort().catch(() => undefined);
          throw err;
        }
      });
    };
    const next = this.txChain.then(run, run);
    this.txChain = next.catch(() => undefined);
    return next;
  }

  private async withRetries(what: string, fn: () => Promise<unknown>): Promise<void> {
    const maxAttempts = Math.max(1, this.options.maxAttempts ?? 5);
    const backoff = this.options.retryBackoffMs ?? { initial: 200, max: 5000 };
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        await fn();
        return;
      } catch (err) {
        lastError = err;
        if (attempt === maxAttempts) break;
        const delay = Math.min(backoff.max, backoff.initial * 2 ** (attempt - 1));
        this.log.warn(`${what} failed; retrying`, { attempt, maxAttempts, delayMs: delay, error: describeError(err) });
        this.onRetry?.(attempt, err);
        await sleep(delay);
      }
    }
    throw new KafkaError('PRODUCE_FAILED', `${what} failed after ${maxAttempts} attempts: ${(lastError as Error)?.message ?? String(lastError)}`, {
      cause: lastError,
      // Retriable when the innermost cause is (the broker was unreachable, a leader moved):
      // the caller should try the batch again later rather than give up on its inputs.
      retriable: rootCauseRetriable(lastError),
    });
  }
}
