import { randomUUID } from 'node:crypto';
import { Partitioners, type Consumer, type IHeaders, type Kafka, type Producer } from 'kafkajs';
import type { DeadLetterRecordRead, ReplayMessage } from './replay-decision';

/**
 * Everything the replay tool needs from Kafka, and the only file of it that knows the client:
 * kafkajs, built by libs/kafka from the worker's own connection options. The port does not carry
 * what this needs (transactional offsets for other groups, bounded reads); see docs/operations.md.
 */
export interface ReplayKafka {
  /** Whether the client can produce a header without a value (kafkajs 2.2.4 cannot). */
  readonly nullHeaderValues: boolean;
  /** Low and high watermark per partition. */
  offsets(topic: string): Promise<Map<number, { low: bigint; high: bigint }>>;
  /** Committed next offsets of each group on `topic` (absent: nothing committed). */
  committed(groups: readonly string[], topic: string): Promise<Map<string, Map<number, bigint>>>;
  /**
   * Reads `topic` from `from` up to (not including) `to` per partition, read_committed, handing
   * each fetched batch to `handle` in order; `handle` answering 'stop' ends that partition's read.
   */
  read(topic: string, from: ReadonlyMap<number, bigint>, to: ReadonlyMap<number, bigint>, handle: (partition: number, letters: DeadLetterRecordRead[]) => Promise<'continue' | 'stop'>): Promise<void>;
  /** Publishes `messages` and commits `progress` in one Kafka transaction: both happen, or neither. */
  publish(messages: readonly ReplayMessage[], progress: readonly { group: string; topic: string; partition: number; offset: bigint }[]): Promise<void>;
  close(): Promise<void>;
}

/** kafkajs implementation. `transactionalId` fences a second replay running at the same time. */
export function createReplayKafka(kafka: Kafka, transactionalId: string): ReplayKafka {
  let producer: Producer | undefined;
  const connectedProducer = async (): Promise<Producer> => {
    if (!producer) {
      // The default (murmur2) partitioner, as Java clients and the worker's tests use: a key lands where its original did.
      producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
    }
    return producer;
  };

  return {
    nullHeaderValues: false,

    async offsets(topic) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const offsets = await admin.fetchTopicOffsets(topic);
        return new Map(offsets.map((o) => [o.partition, { low: BigInt(o.low), high: BigInt(o.high) }]));
      } finally {
        await admin.disconnect();
      }
    },

    async committed(groups, topic) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const out = new Map<string, Map<number, bigint>>();
        for (const groupId of groups) {
          const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
          const positions = new Map<number, bigint>();
          for (const p of entry?.partitions ?? []) if (BigInt(p.offset) >= 0n) positions.set(p.partition, BigInt(p.offset));
          out.set(groupId, positions);
        }
        return out;
      } finally {
        await admin.disconnect();
      }
    },

    async read(topic, from, to, handle) {
      const pending = new Set([...to].filter(([p, end]) => (from.get(p) ?? 0n) < end).map(([p]) => p));
      if (pending.size === 0) return;
      let finish: () => void = () => undefined;
      let fail: (err: unknown) => void = () => undefined;
      const done = new Promise<void>((resolve, reject) => {
        finish = resolve;
        fail = reject;
      });
      const settle = (partition: number): void => {
        pending.delete(partition);
        if (pending.size === 0) finish();
      };
      // A group of its own per read, never committed: where replay got to is kept by publish().
      const consumer: Consumer = kafka.consumer({ groupId: `dlq-replay-reader-${randomUUID()}`, readUncommitted: false, allowAutoTopicCreation: false });
      consumer.on(consumer.events.CRASH, (event) => fail(event.payload.error));
      // A DLQ written in transactions (PROCESSING_MODE=exactly-once) ends with commit markers: kafkajs
      // does not hand control-only batches to eachBatch but does report them here.
      consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
        const { topic: t, partition, lastOffset } = event.payload;
        const end = to.get(partition);
        if (t === topic && end !== undefined && pending.has(partition) && BigInt(lastOffset) + 1n >= end) {
          consumer.pause([{ topic, partitions: [partition] }]);
          settle(partition);
        }
      });
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch }) => {
            const partition = batch.partition;
            const end = to.get(partition);
            if (end === undefined || !pending.has(partition)) return;
            const start = from.get(partition) ?? 0n;
            const letters: DeadLetterRecordRead[] = [];
            for (const m of batch.messages) {
              const offset = BigInt(m.offset);
              if (offset < start || offset >= end) continue;
              letters.push({ partition, offset: m.offset, timestamp: m.timestamp, key: m.key, value: m.value, headers: (m.headers ?? {}) as IHeaders });
            }
            const answer = letters.length > 0 ? await handle(partition, letters) : 'continue';
            if (answer === 'stop' || BigInt(batch.lastOffset()) + 1n >= end) {
              consumer.pause([{ topic, partitions: [partition] }]);
              settle(partition);
            }
          },
        });
        for (const p of pending) consumer.seek({ topic, partition: p, offset: String(from.get(p) ?? 0n) });
        await done;
      } finally {
        await consumer.disconnect().catch(() => undefined);
      }
    },

    async publish(messages, progress) {
      const p = await connectedProducer();
      const tx = await p.transaction();
      try {
        const byTopic = new Map<string, ReplayMessage[]>();
        for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
        for (const [topic, list] of byTopic) {
          await tx.send({
            topic,
            messages: list.map((m) => ({ key: m.key, value: m.value, headers: withoutNulls(m.headers) })),
          });
        }
        for (const entry of progress) {
          await tx.sendOffsets({ consumerGroupId: entry.group, topics: [{ topic: entry.topic, partitions: [{ partition: entry.partition, offset: String(entry.offset) }] }] });
        }
        await tx.commit();
      } catch (err) {
        await tx.abort().catch(() => undefined);
        throw err;
      }
    },

    async close() {
      await producer?.disconnect().catch(() => undefined);
    },
  };
}

/** kafkajs throws on a null header value: such headers go out empty (the run says how many). */
function withoutNulls(headers: ReplayMessage['headers']): IHeaders {
  const out: IHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) out[name] = value.map((v) => v ?? Buffer.alloc(0));
    else out[name] = value ?? Buffer.alloc(0);
  }
  return out;
}
