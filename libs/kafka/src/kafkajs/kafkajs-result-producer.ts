import { Partitioners, type Kafka, type Message, type Producer, type TopicMessages as KafkajsTopicMessages } from 'kafkajs';
import { describeError } from '@sentiment/errors';
import type { Logger } from '@sentiment/observability';
import type { KafkaAdmin } from '../port/kafka-admin';
import type { SendReport, TopicMessages } from '../port/outgoing-message';
import type { ResultProducerOptions } from '../port/producer-options';
import type { ResultProducer, TransactionOffsets } from '../port/result-producer';
import { deliverInChunks, type DeliveryOptions } from '../shared/delivery';
import type { RetryPolicy } from '../shared/retry';
import type { TopicLimits } from '../shared/topic-limits';
import { sendInTransaction, type OpenTransaction, type TransactionDriver } from '../shared/transaction';
import { kafkajsCompression } from './codecs/kafkajs-compression-types';
import { toKafkaError } from './kafkajs-errors';
import { toKafkajsHeaders } from './null-header-values';

/**
 * The kafkajs adapter of the result producer: idempotent (acks=all, one request in flight per
 * broker, so a retried request carries the same sequence numbers and a write that landed before
 * its acknowledgement was lost is not written twice), transactional in exactly-once mode.
 */
export class KafkajsResultProducer implements ResultProducer {
  private producer: Producer;
  private connected = false;
  private txChain: Promise<unknown> = Promise.resolve();
  private readonly log: Logger;
  onRetry: ((attempt: number, error: unknown) => void) | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: ResultProducerOptions,
    private readonly limits: TopicLimits,
    private readonly admin: KafkaAdmin,
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'producer' });
    this.producer = this.createProducer();
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

  send(batches: TopicMessages[]): Promise<SendReport> {
    return deliverInChunks(batches, (chunk) => this.sendChunk(chunk), this.delivery());
  }

  sendInTransaction(batches: TopicMessages[], offsets: TransactionOffsets): Promise<SendReport> {
    // One producer, one open transaction at a time.
    const run = () => sendInTransaction(batches, offsets, this.transactionDriver(), this.delivery());
    const next = this.txChain.then(run, run);
    this.txChain = next.catch(() => undefined);
    return next;
  }

  private createProducer(): Producer {
    const transactional = this.options.transactionalId !== undefined;
    const producer = this.kafka.producer({
      allowAutoTopicCreation: false,
      // Java-compatible murmur2 partitioning (kafkajs 2 default), stated so kafkajs does not warn.
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
      ...(transactional ? { transactionalId: this.options.transactionalId } : {}),
      // Bounded, so a broker outage surfaces as an error our own retries and /ready can see.
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
    producer.on(producer.events.CONNECT, () => {
      if (producer === this.producer) this.connected = true;
    });
    producer.on(producer.events.DISCONNECT, () => {
      if (producer === this.producer) this.connected = false;
    });
    return producer;
  }

  private delivery(): DeliveryOptions {
    const retry: RetryPolicy = {
      maxAttempts: this.options.maxAttempts,
      backoffMs: this.options.retryBackoffMs,
      onRetry: (attempt, err) => this.onRetry?.(attempt, err),
      log: this.log,
    };
    return { maxRequestBytes: this.options.maxRequestBytes, limits: this.limits, retry };
  }

  private toKafkajs(chunk: TopicMessages[]): KafkajsTopicMessages[] {
    return chunk.map((part) => ({
      topic: part.topic,
      messages: part.messages.map((m): Message => {
        const headers = toKafkajsHeaders(m.headers, this.options.nullHeaderNamesHeader);
        return { key: m.key, value: m.value, ...(headers ? { headers } : {}) };
      }),
    }));
  }

  private async sendChunk(chunk: TopicMessages[]): Promise<void> {
    try {
      await this.producer.sendBatch({
        topicMessages: this.toKafkajs(chunk),
        acks: -1,
        compression: kafkajsCompression(this.options.compression),
        timeout: this.options.requestTimeoutMs,
      });
    } catch (err) {
      throw toKafkaError(err, 'produce failed');
    }
  }

  private transactionDriver(): TransactionDriver {
    return {
      begin: async (): Promise<OpenTransaction> => {
        const tx = await this.producer.transaction().catch((err: unknown) => {
          throw toKafkaError(err, 'begin transaction failed');
        });
        const wrap = async (what: string, fn: () => Promise<unknown>) => {
          try {
            await fn();
          } catch (err) {
            throw toKafkaError(err, what);
          }
        };
        return {
          send: (chunk) =>
            wrap('transactional produce failed', () =>
              tx.sendBatch({ topicMessages: this.toKafkajs(chunk), acks: -1, compression: kafkajsCompression(this.options.compression), timeout: this.options.requestTimeoutMs }),
            ),
          addOffsets: (offsets) =>
            wrap('sendOffsets failed', () =>
              tx.sendOffsets({
                consumerGroupId: offsets.membership.groupId,
                topics: [{ topic: offsets.topic, partitions: [{ partition: offsets.partition, offset: offsets.offset }] }],
              }),
            ),
          commit: () => wrap('transaction commit failed', () => tx.commit()),
          abort: () => wrap('transaction abort failed', () => tx.abort()),
        };
      },
      settleUnknownCommit: async (offsets) => {
        // kafkajs is left in COMMITTING after a failed EndTxn and accepts nothing more: a new
        // producer with the same transactional id bumps the epoch, and its InitProducerId
        // returns only once the coordinator has finished the old transaction either way.
        const old = this.producer;
        this.producer = this.createProducer();
        await old.disconnect().catch(() => undefined);
        await this.connect();
        const partitions = await this.admin.partitionOffsets(offsets.membership.groupId, offsets.topic);
        return partitions.find((p) => p.partition === offsets.partition)?.committed ?? -1n;
      },
    };
  }
}
