import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, logLevel, ResourcePatternTypes, type AclEntry } from 'kafkajs';
import { kafkaClientsUnderTest, produceJson, readTopicToEnd, startKafkaBroker, type KafkaBroker } from '@sentiment/testing';
import { createTestTopics, startTestWorker, waitFor, waitForReady, workerEnv, type TestTopics } from './helpers/worker-harness';
import { spawnWorker } from './helpers/worker-process';

// A real, non-retriable consumer crash caused from outside: the broker runs with an ACL authorizer
// (everything allowed while no ACL names a resource) and the test revokes the worker's right to
// read its input topic while it consumes. kafkajs then fails with TOPIC_AUTHORIZATION_FAILED and
// stops for good ("restart: false"), exactly as when an operator removes an ACL in production.
// The shared test broker has no authorizer, so this file starts its own.

let broker: KafkaBroker;
let admin: ReturnType<Kafka['admin']>;

beforeAll(async () => {
  broker = await startKafkaBroker({
    properties: {
      'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'allow.everyone.if.no.acl.found': 'true',
    },
  });
  admin = new Kafka({ clientId: 'crash-test-acls', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
}, 180_000);

afterAll(async () => {
  await admin?.disconnect().catch(() => undefined);
  await broker?.destroy();
}, 60_000);

/** Every client here connects as User:ANONYMOUS (PLAINTEXT); only READ of this one topic is taken away. */
function denyReadAcl(topic: string): AclEntry {
  return {
    resourceType: AclResourceTypes.TOPIC,
    resourceName: topic,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    principal: 'User:ANONYMOUS',
    host: '*',
    operation: AclOperationTypes.READ,
    permissionType: AclPermissionTypes.DENY,
  };
}

async function denyRead(topic: string): Promise<void> {
  await admin.createAcls({ acl: [denyReadAcl(topic)] });
}

async function allowReadAgain(topic: string): Promise<void> {
  await admin.deleteAcls({ filters: [denyReadAcl(topic)] });
}

function metricValue(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

const event = (id: string) => ({ key: id, value: { call_id: id, text: 'Thank you, that was really helpful!' } });

async function resultKeys(topics: TestTopics): Promise<Set<string>> {
  const results = await readTopicToEnd(broker.bootstrap, topics.output);
  return new Set(results.map((m) => String(m.key)));
}

async function waitForResult(topics: TestTopics, key: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(`result for ${key}`, async () => ((await resultKeys(topics)).has(key) ? true : undefined), timeoutMs, 500);
}

interface Health {
  status: string;
  reasons?: string[];
  kafka: { consumer: { state: string; crashes: number; restarts: number } };
}

describe.each(kafkaClientsUnderTest())('consumer crash: the worker reports it, restarts with backoff, recovers (%s client)', (client) => {
  it('when the input topic becomes unreadable, then the crash is logged and counted, /ready is 503 with a reason, and once readable again it processes again', async () => {
    const topics = await createTestTopics(broker.bootstrap, 1);
    const worker = await startTestWorker(workerEnv(broker.bootstrap, topics, { KAFKA_CLIENT: client, CONSUMER_MAX_RESTARTS: '10', LOG_LEVEL: 'info' }));
    try {
      await waitForReady(worker.url);
      await produceJson(broker.bootstrap, topics.input, [event('before-crash')]);
      await waitForResult(topics, 'before-crash');
      const crashesBefore = metricValue(await (await fetch(`${worker.url}/metrics`)).text(), 'sentiment_consumer_crashes_total');

      // The ACL also hides the topic's metadata, so nothing can be produced to it while it holds.
      await denyRead(topics.input);
      await waitFor('/ready to answer 503', async () => ((await fetch(`${worker.url}/ready`)).status === 503 ? true : undefined), 30_000);

      // While the topic stays unreadable the worker keeps failing, and never claims to be ready.
      for (let i = 0; i < 8; i++) {
        const ready = await fetch(`${worker.url}/ready`);
        expect(ready.status).toBe(503);
        expect(((await ready.json()) as { reasons: string[] }).reasons.join('\n')).toMatch(/kafka consumer/);
        await new Promise((r) => setTimeout(r, 500));
      }
      const health = (await (await fetch(`${worker.url}/health`)).json()) as Health;
      expect(health.status).toBe('degraded');
      expect(health.kafka.consumer.state).toBe('crashed');
      expect(health.reasons?.join('\n')).toMatch(/kafka consumer (crashed|restarting).*(Not authorized to access topics|TOPIC_AUTHORIZATION_FAILED|[Tt]opic authorization failed)/);

      const crash = worker.find('consumer crashed')[0];
      expect(crash?.level).toBe('error');
      expect(JSON.stringify(crash?.meta['error'])).toContain('TOPIC_AUTHORIZATION_FAILED');
      expect(worker.find('restarting consumer').length).toBeGreaterThanOrEqual(1);
      const metrics = await (await fetch(`${worker.url}/metrics`)).text();
      expect(metricValue(metrics, 'sentiment_consumer_crashes_total', 'retriable="false"')).toBeGreaterThan(crashesBefore);
      expect(metricValue(metrics, 'sentiment_consumer_restarts_total')).toBeGreaterThanOrEqual(1);

      await allowReadAgain(topics.input);
      // Backoff doubles from 1 s: by now the next attempt is at most ~16 s away.
      await waitForReady(worker.url, 60_000);
      // Nothing to consume after the recovery: once it has stayed in its group for the stability
      // window (10 s here) without crashing, /health no longer reports the old crash.
      const idle = await waitFor('/health without reasons on an idle topic', async () => {
        const h = (await (await fetch(`${worker.url}/health`)).json()) as Health;
        return (h.reasons ?? []).length === 0 ? h : undefined;
      }, 40_000);
      expect(idle.status).toBe('ok');
      await produceJson(broker.bootstrap, topics.input, [event('after-recovery')]);
      await waitForResult(topics, 'after-recovery');
      const recovered = (await (await fetch(`${worker.url}/health`)).json()) as Health;
      expect(recovered.kafka.consumer.state).toBe('running');
      expect(recovered.kafka.consumer.restarts).toBeGreaterThanOrEqual(1);
      expect(recovered.reasons ?? []).toEqual([]);
    } finally {
      await worker.stop('test done');
      await allowReadAgain(topics.input).catch(() => undefined);
    }
  });

  it('when the consumer crashes CONSUMER_MAX_RESTARTS + 1 times in a row, then the process logs why and exits 1 for its supervisor', async () => {
    const topics = await createTestTopics(broker.bootstrap, 1);
    const worker = await spawnWorker(workerEnv(broker.bootstrap, topics, { KAFKA_CLIENT: client, CONSUMER_MAX_RESTARTS: '1', LOG_LEVEL: 'info' }));
    try {
      await waitForReady(worker.url);
      const started = Date.now();
      await denyRead(topics.input);
      // One restart after 1 s of backoff, a second crash, then the exit.
      let timer: NodeJS.Timeout | undefined;
      const hung = new Promise<'hung'>((r) => {
        timer = setTimeout(() => r('hung'), 60_000);
      });
      const exitCode = await Promise.race([worker.exited, hung]).finally(() => clearTimeout(timer));
      expect({ exitCode, output: exitCode === 1 ? '' : worker.output() }).toEqual({ exitCode: 1, output: '' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      const lines = worker
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { message: string; level: string; error?: unknown });
      expect(lines.filter((l) => l.message === 'consumer crashed')).toHaveLength(2);
      expect(lines.filter((l) => l.message === 'restarting consumer')).toHaveLength(1);
      const fatal = lines.find((l) => l.message === 'fatal: exiting so the supervisor restarts the worker');
      expect(fatal?.level).toBe('error');
      expect(JSON.stringify(fatal?.error)).toMatch(/KAFKA_CONSUMER_CRASHED/);
      expect(JSON.stringify(fatal?.error)).toMatch(/Not authorized to access topics|TOPIC_AUTHORIZATION_FAILED|[Tt]opic authorization failed/);
    } finally {
      await worker.kill();
      await allowReadAgain(topics.input).catch(() => undefined);
    }
  });
});
