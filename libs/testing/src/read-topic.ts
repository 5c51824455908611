import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Consumer, type IHeaders } from 'kafkajs';
import { KafkaHarnessError } from './harness-error';
import { testKafka, type TestClientOptions } from './test-kafka-client';

export interface ReadMessage {
  topic: string;
  partition: number;
  /** int64 as a decimal string. */
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** Header values as bytes; when a header name repeats, the last value wins. */
  headers: Record<string, Buffer>;
  timestamp: string;
}

export interface ReadTopicOptions extends TestClientOptions {
  /** Give up after this long (default 60 s). */
  timeoutMs?: number;
  /**
   * 'read_committed' (default): messages of aborted transactions are skipped, as a downstream
   * consumer would see them. An open transaction blocks the read until it ends or times out.
   */
  isolation?: 'read_committed' | 'read_uncommitted';
}

/**
 * Reads every message of a topic, from the start of each partition up to the end offsets taken
 * when the call begins (later messages may or may not be included). Sorted by partition, then offset;
 * each offset appears once even if the consumer happened to see it twice.
 */
export async function readTopicToEnd(
  bootstrap: string,
  topic: string,
  options: ReadTopicOptions = {},
): Promise<ReadMessage[]> {
  const kafka = testKafka(bootstrap, options);
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return [];

  const timeoutMs = options.timeoutMs ?? 60_000;
  const byOffset = new Map<string, ReadMessage>();
  // Next offset to read per partition. Control records (transaction markers) and aborted messages
  // are never delivered, so positions come from kafkajs' batch events rather than from messages.
  const position = new Map<number, bigint>();
  let finish: () => void = () => undefined;
  let fail: (err: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  done.catch(() => undefined); // awaited below; this only keeps an early timeout from counting as unhandled
  const advance = (partition: number, next: bigint): void => {
    if (next > (position.get(partition) ?? -1n)) position.set(partition, next);
    for (const [p, end] of ends) if ((position.get(p) ?? -1n) < end) return;
    finish();
  };
  const deadline = Date.now() + timeoutMs;
  const timer = setTimeout(() => {
    const behind = [...ends]
      .filter(([p, end]) => (position.get(p) ?? -1n) < end)
      .map(([p, end]) => `${p}: at ${position.get(p) ?? 'start'} of ${end}`);
    fail(new KafkaHarnessError(`readTopicToEnd(${topic}) timed out after ${timeoutMs} ms; behind: ${behind.join(', ')}`));
  }, timeoutMs);

  const newConsumer = (): Consumer => {
    const consumer = kafka.consumer({
      groupId: `read-topic-to-end-${randomUUID()}`,
      readUncommitted: options.isolation === 'read_uncommitted',
      sessionTimeout: 10_000,
      rebalanceTimeout: 10_000,
      heartbeatInterval: 1_000,
      allowAutoTopicCreation: false,
    });
    consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
      const { topic: t, partition, lastOffset } = event.payload;
      if (t === topic) advance(partition, BigInt(lastOffset) + 1n);
    });
    consumer.on(consumer.events.CRASH, (event) => fail(event.payload.error));
    return consumer;
  };

  let consumer = newConsumer();
  try {
    for (;;) {
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const end = ends.get(partition);
            if (end === undefined || BigInt(message.offset) >= end) return;
            byOffset.set(`${partition}/${message.offset}`, {
              topic,
              partition,
              offset: message.offset,
              key: message.key,
              value: message.value,
              headers: normaliseHeaders(message.headers),
              timestamp: message.timestamp,
            });
          },
        });
        break;
      } catch (err) {
        // A coordinator still loading (fresh or restarted broker) makes kafkajs' run() reject at once.
        if (!isRetriable(err) || Date.now() >= deadline) throw err;
        await consumer.disconnect().catch(() => undefined);
        await sleep(200);
        consumer = newConsumer();
      }
    }
    await done;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
  return [...byOffset.values()].sort((a, b) =>
    a.partition !== b.partition ? a.partition - b.partition : BigInt(a.offset) < BigInt(b.offset) ? -1 : 1,
  );
}

function normaliseHeaders(headers: IHeaders | undefined): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) out[name] = typeof value === 'string' ? Buffer.from(value) : value;
  }
  return out;
}

/** A header as UTF-8 text, or undefined when absent. */
export function headerText(message: Pick<ReadMessage, 'headers'>, name: string): string | undefined {
  return message.headers[name]?.toString('utf8');
}

function isRetriable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { retriable?: unknown }).retriable === true;
}
