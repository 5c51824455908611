import { afterAll, describe, expect, it, jest } from '@jest/globals';
import type { SentimentResult } from '@sentiment/events';
import { ledgerFromTopics, produceJson, readTopicToEnd, testBootstrap, kafkaClientsUnderTest } from '@sentiment/testing';
import { workerEnv, type TestTopics } from '../helpers/worker-harness';
import type { WorkerProcess } from '../helpers/worker-process';
import { callEvents } from './helpers/call-events';
import { startInputStream } from './helpers/input-stream';
import { createReliabilityTopics } from './helpers/test-topics';
import { ledgerFigures, reportFigures, summary, waitForNothingLost } from './helpers/ledger-wait';
import { assignedPartitions, metricTotal, poll, readyStatus } from './helpers/worker-probes';
import { WorkerProcesses } from './helpers/worker-processes';

jest.setTimeout(240_000);

const PARTITIONS = 6;
const BURST = 3000;
const ALL = Array.from({ length: PARTITIONS }, (_, i) => i);

/** Waits until the workers' assignments are non-empty, disjoint and cover every partition. */
async function waitForSharedAssignment(members: WorkerProcess[], topic: string): Promise<number[][]> {
  return poll(
    `${members.length} workers to share the ${PARTITIONS} partitions`,
    async () => {
      const assignments = await Promise.all(members.map((w) => assignedPartitions(w.url, topic)));
      const union = assignments.flat().sort((a, b) => a - b);
      const shared = assignments.every((a) => a.length > 0) && JSON.stringify(union) === JSON.stringify(ALL);
      return shared ? assignments : undefined;
    },
    90_000,
    250,
  );
}

async function resultInstances(bootstrap: string, topics: TestTopics): Promise<Set<string>> {
  const results = await readTopicToEnd(bootstrap, topics.output);
  return new Set(results.map((m) => (JSON.parse(String(m.value)) as SentimentResult).worker.instance ?? '?'));
}

async function waitForResultsFrom(bootstrap: string, topics: TestTopics, instance: string): Promise<void> {
  await poll(`results from ${instance}`, async () => ((await resultInstances(bootstrap, topics)).has(instance) ? true : undefined), 60_000, 1000);
}

describe.each(kafkaClientsUnderTest())('consumer group scaling (%s client)', (client) => {
  const workers = new WorkerProcesses();

  afterAll(async () => {
    await workers.killAll();
  });

  it('when workers join and leave gracefully while events stream in, then they share the partitions, one takes over, and nothing is lost or duplicated', async () => {
    const bootstrap = testBootstrap();
    const topics = await createReliabilityTopics(bootstrap, PARTITIONS);
    const env = workerEnv(bootstrap, topics, { KAFKA_CLIENT: client, MAX_IN_FLIGHT_BATCHES: '3' });
    const stream = startInputStream(bootstrap, topics.input, { prefix: 'scale', perSend: 30, everyMs: 100 });
    try {
      const a = await workers.spawn({ ...env, INSTANCE_ID: 'worker-a' });
      const b = await workers.spawn({ ...env, INSTANCE_ID: 'worker-b' });
      const [assignedA, assignedB] = await waitForSharedAssignment([a, b], topics.input);
      await waitForResultsFrom(bootstrap, topics, 'worker-a');
      await waitForResultsFrom(bootstrap, topics, 'worker-b');

      // A leaves gracefully while both are busy with a burst: it finishes and commits its
      // batches, then B owns everything.
      await produceJson(bootstrap, topics.input, callEvents(BURST, 'burst-1', 0, 8));
      await poll('worker-a busy with the burst', async () => ((await metricTotal(a.url, 'sentiment_in_flight_batches')) > 0 ? true : undefined), 30_000, 20);
      const stopAStarted = Date.now();
      expect(await a.stop()).toBe(0);
      const takeOver = await poll('worker-b to own every partition', async () => {
        const owned = await assignedPartitions(b.url, topics.input);
        return JSON.stringify(owned) === JSON.stringify(ALL) && (await readyStatus(b.url)) === 200 ? Date.now() : undefined;
      }, 90_000, 250);

      // A third worker joins while B is busy with another burst: B gives partitions away mid-work.
      await produceJson(bootstrap, topics.input, callEvents(BURST, 'burst-2', 0, 8));
      const c = await workers.spawn({ ...env, INSTANCE_ID: 'worker-c' });
      const [afterJoinB, assignedC] = await waitForSharedAssignment([b, c], topics.input);
      await waitForResultsFrom(bootstrap, topics, 'worker-c');

      const produced = await stream.stop();
      const caughtUp = await waitForNothingLost(bootstrap, topics, 120_000);
      expect(summary(caughtUp)).toMatchObject({ lost: 0 });
      expect(await b.stop()).toBe(0);
      expect(await c.stop()).toBe(0);

      const report = await ledgerFromTopics(bootstrap, topics);
      const instances = await resultInstances(bootstrap, topics);
      reportFigures('consumer group scaling', {
        producedAcked: produced,
        ...ledgerFigures(report),
        assignments: { a: assignedA, b: assignedB, bAfterA: ALL, bWithC: afterJoinB, c: assignedC },
        instances: [...instances].sort(),
        takeOverAfterStopMs: takeOver - stopAStarted,
      });
      expect([...instances].sort()).toEqual(['worker-a', 'worker-b', 'worker-c']);
      expect(report.inputs).toBeGreaterThanOrEqual(produced);
      expect(summary(report)).toMatchObject({ lost: 0, duplicatedInputs: 0, unknown: 0 });
    } catch (err) {
      process.stderr.write(workers.output());
      throw err;
    } finally {
      await stream.stop();
    }
  });
});
