import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startKafkaBroker, type KafkaBroker, kafkaClientsUnderTest } from '@sentiment/testing';
import { workerEnv } from '../helpers/worker-harness';
import { startInputStream } from './helpers/input-stream';
import { createReliabilityTopics } from './helpers/test-topics';
import { ledgerFigures, reportFigures, summary, waitForNothingLost } from './helpers/ledger-wait';
import { metricTotal, poll, readyStatus } from './helpers/worker-probes';
import { WorkerProcesses } from './helpers/worker-processes';

jest.setTimeout(240_000);

const OUTAGE_MS = 10_000;

describe.each(kafkaClientsUnderTest())('broker outage (%s client)', (client) => {
  // A broker of its own: stopping the shared one would break every other test running now.
  let broker: KafkaBroker;
  const workers = new WorkerProcesses();

  beforeAll(async () => {
    broker = await startKafkaBroker({ stopTimeoutMs: 20_000 });
  }, 180_000);

  afterAll(async () => {
    await workers.killAll();
    await broker?.destroy();
  }, 60_000);

  it('when the broker is down for 10 s mid-stream, then /ready goes 503 and back to 200, the same worker process reconnects and no input is lost', async () => {
    const topics = await createReliabilityTopics(broker.bootstrap, 3);
    const worker = await workers.spawn(workerEnv(broker.bootstrap, topics, { KAFKA_CLIENT: client, INSTANCE_ID: `outage-${client}`, LOG_LEVEL: 'info' }));
    const stream = startInputStream(broker.bootstrap, topics.input, { prefix: 'outage', perSend: 20, everyMs: 100 });
    try {
      await poll('/ready 200 before the outage', async () => ((await readyStatus(worker.url)) === 200 ? true : undefined), 60_000);
      await poll('results before the outage', async () => ((await metricTotal(worker.url, 'sentiment_messages_processed_total')) >= 200 ? true : undefined), 60_000);

      const downAt = Date.now();
      await broker.stop();
      const stoppedAt = Date.now();
      const notReady = await poll('/ready 503 while the broker is down', async () => ((await readyStatus(worker.url)) === 503 ? Date.now() : undefined), OUTAGE_MS, 100);
      // Down for a full 10 s after the graceful shutdown completed (a cold start then adds a few more).
      await sleep(Math.max(0, stoppedAt + OUTAGE_MS - Date.now()));
      expect(worker.child.exitCode).toBeNull();
      const startAt = Date.now();
      await broker.start();
      const upAt = Date.now();
      const readyAgain = await poll('/ready 200 after the broker is back', async () => ((await readyStatus(worker.url)) === 200 ? Date.now() : undefined), 120_000, 250);

      // Keep streaming a little after the recovery, so new inputs flow through the reconnected worker.
      const processedAtRecovery = await metricTotal(worker.url, 'sentiment_messages_processed_total');
      await poll('results after the recovery', async () => ((await metricTotal(worker.url, 'sentiment_messages_processed_total')) >= processedAtRecovery + 200 ? true : undefined), 60_000);
      const produced = await stream.stop();

      const report = await waitForNothingLost(broker.bootstrap, topics, 90_000);
      expect(worker.child.exitCode).toBeNull();
      const crashes = await metricTotal(worker.url, 'sentiment_consumer_crashes_total');
      const restarts = await metricTotal(worker.url, 'sentiment_consumer_restarts_total');
      const deadLettered = await metricTotal(worker.url, 'sentiment_dead_letters_total');
      const exitCode = await worker.stop();

      reportFigures('broker outage', {
        producedAcked: produced,
        producerFailures: stream.failures(),
        ...ledgerFigures(report),
        gracefulStopMs: stoppedAt - downAt,
        brokerDownMs: startAt - stoppedAt,
        brokerStartupMs: upAt - startAt,
        unreachableMs: upAt - downAt,
        notReadyAfterStopBeganMs: notReady - downAt,
        readyAgainAfterBrokerUpMs: readyAgain - upAt,
        consumerCrashes: crashes,
        consumerRestarts: restarts,
        deadLettered,
      });
      expect(summary(report)).toMatchObject({ lost: 0, unknown: 0 });
      expect(report.inputs).toBeGreaterThanOrEqual(produced);
      expect(exitCode).toBe(0);
    } catch (err) {
      process.stderr.write(workers.output());
      throw err;
    } finally {
      await stream.stop();
    }
  });
});
