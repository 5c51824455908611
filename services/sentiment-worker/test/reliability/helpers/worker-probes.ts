import type { HealthReport } from '@sentiment/http';
import { waitFor } from '@sentiment/testing';

/** GET /ready's status code, or 0 when the worker does not answer. */
export async function readyStatus(url: string): Promise<number> {
  return fetch(`${url}/ready`, { signal: AbortSignal.timeout(5000) }).then(
    (r) => r.status,
    () => 0,
  );
}

export async function health(url: string): Promise<HealthReport> {
  const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) });
  return (await res.json()) as HealthReport;
}

/** Partitions of `topic` assigned to the worker, per its /health. */
export async function assignedPartitions(url: string, topic: string): Promise<number[]> {
  const report = await health(url);
  const assignment = (report.kafka.consumer['assignment'] ?? {}) as Record<string, number[]>;
  return [...(assignment[topic] ?? [])].sort((a, b) => a - b);
}

/** Sum of every series of a counter or gauge in the worker's /metrics (0 when absent). */
export async function metricTotal(url: string, name: string, labelFilter?: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-z_]+)(\{[^}]*\})? ([0-9.eE+-]+|NaN)$/.exec(line);
    if (!match || match[1] !== name) continue;
    if (labelFilter && !labelFilter.test(match[2] ?? '')) continue;
    total += Number(match[3]);
  }
  return total;
}

/** waitFor, with a probe that throws (a worker not listening yet, a broker restarting) counting as no value yet. */
export function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60000, everyMs = 200): Promise<T> {
  return waitFor(what, () => probe().catch(() => undefined), timeoutMs, everyMs);
}
