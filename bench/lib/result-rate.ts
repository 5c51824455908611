import { readTopicToEnd } from '@sentiment/testing';

export interface RateReport {
  results: number;
  seconds: number;
  perSecond: number;
}

/**
 * Rate as the issue defines it: results / (last result timestamp - first result timestamp),
 * using the Kafka timestamps the producers put on the results, so the worker and the peer are
 * measured the same way.
 */
export async function resultRate(bootstrap: string, topic: string): Promise<RateReport> {
  const messages = await readTopicToEnd(bootstrap, topic, { timeoutMs: 120000 });
  let first = Infinity;
  let last = -Infinity;
  for (const m of messages) {
    const ts = Number(m.timestamp);
    if (ts < first) first = ts;
    if (ts > last) last = ts;
  }
  const seconds = Math.max(0.001, (last - first) / 1000);
  return { results: messages.length, seconds, perSecond: messages.length / seconds };
}

/** Waits until `topic` holds `count` messages (sum of end offsets). */
export async function waitForCount(bootstrap: string, topic: string, count: number, timeoutMs: number, onTick?: (n: number) => void): Promise<void> {
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({ clientId: 'bench-count', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const offsets = await admin.fetchTopicOffsets(topic);
      const n = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
      onTick?.(n);
      if (n >= count) return;
      if (Date.now() > deadline) throw new Error(`timed out: ${n}/${count} messages on ${topic}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await admin.disconnect();
  }
}
