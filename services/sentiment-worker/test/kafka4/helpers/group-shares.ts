import type { ReadMessage } from '@sentiment/testing';
import type { WorkerProcess } from '../../helpers/worker-process';
import { assignedPartitions, poll } from '../../reliability/helpers/worker-probes';

/**
 * Polls the members' /health until their assignments are each non-empty, pairwise disjoint and
 * together exactly the topic's partitions; resolves with each member's share.
 */
export async function waitForShares(members: readonly WorkerProcess[], topic: string, partitions: number, timeoutMs = 90_000): Promise<number[][]> {
  const all = Array.from({ length: partitions }, (_, p) => p).join();
  return poll(
    `${members.length} member(s) to share the ${partitions} partitions of ${topic}`,
    async () => {
      const shares = await Promise.all(members.map((m) => assignedPartitions(m.url, topic)));
      const union = shares.flat().sort((x, y) => x - y);
      return shares.every((s) => s.length > 0) && union.join() === all ? shares : undefined;
    },
    timeoutMs,
    200,
  );
}

/**
 * The longest stretch between two consecutive results (by their Kafka timestamps) inside
 * [from, to], with when it began: how long the output stood still at worst.
 */
export function longestResultGap(results: readonly ReadMessage[], from: number, to: number): { ms: number; startedAt: number } {
  const times = results
    .map((m) => Number(m.timestamp))
    .filter((t) => t >= from && t <= to)
    .sort((a, b) => a - b);
  let worst = { ms: 0, startedAt: from };
  let previous = from;
  for (const t of [...times, to]) {
    if (t - previous > worst.ms) worst = { ms: t - previous, startedAt: previous };
    previous = t;
  }
  return worst;
}
