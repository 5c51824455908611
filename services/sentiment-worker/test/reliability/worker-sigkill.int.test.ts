import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { produceJson, testBootstrap } from '@sentiment/testing';
import { committedOffsets, createTestTopics, endOffsets, workerEnv } from '../helpers/worker-harness';
import { callEvents } from './helpers/call-events';
import { ledgerFigures, reportFigures, summary, waitForNothingLost } from './helpers/ledger-wait';
import { metricTotal, poll, readyStatus } from './helpers/worker-probes';
import { WorkerProcesses } from './helpers/worker-processes';

jest.setTimeout(180_000);

const EVENTS = 6000;

describe('worker killed mid-batch', () => {
  const workers = new WorkerProcesses();

  afterAll(async () => {
    await workers.killAll();
  });

  it('when the worker is SIGKILLed with batches in flight and a new one starts, then no input is lost (duplicates allowed)', async () => {
    const bootstrap = testBootstrap();
    const topics = await createTestTopics(bootstrap, 3);
    // Longer transcripts and small fetches: many batches, each in flight for a while.
    await produceJson(bootstrap, topics.input, callEvents(EVENTS, 'kill', 0, 8));
    const env = workerEnv(bootstrap, topics, { KAFKA_MAX_BYTES_PER_PARTITION: '65536', MAX_IN_FLIGHT_BATCHES: '3' });
    try {
      const first = await workers.spawn({ ...env, INSTANCE_ID: 'killed' });
      const inFlightAtKill = await poll(
        'the first worker to be busy with batches in flight',
        async () => {
          const processed = await metricTotal(first.url, 'sentiment_messages_processed_total');
          const inFlight = await metricTotal(first.url, 'sentiment_in_flight_batches');
          return processed >= 500 && inFlight > 0 ? { processed, inFlight } : undefined;
        },
        90_000,
        50,
      );
      await first.kill();
      expect(first.child.signalCode).toBe('SIGKILL');

      const ends = await endOffsets(bootstrap, topics.input);
      const committed = await committedOffsets(bootstrap, topics.group, topics.input);
      const committedAtKill = [...committed.values()].reduce((a, b) => a + Math.max(0, b), 0);
      // Mid-stream for real: work was left for the next worker.
      expect(committedAtKill).toBeLessThan([...ends.values()].reduce((a, b) => a + b, 0));

      const restartedAt = Date.now();
      const second = await workers.spawn({ ...env, INSTANCE_ID: 'restarted' });
      await poll('/ready 200 on the new worker', async () => ((await readyStatus(second.url)) === 200 ? true : undefined), 60_000);
      const report = await waitForNothingLost(bootstrap, topics, 120_000);
      const caughtUpMs = Date.now() - restartedAt;
      expect(await second.stop()).toBe(0);

      reportFigures('SIGKILL mid-batch', {
        events: EVENTS,
        processedBeforeKill: inFlightAtKill.processed,
        batchesInFlightAtKill: inFlightAtKill.inFlight,
        committedAtKill,
        ...ledgerFigures(report),
        restartToCaughtUpMs: caughtUpMs,
      });
      expect(summary(report)).toMatchObject({ lost: 0, unknown: 0 });
      expect(report.inputs).toBe(EVENTS);
    } catch (err) {
      process.stderr.write(workers.output());
      throw err;
    }
  });
});
