import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaHarnessError } from './harness-error';
import { testKafka } from './test-kafka-client';

/** Java's String.hashCode, which Kafka uses to map a group id to a __consumer_offsets partition. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Kafka's Utils.abs: like Math.abs, but Integer.MIN_VALUE maps to 0 instead of staying negative. */
export function kafkaAbs(n: number): number {
  return n === -2147483648 ? 0 : Math.abs(n);
}

/** Group ids that land on every one of `partitions` __consumer_offsets partitions (Kafka: abs(hash) % n). */
export function groupIdsCoveringPartitions(partitions: number, prefix = 'kafka-harness-warm-up'): string[] {
  const byPartition = new Map<number, string>();
  for (let i = 0; byPartition.size < partitions; i++) {
    const id = `${prefix}-${i}`;
    const p = kafkaAbs(javaStringHash(id)) % partitions;
    if (!byPartition.has(p)) byPartition.set(p, id);
  }
  return [...byPartition.values()];
}

/**
 * Makes the group coordinator ready before any test joins a group. On a fresh broker the first
 * FindCoordinator creates __consumer_offsets, and each of its partitions then loads; meanwhile Kafka
 * 4.x answers JoinGroup with COORDINATOR_LOAD_IN_PROGRESS, which kafkajs 2.2.4's consumer.run() does
 * not retry. The same happens after every restart. DescribeGroups over group ids that cover every
 * partition succeeds only once all of them are loaded.
 */
export async function warmUpGroupCoordinator(
  bootstrap: string,
  options: { offsetsPartitions: number; timeoutMs: number },
): Promise<void> {
  const groups = groupIdsCoveringPartitions(options.offsetsPartitions);
  const deadline = Date.now() + options.timeoutMs;
  const admin = testKafka(bootstrap, { clientId: 'kafka-harness-warm-up', retry: { retries: 0 } }).admin();
  let lastError = '';
  try {
    await admin.connect();
    for (;;) {
      try {
        // kafkajs rejects when any group carries an error code; it is in the payload but not the typings.
        const { groups: described } = await admin.describeGroups(groups);
        const failing = described.filter((g) => ((g as { errorCode?: number }).errorCode ?? 0) !== 0);
        if (failing.length === 0) return;
        lastError = `${failing.length} group(s) still failing`;
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
      }
      if (Date.now() >= deadline) {
        throw new KafkaHarnessError(`group coordinator of ${bootstrap} not ready after ${options.timeoutMs} ms: ${lastError}`);
      }
      await sleep(100);
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
