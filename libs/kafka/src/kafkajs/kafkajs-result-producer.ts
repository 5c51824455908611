import { Partitioners, type Kafka, type Message, type Producer, type TopicMessages as KafkajsTopicMessages } from 'kafkajs';
import { describeError } from '@sentiment/errors';
import type { Logger } from '@sentiment/observability';
import type { KafkaAdmin } from '../port/kafka-admin';
import type { TopicMessages } from '../port/outgoing-message';
import type { ResultProducerOptions } from '../port/producer-options';
import { clientCallWith, ResultProducerBase } from '../shared/result-producer-base';
import type { TopicLimits } from '../shared/topic-limits';
import type { OpenTransaction, TransactionDriver } from '../shared/transaction';
import { kafkajsCompression } from './codecs/kafkajs-compression-types';
import { toKafkaError } from './kafkajs-errors';
import { toKafkajsHeaders } from './null-header-values';

const call = clientCallWith(toKafkaError);

/**
 * The kafkajs adapter of the result producer: idempotent (acks=all, one request in flight per
 * broker, so a retried request carries the same sequence numbers and a write that landed before
 * its acknowledgement was lost is not written twice), transactional in exactly-once mode.
 */
export class KafkajsResultProducer extends ResultProducerBase {
  private producer: Producer;

  constructor(
    private readonly kafka: Kafka,
    options: ResultProducerOptions,
    limits: TopicLimits,
    admin: KafkaAdmin,
    logger: Logger,
  ) {
    super(options, limits, admin, logger);
    this.producer = this.createProducer();
  }

  connect(): Promise<void> {
    return call('producer connect failed', () => this.producer.connect());
  }

  protected async close(): Promise<void> {
    await this.producer.disconnect().catch((err: unknown) => this.log.warn('producer disconnect failed', { error: describeError(err) }));
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

  private toKafkajs(chunk: TopicMessages[]): KafkajsTopicMessages[] {
    return chunk.map((part) => ({
      topic: part.topic,
      messages: part.messages.map((m): Message => {
        const headers = toKafkajsHeaders(m.headers, this.options.nullHeaderNamesHeader);
        return { key: m.key, value: m.value, ...(headers ? { headers } : {}) };
      }),
    }));
  }

  protected sendChunk(chunk: TopicMessages[]): Promise<void> {
    return call('produce failed', () =>
      this.producer.sendBatch({ topicMessages: this.toKafkajs(chunk), acks: -1, compression: kafkajsCompression(this.options.compression), timeout: this.options.requestTimeoutMs }),
    );
  }

  protected transactionDriver(): TransactionDriver {
    return {
      begin: async (): Promise<OpenTransaction> => {
        const tx = await this.producer.transaction().catch((err: unknown) => {
          throw toKafkaError(err, 'begin transaction failed');
        });
        return {
          send: (chunk) =>
            call('transactional produce failed', () =>
              tx.sendBatch({ topicMessages: this.toKafkajs(chunk), acks: -1, compression: kafkajsCompression(this.options.compression), timeout: this.options.requestTimeoutMs }),
            ),
          addOffsets: (offsets) =>
            call('sendOffsets failed', () =>
              tx.sendOffsets({
                consumerGroupId: offsets.membership.groupId,
                topics: [{ topic: offsets.topic, partitions: [{ partition: offsets.partition, offset: offsets.offset }] }],
              }),
            ),
          commit: () => call('transaction commit failed', () => tx.commit()),
          abort: () => call('transaction abort failed', () => tx.abort()),
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
        return this.committedOffset(offsets);
      },
    };
  }
}
