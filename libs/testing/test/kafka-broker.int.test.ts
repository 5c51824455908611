import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CompressionTypes } from 'kafkajs';
import {
  consoleConsumerClass,
  consoleProducerClass,
  createTopics,
  type KafkaBroker,
  produceJson,
  produceRaw,
  readTopicToEnd,
  runKafkaJavaTool,
  startKafkaBroker,
  testBootstrap,
  testKafka,
  testKafkaVersion,
  uniqueName,
} from '@sentiment/testing';

function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('shared test broker (jest global setup)', () => {
  it('when messages are produced to a new topic, then readTopicToEnd returns exactly them with their positions', async () => {
    const bootstrap = testBootstrap();
    const topic = uniqueName('harness-read');
    await createTopics(bootstrap, [{ topic, numPartitions: 3 }]);
    const json = Array.from({ length: 60 }, (_, i) => ({ key: `call-${i % 7}`, value: { n: i, text: `hello ${i}` } }));
    const jsonRefs = await produceJson(bootstrap, topic, json);
    const rawRefs = await produceRaw(bootstrap, topic, [
      { key: null, value: Buffer.from([0xff, 0xfe, 0x00]), headers: { 'x-test': 'binary' }, partition: 2 },
      { key: 'empty', value: null, partition: 0 },
    ]);

    const read = await readTopicToEnd(bootstrap, topic);

    const produced = [...jsonRefs, ...rawRefs];
    expect(read).toHaveLength(produced.length);
    const position = (r: { partition: number; offset: string }): string => `${r.partition}/${r.offset}`;
    expect(new Set(read.map(position))).toEqual(new Set(produced.map(position)));
    expect(new Set(read.map((m) => m.partition)).size).toBe(3);
    const byPosition = new Map(read.map((m) => [position(m), m]));
    json.forEach((m, i) => {
      const got = byPosition.get(position(jsonRefs[i]!));
      expect(got?.key?.toString()).toBe(m.key);
      expect(JSON.parse(got?.value?.toString() ?? 'null')).toEqual(m.value);
    });
    const binary = byPosition.get(position(rawRefs[0]!));
    expect(binary?.value).toEqual(Buffer.from([0xff, 0xfe, 0x00]));
    expect(binary?.key).toBeNull();
    expect(binary?.headers['x-test']?.toString()).toBe('binary');
    expect(byPosition.get(position(rawRefs[1]!))?.value).toBeNull();
  });

  it('when a topic is empty, then readTopicToEnd returns nothing at once', async () => {
    const bootstrap = testBootstrap();
    const topic = uniqueName('harness-empty');
    await createTopics(bootstrap, [{ topic, numPartitions: 2 }]);
    await expect(readTopicToEnd(bootstrap, topic)).resolves.toEqual([]);
  });

  it('when one transaction commits and one aborts, then readTopicToEnd reaches the end and returns only committed messages', async () => {
    const bootstrap = testBootstrap();
    const topic = uniqueName('harness-txn');
    await createTopics(bootstrap, [{ topic, numPartitions: 2 }]);
    const producer = testKafka(bootstrap).producer({
      transactionalId: uniqueName('harness-txn-id'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      const committed = await producer.transaction();
      await committed.send({ topic, messages: [{ value: 'kept-1', partition: 0 }, { value: 'kept-2', partition: 1 }] });
      await committed.commit();
      const aborted = await producer.transaction();
      await aborted.send({ topic, messages: [{ value: 'dropped', partition: 0 }] });
      await aborted.abort();
    } finally {
      await producer.disconnect();
    }

    const read = await readTopicToEnd(bootstrap, topic, { timeoutMs: 30_000 });
    expect(read.map((m) => m.value?.toString()).sort()).toEqual(['kept-1', 'kept-2']);
    const all = await readTopicToEnd(bootstrap, topic, { isolation: 'read_uncommitted', timeoutMs: 30_000 });
    expect(all.map((m) => m.value?.toString()).sort()).toEqual(['dropped', 'kept-1', 'kept-2']);
  });

  it("when Kafka's own console producer writes gzip and its console consumer reads, then both sides see the same records", async () => {
    const version = testKafkaVersion();
    if (version === 'external') return; // the Java tools need a local version's jars
    const bootstrap = testBootstrap();
    const topic = uniqueName('harness-console');
    await createTopics(bootstrap, [{ topic, numPartitions: 1 }]);

    await runKafkaJavaTool(
      version,
      consoleProducerClass(version),
      ['--bootstrap-server', bootstrap, '--topic', topic, '--compression-codec', 'gzip'],
      { stdin: '{"text":"from java 1"}\n{"text":"from java 2"}\n' },
    );
    await produceRaw(bootstrap, topic, [{ value: 'from kafkajs', partition: 0 }], { compression: CompressionTypes.GZIP });

    const read = await readTopicToEnd(bootstrap, topic);
    expect(read.map((m) => m.value?.toString())).toEqual(['{"text":"from java 1"}', '{"text":"from java 2"}', 'from kafkajs']);

    const consumed = await runKafkaJavaTool(version, consoleConsumerClass(version), [
      '--bootstrap-server',
      bootstrap,
      '--topic',
      topic,
      '--from-beginning',
      '--max-messages',
      '3',
      '--timeout-ms',
      '30000',
    ]);
    expect(consumed.stdout.toString().trim().split('\n')).toEqual([
      '{"text":"from java 1"}',
      '{"text":"from java 2"}',
      'from kafkajs',
    ]);
  });
});

describe('a broker of its own (startKafkaBroker), with SCRAM and SSL listeners', () => {
  let broker: KafkaBroker;
  const sasl = { mechanism: 'scram-sha-512' as const, username: 'harness-user', password: 'harness-secret-1' };

  beforeAll(async () => {
    broker = await startKafkaBroker({ sasl, ssl: true });
  });

  afterAll(async () => {
    await broker?.destroy();
  });

  it('when a client authenticates with the SCRAM credentials, then it is served, and with a wrong password it is refused', async () => {
    expect(broker.saslBootstrap).toMatch(/^127\.0\.0\.1:\d+$/);
    const good = testKafka(broker.saslBootstrap!, { sasl: broker.sasl!, retry: { retries: 0 } }).admin();
    await good.connect();
    try {
      const cluster = await good.describeCluster();
      expect(cluster.brokers).toHaveLength(1);
    } finally {
      await good.disconnect();
    }

    const bad = testKafka(broker.saslBootstrap!, {
      sasl: { ...sasl, password: 'wrong-password' },
      retry: { retries: 0 },
    }).admin();
    await expect(bad.connect()).rejects.toThrow(/SASL|authentication/i);
    await bad.disconnect().catch(() => undefined);
  });

  it('when a client trusts the test CA, then the SSL listener serves it, and a client trusting only public CAs is refused', async () => {
    expect(broker.sslBootstrap).toMatch(/^127\.0\.0\.1:\d+$/);
    const good = testKafka(broker.sslBootstrap!, { ssl: broker.ssl!, retry: { retries: 0 } }).admin();
    await good.connect();
    try {
      const sslPort = Number(broker.sslBootstrap!.split(':')[1]);
      expect((await good.describeCluster()).brokers).toEqual([expect.objectContaining({ port: sslPort })]);
    } finally {
      await good.disconnect();
    }

    const untrusting = testKafka(broker.sslBootstrap!, { ssl: true, retry: { retries: 0 } }).admin();
    await expect(untrusting.connect()).rejects.toThrow(/certificate/i);
    await untrusting.disconnect().catch(() => undefined);
  });

  it('when the broker is stopped and started again, then it is back on the same port with the earlier messages', async () => {
    const topic = uniqueName('harness-restart');
    await createTopics(broker.bootstrap, [{ topic, numPartitions: 2 }]);
    const before = await produceJson(
      broker.bootstrap,
      topic,
      Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: { i } })),
    );
    const { bootstrap, port } = broker;

    await broker.stop();
    expect(broker.isRunning()).toBe(false);
    expect(broker.pid).toBeUndefined();
    expect(await portAcceptsConnections(port)).toBe(false);

    await broker.start();
    expect(broker.bootstrap).toBe(bootstrap);
    expect(await portAcceptsConnections(port)).toBe(true);
    const after = await produceJson(broker.bootstrap, topic, [{ key: 'k-after', value: { i: 'after' } }]);

    // A JVM crash (SIGKILL) loses nothing acknowledged: the writes are in the OS page cache.
    const pid = broker.pid;
    await broker.kill();
    expect(pid).toBeDefined();
    expect(() => process.kill(pid!, 0)).toThrow();
    await broker.start();

    const read = await readTopicToEnd(broker.bootstrap, topic);
    const positions = read.map((m) => `${m.partition}/${m.offset}`).sort();
    expect(positions).toEqual([...before, ...after].map((r) => `${r.partition}/${r.offset}`).sort());
  });
});
