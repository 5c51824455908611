import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { describeLedgerReport, ledgerFromTopics, produceJson, readTopicToEnd, startKafkaBroker, type KafkaBroker, kafkaClientsUnderTest } from '@sentiment/testing';
import { createTestTopics, waitFor, waitForOutcomes, workerEnv } from '../helpers/worker-harness';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process';

// Distinctive strings, so a leak into the logs cannot hide.
const SCRAM512 = { username: 'worker512', password: 'Sha512-Secret-pw.7' };
const SCRAM256 = { username: 'worker256', password: 'Sha256-Secret-pw.5' };
const PLAIN = { username: 'workerplain', password: 'Plain-Secret-pw.3' };
const WRONG = 'Wrong-Guess-pw.9';

/**
 * Two extra brokers with a SASL_PLAINTEXT listener: SCRAM-SHA-512 and PLAIN on one (PLAIN's users
 * live in the listener's JAAS config), SCRAM-SHA-256 on the other (the harness creates one SCRAM
 * credential per broker, at format time). Topics are created on the PLAINTEXT listener.
 */
describe.each(kafkaClientsUnderTest())('Kafka security (SASL, %s client)', (client) => {
  let scram512: KafkaBroker;
  let scram256: KafkaBroker;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    [scram512, scram256] = await Promise.all([
      startKafkaBroker({
        sasl: { mechanism: 'scram-sha-512', ...SCRAM512 },
        properties: {
          'sasl.enabled.mechanisms': 'SCRAM-SHA-256,SCRAM-SHA-512,PLAIN',
          'listener.name.sasl_plaintext.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required user_${PLAIN.username}="${PLAIN.password}";`,
        },
      }),
      startKafkaBroker({ sasl: { mechanism: 'scram-sha-256', ...SCRAM256 } }),
    ]);
  }, 180_000);

  afterAll(async () => {
    for (const w of workers.splice(0)) await w.kill();
    await Promise.all([scram512?.destroy(), scram256?.destroy()]);
  });

  const cases = [
    { mechanism: 'scram-sha-512', broker: () => scram512, creds: SCRAM512 },
    { mechanism: 'scram-sha-256', broker: () => scram256, creds: SCRAM256 },
    { mechanism: 'plain', broker: () => scram512, creds: PLAIN },
  ] as const;

  for (const c of cases) {
    it(`when the worker authenticates with ${c.mechanism} and the right credentials, then it processes events and never logs the password`, async () => {
      const broker = c.broker();
      const topics = await createTestTopics(broker.bootstrap, 2);
      const events = Array.from({ length: 50 }, (_, i) => ({ key: `sasl-${i}`, value: { call_id: `sasl-${i}`, text: 'Thanks, that was helpful!' } }));
      await produceJson(broker.bootstrap, topics.input, events);
      const worker = await spawnWorker(
        workerEnv(broker.saslBootstrap as string, topics, {
          KAFKA_CLIENT: client,
          KAFKA_SASL_MECHANISM: c.mechanism,
          KAFKA_SASL_USERNAME: c.creds.username,
          KAFKA_SASL_PASSWORD: c.creds.password,
          LOG_LEVEL: 'debug',
        }),
      );
      workers.push(worker);
      // A produce retried on a busy machine can write an input twice: wait for what is really there.
      const inputs = (await readTopicToEnd(broker.bootstrap, topics.input)).length;
      await waitForOutcomes(broker.bootstrap, topics, inputs, 60_000);
      const report = await ledgerFromTopics(broker.bootstrap, topics);
      expect({ ok: report.ok, summary: describeLedgerReport(report) }).toMatchObject({ ok: true });
      expect(report.inputs).toBeGreaterThanOrEqual(events.length);
      expect(report.results).toBe(report.inputs);
      const ready = await fetch(`${worker.url}/ready`);
      expect(ready.status).toBe(200);
      expect(await worker.stop()).toBe(0);
      expect(worker.output()).toContain(c.creds.username); // the logs do name the user...
      expect(worker.output()).not.toContain(c.creds.password); // ...never the password
    });
  }

  it('when the password is wrong, then /ready is 503, /health says authentication failed, and the password is not logged', async () => {
    const topics = await createTestTopics(scram512.bootstrap, 1);
    const worker = await spawnWorker(
      workerEnv(scram512.saslBootstrap as string, topics, {
        KAFKA_CLIENT: client,
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: SCRAM512.username,
        KAFKA_SASL_PASSWORD: WRONG,
        LOG_LEVEL: 'debug',
      }),
    );
    workers.push(worker);
    const health = await waitFor(
      '/health to report the authentication failure',
      async () => {
        const body = (await (await fetch(`${worker.url}/health`)).json()) as { status: string; reasons?: string[] };
        return /KAFKA_AUTH|authentication/i.test((body.reasons ?? []).join(' ')) ? body : undefined;
      },
      30_000,
      250,
    );
    expect(health.status).not.toBe('ok');
    expect(health.reasons?.join(' ')).toMatch(/KAFKA_AUTH/);
    const ready = await fetch(`${worker.url}/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { reasons: string[] }).reasons.join(' ')).toMatch(/authentication/i);
    // Still serving, not crash-looping.
    expect(worker.child.exitCode).toBeNull();
    expect(await worker.stop()).toBe(0);
    expect(worker.output()).toMatch(/authentication/i);
    expect(worker.output()).not.toContain(WRONG);
  });
});
