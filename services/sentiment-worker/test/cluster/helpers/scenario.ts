import { expect } from '@jest/globals';
import { committedOffsets, endOffsets, type TestTopics } from '../../helpers/worker-harness';
import type { WorkerProcess } from '../../helpers/worker-process';
import { startInputStream, type InputStream } from '../../reliability/helpers/input-stream';
import { ledgerFigures, summary, waitForNothingLost, type LedgerFigures } from '../../reliability/helpers/ledger-wait';
import { health, metricTotal, poll, readyStatus } from '../../reliability/helpers/worker-probes';
import type { ClusterFixture } from './cluster-fixture';
import { ProbeTimeline, probeViolations, type SilentStall } from './probe-timeline';
import { readResults, type ResultRecord } from './result-timeline';

export interface Scenario {
  topics: TestTopics;
  worker: WorkerProcess;
  stream: InputStream;
  timeline: ProbeTimeline;
  /** When the worker had delivered its first results, i.e. the stream was flowing. */
  flowingAt: number;
}

export interface ScenarioOutcome {
  produced: number;
  ledger: LedgerFigures & { text: string };
  results: ResultRecord[];
  /** What the probes said that must never be said during a broker failover (see probeViolations). */
  probeViolations: string[];
  /** /ready and /health at the end. */
  finalReady: number;
  finalHealth: string | undefined;
  figures: LedgerFigures;
  /** What the worker logged about failed batches and commits: where duplicates come from. */
  workerEvents: Record<string, number>;
  /** When something was lost: where the group stands and what the worker says, to tell a stuck partition from a lost result. */
  diagnostics?: Record<string, unknown>;
}

/**
 * One worker (VADER) consuming a stream of ~200 events/s on fresh topics, with its probes sampled
 * every 250 ms; resolves once results flow.
 */
export async function startScenario(fixture: ClusterFixture, name: string, workerOverrides: Record<string, string> = {}): Promise<Scenario> {
  const topics = await fixture.topics();
  const worker = await fixture.spawnWorker(topics, { INSTANCE_ID: name, ...workerOverrides });
  const timeline = new ProbeTimeline(worker.url);
  const stream = startInputStream(fixture.cluster.bootstrap, topics.input, { prefix: name, perSend: 20, everyMs: 100 });
  await poll('/ready 200', async () => ((await readyStatus(worker.url)) === 200 ? true : undefined), 90_000);
  await poll('results flowing', async () => ((await metricTotal(worker.url, 'sentiment_messages_processed_total')) >= 200 ? true : undefined), 90_000);
  return { topics, worker, stream, timeline, flowingAt: Date.now() };
}

/**
 * Ends a scenario: keeps the stream going until the worker is ready and healthy again (new inputs
 * go through the recovered cluster), stops it, waits until every input has its outcome, and reads
 * the results for the figures.
 */
export async function finishScenario(fixture: ClusterFixture, s: Scenario): Promise<ScenarioOutcome> {
  const bootstrap = fixture.cluster.bootstrap;
  await poll('/ready 200 and /health ok after the fault', async () => {
    const health = s.timeline.samples.at(-1);
    return (await readyStatus(s.worker.url)) === 200 && health?.healthStatus === 'ok' ? true : undefined;
  }, 120_000, 250);
  const processed = await metricTotal(s.worker.url, 'sentiment_messages_processed_total');
  await poll('more results after the recovery', async () => ((await metricTotal(s.worker.url, 'sentiment_messages_processed_total')) >= processed + 100 ? true : undefined), 60_000);
  const produced = await s.stream.stop();
  const report = await waitForNothingLost(bootstrap, s.topics, 120_000);
  const final = s.timeline.samples.at(-1);
  await s.timeline.stop();
  const results = await readResults(bootstrap, s.topics.output);
  const diagnostics =
    report.lost.length > 0
      ? {
          committed: Object.fromEntries(await committedOffsets(bootstrap, s.topics.group, s.topics.input)),
          end: Object.fromEntries(await endOffsets(bootstrap, s.topics.input)),
          lostByPartition: report.lost.reduce<Record<number, string[]>>((acc, r) => ((acc[r.partition] ??= []).push(r.offset), acc), {}),
          workerHealth: await health(s.worker.url).catch((err: unknown) => String(err)),
        }
      : undefined;
  const log = s.worker.output();
  const count = (pattern: RegExp): number => log.split('\n').filter((line) => pattern.test(line)).length;
  const workerEvents = {
    commitFailedAfterAck: count(/"message":"offset commit failed after results were acknowledged"/),
    batchFailedConsumedAgain: count(/"message":"batch failed; it will be consumed again"/),
    produceRetries: await metricTotal(s.worker.url, 'sentiment_produce_retries_total'),
    consumerCrashes: await metricTotal(s.worker.url, 'sentiment_consumer_crashes_total'),
  };
  return {
    workerEvents,
    ...(diagnostics ? { diagnostics } : {}),
    produced,
    ledger: summary(report),
    figures: ledgerFigures(report),
    results,
    probeViolations: probeViolations(s.timeline.samples),
    finalReady: final?.ready ?? 0,
    finalHealth: final?.healthStatus,
  };
}

/**
 * What every failover scenario asserts, whatever the fault: nothing lost, no probe answer that must
 * never be given during a failover, no produce-side silent stall (waiting for the broker to
 * acknowledge results while saying "ready" is what /ready must never do; consumer-side stalls are
 * reported, not failed: see SilentStall), and ready and ok at the end.
 */
export function expectFailoverTruthful(outcome: ScenarioOutcome, stalls: readonly SilentStall[]): void {
  expect(outcome.ledger).toMatchObject({ lost: 0, unknown: 0 });
  expect(outcome.probeViolations).toEqual([]);
  expect(stalls.filter((x) => x.side === 'produce').map((x) => x.text)).toEqual([]);
  expect([outcome.finalReady, outcome.finalHealth]).toEqual([200, 'ok']);
}
