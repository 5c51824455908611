import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { describeLedgerReport, ledgerFromTopics, produceJson, readTopicToEnd, startKafkaBroker, type KafkaBroker, kafkaClientsUnderTest } from '@sentiment/testing';
import { createTestTopics, waitFor, waitForOutcomes, workerEnv } from '../helpers/worker-harness';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process';

/** A broker with an SSL listener whose certificate comes from a CA made at test time (openssl). */
describe.each(kafkaClientsUnderTest())('Kafka security (TLS, %s client)', (client) => {
  let broker: KafkaBroker;
  let dir: string;
  let caFile: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    broker = await startKafkaBroker({ ssl: true });
    dir = mkdtempSync(join(tmpdir(), 'worker-tls-'));
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, (broker.ssl?.ca ?? []).join('\n'));
  }, 180_000);

  afterAll(async () => {
    for (const w of workers.splice(0)) await w.kill();
    await broker?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('when the worker trusts the broker CA (KAFKA_TLS_CA_FILE), then it processes events over TLS', async () => {
    const topics = await createTestTopics(broker.bootstrap, 2);
    const events = Array.from({ length: 50 }, (_, i) => ({ key: `tls-${i}`, value: { call_id: `tls-${i}`, text: 'Lovely, thanks a lot!' } }));
    await produceJson(broker.bootstrap, topics.input, events);
    const worker = await spawnWorker(workerEnv(broker.sslBootstrap as string, topics, { KAFKA_CLIENT: client, KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: caFile }));
    workers.push(worker);
    // A produce retried on a busy machine can write an input twice: wait for what is really there.
    const inputs = (await readTopicToEnd(broker.bootstrap, topics.input)).length;
    await waitForOutcomes(broker.bootstrap, topics, inputs, 60_000);
    const report = await ledgerFromTopics(broker.bootstrap, topics);
    expect({ ok: report.ok, summary: describeLedgerReport(report) }).toMatchObject({ ok: true });
    expect(report.inputs).toBeGreaterThanOrEqual(events.length);
    expect(report.results).toBe(report.inputs);
    expect(await worker.stop()).toBe(0);
  });

  it('when the worker does not trust the broker certificate, then /ready is 503 and /health names the certificate problem', async () => {
    const topics = await createTestTopics(broker.bootstrap, 1);
    const worker = await spawnWorker(workerEnv(broker.sslBootstrap as string, topics, { KAFKA_CLIENT: client, KAFKA_TLS: 'true' }));
    workers.push(worker);
    const health = await waitFor(
      '/health to report the TLS failure',
      async () => {
        const body = (await (await fetch(`${worker.url}/health`)).json()) as { status: string; reasons?: string[] };
        return /certificate/i.test((body.reasons ?? []).join(' ')) ? body : undefined;
      },
      30_000,
      250,
    );
    expect(health.status).not.toBe('ok');
    expect((await fetch(`${worker.url}/ready`)).status).toBe(503);
    expect(worker.child.exitCode).toBeNull();
    expect(await worker.stop()).toBe(0);
  });
});
