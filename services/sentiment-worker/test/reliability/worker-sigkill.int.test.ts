import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { produceJson, testBootstrap, kafkaClientsUnderTest } from '@sentiment/testing';
import { committedOffsets, endOffsets, workerEnv } from '../helpers/worker-harness';
import { callEvents } from './helpers/call-events';
import { createReliabilityTopics } from './helpers/test-topics';
import { ledgerFigures, reportFigures, summary, waitForNothingLost } from './helpers/ledger-wait';
import { metricTotal, poll, readyStatus } from './helpers/worker-probes';
import { WorkerProcesses } from './helpers/worker-processes';

jest.setTimeout(180_000);

const EVENTS = 6000;
const KILLS = 2;

describe.each(kafkaClientsUnderTest())('worker killed mid-batch (%s client)', (client) => {
  const workers = new WorkerProcesses();

  afterAll(async () => {
    await workers.killAll();
  });

  it('when the worker is SIGKILLed with batches in flight and a new one starts, then no input is lost (duplicates allowed)', async () => {
    const bootstrap = testBootstrap();
    const topics = await createReliabilityTopics(bootstrap, 3);
    // Longer transcripts and small fetches: many batches, each in flight for a while.
    await produceJson(bootstrap, topics.input, callEvents(EVENTS, 'kill', 0, 8));
    const total = async () => [...(await endOffsets(bootstrap, topics.input)).values()].reduce((a, b) => a + b, 0);
    const committedTotal = async () => [...(await committedOffsets(bootstrap, topics.group, topics.input)).values()].reduce((a, b) => a + Math.max(0, b), 0);
    // The shortest session the config allows: the killed member is evicted sooner, so its successor gets the partitions sooner.
    const env = workerEnv(bootstrap, topics, { KAFKA_CLIENT: client, KAFKA_MAX_BYTES_PER_PARTITION: '65536', MAX_IN_FLIGHT_BATCHES: '3', KAFKA_SESSION_TIMEOUT_MS: '6000', KAFKA_HEARTBEAT_INTERVAL_MS: '1000' });
    const kills: { processedBeforeKill: number; batchesInFlight: number; committedAtKill: number }[] = [];
    try {
      for (let k = 0; k < KILLS; k++) {
        const worker = await workers.spawn({ ...env, INSTANCE_ID: `killed-${k}` });
        const atKill = await poll(
          `worker ${k} to be busy with batches in flight`,
          async () => {
            const processed = await metricTotal(worker.url, 'sentiment_messages_processed_total');
            const inFlight = await metricTotal(worker.url, 'sentiment_in_flight_batches');
            return processed >= 500 && inFlight > 0 ? { processed, inFlight } : undefined;
          },
          90_000,
          50,
        );
        await worker.kill();
        expect(worker.child.signalCode).toBe('SIGKILL');
        const committedAtKill = await committedTotal();
        kills.push({ processedBeforeKill: atKill.processed, batchesInFlight: atKill.inFlight, committedAtKill });
        // Mid-stream for real: work was left for the next worker.
        expect(committedAtKill).toBeLessThan(await total());
      }

      const restartedAt = Date.now();
      const last = await workers.spawn({ ...env, INSTANCE_ID: 'survivor' });
      await poll('/ready 200 on the last worker', async () => ((await readyStatus(last.url)) === 200 ? true : undefined), 60_000);
      const report = await waitForNothingLost(bootstrap, topics, 120_000);
      const caughtUpMs = Date.now() - restartedAt;
      expect(await last.stop()).toBe(0);

      reportFigures('SIGKILL mid-batch', { events: EVENTS, kills, ...ledgerFigures(report), lastRestartToCaughtUpMs: caughtUpMs });
      expect(summary(report)).toMatchObject({ lost: 0, unknown: 0 });
      expect(report.inputs).toBe(EVENTS);
    } catch (err) {
      process.stderr.write(workers.output());
      throw err;
    }
  });
});
