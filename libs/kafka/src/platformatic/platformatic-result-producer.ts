import type { BaseOptions, MessageToProduce, Producer } from '@platformatic/kafka';
import { describeError, KafkaError } from '@sentiment/errors';
import type { Logger } from '@sentiment/observability';
import type { KafkaAdmin } from '../port/kafka-admin';
import type { OutgoingHeaders, OutgoingMessage, TopicMessages } from '../port/outgoing-message';
import type { ResultProducerOptions } from '../port/producer-options';
import { clientCallWith, ResultProducerBase } from '../shared/result-producer-base';
import type { TopicLimits } from '../shared/topic-limits';
import type { OpenTransaction, TransactionDriver } from '../shared/transaction';
import { toKafkaError } from './platformatic-errors';
import { platformaticKafka } from './platformatic-module';

const call = clientCallWith(toKafkaError);

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
export class PlatformaticResultProducer extends ResultProducerBase {
  private producer: PlatformaticProducer;

  constructor(
    private readonly base: BaseOptions,
    options: ResultProducerOptions,
    limits: TopicLimits,
    admin: KafkaAdmin,
    logger: Logger,
  ) {
    super(options, limits, admin, logger);
    this.producer = this.createProducer();
  }

  async connect(): Promise<void> {
    try {
      // A transactional producer gets its id from its first transaction: initialising it here
      // without the transaction would give it a plain idempotent id that the transactional
      // InitProducerId then sees as fenced.
      if (this.options.transactionalId === undefined) await this.producer.initIdempotentProducer({});
      else await this.producer.metadata({ topics: [] });
      this.connected = true;
    } catch (err) {
      this.connected = false;
      throw toKafkaError(err, 'producer connect failed');
    }
  }

  protected async close(): Promise<void> {
    this.connected = false;
    await this.producer.close().catch((err: unknown) => this.log.warn('producer close failed', { error: describeError(err) }));
  }

  private async replaceProducer(): Promise<void> {
    const old = this.producer;
    this.producer = this.createProducer();
    await old.close().catch(() => undefined);
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
      // InitProducerId must say "no producer yet" (-1/-1): the client's default 0/0 names an
      // existing producer, which the coordinator fences once the transactional id has one, so a
      // restarted worker could never take its transactional id back.
      producerId: -1n,
      producerEpoch: -1,
    });
    // Errors the client emits outside a call (a background metadata refresh): logged, never fatal.
    producer.on('error', (err: unknown) => this.log.warn('producer client error', { error: toKafkaError(err, 'producer').toJSON() }));
    producer.on('client:broker:connect', () => {
      if (producer === this.producer) this.connected = true;
    });
    producer.on('client:broker:failed', () => {
      if (producer === this.producer) this.connected = false;
    });
    return producer;
  }

  protected async sendChunk(chunk: TopicMessages[]): Promise<void> {
    await call('produce failed', () => this.producer.send({ messages: flatten(chunk) }));
    this.connected = true;
  }

  protected transactionDriver(): TransactionDriver {
    return {
      begin: async (): Promise<OpenTransaction> => {
        let tx: Awaited<ReturnType<PlatformaticProducer['beginTransaction']>>;
        try {
          tx = await this.producer.beginTransaction();
        } catch (err) {
          // The client keeps a transaction it failed to begin as its active one (every later
          // begin fails "already an active transaction"): only a new producer gets out of that.
          await this.replaceProducer();
          const error = toKafkaError(err, 'begin transaction failed');
          throw new KafkaError(error.code, error.message, { cause: err, retriable: true, ...(error.details ? { details: error.details } : {}) });
        }
        return {
          send: (chunk) => call('transactional produce failed', () => tx.send({ messages: flatten(chunk) })),
          addOffsets: (offsets) =>
            call('TxnOffsetCommit failed', async () => {
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
          commit: () => call('transaction commit failed', () => tx.commit()),
          // A failed abort leaves the client's transaction open locally: drop it there too.
          abort: () => call('transaction abort failed', () => tx.abort().catch(async (err: unknown) => {
            await tx.cancel().catch(() => undefined);
            throw err;
          })),
        };
      },
      settleUnknownCommit: async (offsets) => {
        // A new producer with the same transactional id: its InitProducerId bumps the epoch and
        // returns only once the coordinator has finished the old transaction either way.
        await this.replaceProducer();
        // The client sends the transactional InitProducerId when a transaction begins; nothing is
        // added to this one, so it is dropped locally without a round trip.
        const probe = await this.producer.beginTransaction();
        await probe.cancel();
        return this.committedOffset(offsets);
      },
    };
  }
}
