import { type CompressionTypes, type IHeaders, type Message, Partitioners, type PartitionMetadata } from 'kafkajs';
import { KafkaHarnessError } from './harness-error';
import { testKafka, type TestClientOptions } from './test-kafka-client';

export interface RawMessage {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  headers?: IHeaders;
  /** Explicit partition; by default the key decides, as with kafkajs' (and Java's) default partitioner. */
  partition?: number;
}

export interface JsonMessage {
  key?: string | Buffer | null;
  /** Serialised with JSON.stringify. */
  value: unknown;
  headers?: IHeaders;
  partition?: number;
}

/** Where a produced message landed: the identity a worker reports back as `source`. */
export interface ProducedRef {
  topic: string;
  partition: number;
  /** int64 as a decimal string, as kafkajs reports offsets. */
  offset: string;
}

export interface ProduceOptions extends TestClientOptions {
  /** kafkajs codec (GZIP is built in); other codecs: runKafkaJavaTool with the console producer. */
  compression?: CompressionTypes;
  /** Upper bound of one produce request, in bytes of values (default 512 KiB, under the 1 MB broker limit). */
  maxRequestBytes?: number;
}

/** Produces JSON values; resolves to the partition/offset of each message, in input order. */
export function produceJson(
  bootstrap: string,
  topic: string,
  messages: readonly JsonMessage[],
  options: ProduceOptions = {},
): Promise<ProducedRef[]> {
  return produceRaw(
    bootstrap,
    topic,
    messages.map((m) => ({ ...m, value: JSON.stringify(m.value) })),
    options,
  );
}

/**
 * Produces messages as they are (any bytes) with acks=all and resolves to the partition/offset
 * of each one, in input order. Partitions are chosen client-side with kafkajs' default partitioner
 * and each request carries one contiguous run per partition, so offsets are baseOffset + index.
 */
export async function produceRaw(
  bootstrap: string,
  topic: string,
  messages: readonly RawMessage[],
  options: ProduceOptions = {},
): Promise<ProducedRef[]> {
  const kafka = testKafka(bootstrap, options);
  const admin = kafka.admin();
  // Idempotent: a retried request must not write an input twice (tests count inputs exactly).
  const producer = kafka.producer({ allowAutoTopicCreation: false, maxInFlightRequests: 1, idempotent: true });
  const refs: ProducedRef[] = new Array<ProducedRef>(messages.length);
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitionMetadata: PartitionMetadata[] = metadata.topics[0]?.partitions ?? [];
    if (partitionMetadata.length === 0) throw new KafkaHarnessError(`topic ${topic} has no partitions on ${bootstrap}`);
    const partitioner = Partitioners.DefaultPartitioner();
    await producer.connect();
    const maxBytes = options.maxRequestBytes ?? 512 * 1024;
    let start = 0;
    while (start < messages.length) {
      // One request per chunk; within it each partition gets one contiguous record batch.
      const byPartition = new Map<number, number[]>();
      const outgoing: Message[] = [];
      let bytes = 0;
      let i = start;
      for (; i < messages.length; i++) {
        const m = messages[i] as RawMessage;
        if (i > start && bytes + sizeOf(m) > maxBytes) break;
        bytes += sizeOf(m);
        const message: Message = { key: m.key ?? null, value: m.value };
        if (m.headers) message.headers = m.headers;
        const partition = m.partition ?? partitioner({ topic, partitionMetadata, message });
        message.partition = partition;
        outgoing.push(message);
        const list = byPartition.get(partition) ?? [];
        list.push(i);
        byPartition.set(partition, list);
      }
      const result = await producer.send({
        topic,
        acks: -1,
        messages: outgoing,
        ...(options.compression === undefined ? {} : { compression: options.compression }),
      });
      for (const meta of result) {
        const base = BigInt(meta.baseOffset ?? '-1');
        if (base < 0n) throw new KafkaHarnessError(`no base offset for ${topic}/${meta.partition}`);
        (byPartition.get(meta.partition) ?? []).forEach((inputIndex, k) => {
          refs[inputIndex] = { topic, partition: meta.partition, offset: (base + BigInt(k)).toString() };
        });
      }
      start = i;
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
  return refs;
}

function sizeOf(m: RawMessage): number {
  const len = (v: string | Buffer | null | undefined): number =>
    v === null || v === undefined ? 0 : typeof v === 'string' ? Buffer.byteLength(v) : v.length;
  return len(m.value) + len(m.key) + 64;
}
