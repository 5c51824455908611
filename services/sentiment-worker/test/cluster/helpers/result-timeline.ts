import { readTopicToEnd, resultSource, testKafka, uniqueName, type SourceRef } from '@sentiment/testing';
import type { Consumer } from 'kafkajs';

export interface ResultRecord {
  partition: number;
  offset: string;
  /** When the worker produced it (the record's CreateTime, set by the worker's producer). */
  at: number;
  source: SourceRef | undefined;
  value: string;
}

export async function readResults(bootstrap: string, topic: string): Promise<ResultRecord[]> {
  const messages = await readTopicToEnd(bootstrap, topic, { timeoutMs: 60_000 });
  return messages.map((m) => ({
    partition: m.partition,
    offset: m.offset,
    at: Number(m.timestamp),
    source: resultSource(m),
    value: m.value?.toString('utf8') ?? '',
  }));
}

export interface Gap {
  /** Longest time without a new result in the window, window edges included. */
  ms: number;
  /** Where it began (a result's time, or the window start). */
  from: number;
}

/**
 * The longest stretch of [from, to] with no result: what a user of the results sees as a pause.
 * Meant for windows where inputs kept arriving (a stream), so an empty stretch is a stall.
 */
export function longestGap(results: readonly ResultRecord[], from: number, to: number): Gap {
  const times = results.map((r) => r.at).filter((t) => t >= from && t <= to).sort((a, b) => a - b);
  let best: Gap = { ms: 0, from };
  let previous = from;
  for (const t of [...times, to]) {
    if (t - previous > best.ms) best = { ms: t - previous, from: previous };
    previous = t;
  }
  return best;
}

/** Every stretch of [from, to] without a result, longest first. */
export function gaps(results: readonly ResultRecord[], from: number, to: number): Gap[] {
  const times = results.map((r) => r.at).filter((t) => t >= from && t <= to).sort((a, b) => a - b);
  const out: Gap[] = [];
  let previous = from;
  for (const t of [...times, to]) {
    if (t > previous) out.push({ ms: t - previous, from: previous });
    previous = t;
  }
  return out.sort((a, b) => b.ms - a.ms);
}

/**
 * Follows the output topic while a test runs and remembers every result it was handed. A consumer
 * only gets records below the high watermark, i.e. replicated to every in-sync replica: with acks=all
 * and min.insync.replicas 2 none of them may disappear or change when a leader dies.
 */
export class ResultWatcher {
  readonly seen = new Map<string, string>();
  private readonly consumer: Consumer;

  private constructor(bootstrap: string) {
    this.consumer = testKafka(bootstrap, { clientId: 'result-watcher' }).consumer({
      groupId: uniqueName('result-watcher'),
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      retry: { retries: 100, initialRetryTime: 200, maxRetryTime: 2000 },
    });
  }

  static async start(bootstrap: string, topic: string): Promise<ResultWatcher> {
    const watcher = new ResultWatcher(bootstrap);
    await watcher.consumer.connect();
    await watcher.consumer.subscribe({ topics: [topic], fromBeginning: true });
    await watcher.consumer.run({
      eachMessage: async ({ partition, message }) => {
        watcher.seen.set(`${partition}/${message.offset}`, message.value?.toString('utf8') ?? '');
      },
    });
    return watcher;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
  }

  /** Records it saw that the topic no longer holds, or holds with other bytes. */
  missingFrom(results: readonly ResultRecord[]): string[] {
    const final = new Map(results.map((r) => [`${r.partition}/${r.offset}`, r.value]));
    return [...this.seen].filter(([key, value]) => final.get(key) !== value).map(([key]) => key);
  }
}

/** The input partition with the most messages so far (the one whose leader a test kills). */
export async function busiestPartition(bootstrap: string, topic: string): Promise<{ partition: number; messages: number }> {
  const admin = testKafka(bootstrap).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const sorted = offsets.map((o) => ({ partition: o.partition, messages: Number(o.high) - Number(o.low) })).sort((a, b) => b.messages - a.messages);
    if (!sorted[0]) throw new Error(`${topic} has no partitions`);
    return sorted[0];
  } finally {
    await admin.disconnect();
  }
}

/** High watermark of one partition: it grows when a write to the partition was acknowledged. */
export async function partitionEnd(bootstrap: string, topic: string, partition: number): Promise<number> {
  const admin = testKafka(bootstrap).admin();
  await admin.connect();
  try {
    return Number((await admin.fetchTopicOffsets(topic)).find((o) => o.partition === partition)?.high ?? -1);
  } finally {
    await admin.disconnect();
  }
}
