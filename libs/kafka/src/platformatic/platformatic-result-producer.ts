import type { BaseOptions, MessageToProduce, Producer } from '@platformatic/kafka';
import { describeError } from '@sentiment/errors';
import type { Logger } from '@sentiment/observability';
import type { KafkaAdmin } from '../port/kafka-admin';
import type { OutgoingHeaders, OutgoingMessage, SendReport, TopicMessages } from '../port/outgoing-message';
import type { ResultProducerOptions } from '../port/producer-options';
import type { ResultProducer, TransactionOffsets } from '../port/result-producer';
import { deliverInChunks, type DeliveryOptions } from '../shared/delivery';
import type { TopicLimits } from '../shared/topic-limits';
import { sendInTransaction, type OpenTransaction, type TransactionDriver } from '../shared/transaction';
import { toKafkaError } from './platformatic-errors';
import { platformaticKafka } from './platformatic-module';

type Produced = MessageToProduce<Buffer, Buffer, Buffer, Buffer | null>;
type PlatformaticProducer = Producer<Buffer, Buffer, Buffer, Buffer | null>;

const asBuffer = (v: string | Buffer): Buffer => (typeof v === 'string' ? Buffer.from(v) : v);

/** Headers as the client's Map: one Buffer key object per value, so a name sent twice stays twice; null stays null. */
function toHeaderMap(headers: OutgoingHeaders | undefined): Map<Buffer, Buffer | null> | undefined {
  if (!headers) return undefined;
  const map = new Map<Buffer, Buffer | null>();
  for (const [name, raw] of Object.entries(headers)) {
    for (const value of Array.isArray(raw) ? raw : [raw]) map.set(Buffer.from(name), value === null ? null : asBuffer(value));
  }
  return map;
}

function toProduced(topic: string, m: OutgoingMessage): Produced {
  const headers = toHeaderMap(m.headers);
  return { topic, value: asBuffer(m.value), ...(m.key !== null ? { key: asBuffer(m.key) } : {}), ...(headers ? { headers } : {}) };
}

const flatten = (chunk: TopicMessages[]): Produced[] => chunk.flatMap((part) => part.messages.map((m) => toProduced(part.topic, m)));

/**
 * The @platformatic/kafka adapter of the result producer: idempotent with acks=all, the Java
 * client's partitioner (results land on the same partitions as with kafkajs), the client's own
 * codecs and null header values, one request in flight per broker so a retried request keeps
 * its sequence numbers. In exactly-once mode the offsets go through TxnOffsetCommit with the
 * consumer's generation and member id (KIP-447): a member that lost its partitions cannot commit.
 */
export class PlatformaticResultProducer implements ResultProducer {
  private producer: PlatformaticProducer;
  private connected = false;
  private txChain: Promise<unknown> = Promise.resolve();
  private readonly log: Logger;
  onRetry: ((attempt: number, error: unknown) => void) | undefined;

  constructor(
    private readonly base: BaseOptions,
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
      await this.producer.initIdempotentProducer({});
      this.connected = true;
    } catch (err) {
      this.connected = false;
      throw toKafkaError(err, 'producer connect failed');
    }
  }

  async disconnect(): Promise<void> {
    await this.txChain.catch(() => undefined);
    this.connected = false;
    await this.producer.close().catch((err: unknown) => this.log.warn('producer close failed', { error: describeError(err) }));
  }

  send(batches: TopicMessages[]): Promise<SendReport> {
    return deliverInChunks(batches, (chunk) => this.sendChunk(chunk), this.delivery());
  }

  sendInTransaction(batches: TopicMessages[], offsets: TransactionOffsets): Promise<SendReport> {
    const run = () => sendInTransaction(batches, offsets, this.transactionDriver(), this.delivery());
    const next = this.txChain.then(run, run);
    this.txChain = next.catch(() => undefined);
    return next;
  }

  private createProducer(): PlatformaticProducer {
    const { Producer, ProduceAcks, compatibilityPartitioner } = platformaticKafka();
    const producer: PlatformaticProducer = new Producer({
      ...this.base,
      idempotent: true,
      acks: ProduceAcks.ALL,
      maxInflights: 1,
      partitioner: compatibilityPartitioner,
      autocreateTopics: false,
      // The client retries a request with the same sequence numbers; after that it starts a new
      // producer id, so our own retries (which may then write twice) come only after these.
      retries: 10,
      retryDelay: 500,
      ...(this.options.compression !== 'none' ? { compression: this.options.compression } : {}),
      ...(this.options.transactionalId !== undefined ? { transactionalId: this.options.transactionalId } : {}),
    });
    producer.on('client:broker:connect', () => {
      if (producer === this.producer) this.connected = true;
    });
    producer.on('client:broker:failed', () => {
      if (producer === this.producer) this.connected = false;
    });
    return producer;
  }

  private delivery(): DeliveryOptions {
    return {
      maxRequestBytes: this.options.maxRequestBytes,
      limits: this.limits,
      retry: { maxAttempts: this.options.maxAttempts, backoffMs: this.options.retryBackoffMs, onRetry: (a, e) => this.onRetry?.(a, e), log: this.log },
    };
  }

  private async sendChunk(chunk: TopicMessages[]): Promise<void> {
    try {
      await this.producer.send({ messages: flatten(chunk) });
      this.connected = true;
    } catch (err) {
      throw toKafkaError(err, 'produce failed');
    }
  }

  private transactionDriver(): TransactionDriver {
    const wrap = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (err) {
        throw toKafkaError(err, what);
      }
    };
    return {
      begin: async (): Promise<OpenTransaction> => {
        let tx: Awaited<ReturnType<PlatformaticProducer['beginTransaction']>>;
        try {
          tx = await this.producer.beginTransaction();
        } catch (err) {
          throw toKafkaError(err, 'begin transaction failed');
        }
        return {
          send: (chunk) => wrap('transactional produce failed', () => tx.send({ messages: flatten(chunk) })),
          addOffsets: (offsets) =>
            wrap('TxnOffsetCommit failed', async () => {
              const { membership } = offsets;
              // The client takes the group from a consumer and the offset from a consumed message.
              await tx.addConsumer({ groupId: membership.groupId } as Parameters<typeof tx.addConsumer>[0]);
              await tx.addOffset({
                topic: offsets.topic,
                partition: offsets.partition,
                offset: BigInt(offsets.offset) - 1n,
                metadata: {
                  consumer: { groupId: membership.groupId, generationId: membership.generationId, memberId: membership.memberId, coordinatorId: membership.coordinator },
                },
              } as unknown as Parameters<typeof tx.addOffset>[0]);
            }),
          commit: () => wrap('transaction commit failed', () => tx.commit()),
          abort: () => wrap('transaction abort failed', () => tx.abort()),
        };
      },
      settleUnknownCommit: async (offsets) => {
        // A new producer with the same transactional id: its InitProducerId bumps the epoch and
        // returns only once the coordinator has finished the old transaction either way.
        const old = this.producer;
        this.producer = this.createProducer();
        await old.close().catch(() => undefined);
        await this.connect();
        const partitions = await this.admin.partitionOffsets(offsets.membership.groupId, offsets.topic);
        return partitions.find((p) => p.partition === offsets.partition)?.committed ?? -1n;
      },
    };
  }
}
