import { afterEach, describe, expect, it } from '@jest/globals';
import { silentLogger } from '@sentiment/observability';
import { createTopics, kafkaClientsUnderTest, produceJson, testBootstrap, testKafka, uniqueName } from '@sentiment/testing';
import { createKafkaPort, type KafkaAdmin } from '@sentiment/kafka';
import { ConsumerLagReader } from '../src/consumer-lag-reader';

/** Records what the reader reports, as a gauge would hold it. */
function gauge() {
  const values = new Map<number, number>();
  const removed: number[] = [];
  return {
    values,
    removed,
    listener: {
      onLag: (p: number, lag: number) => values.set(p, lag),
      onRemove: (p: number) => {
        values.delete(p);
        removed.push(p);
      },
    },
  };
}

async function commit(bootstrap: string, groupId: string, topic: string, offsets: Record<number, number>): Promise<void> {
  const admin = testKafka(bootstrap).admin();
  await admin.connect();
  try {
    // An empty group (no member): its offsets can be set from outside, as kafka-consumer-groups --reset-offsets does.
    await admin.setOffsets({ groupId, topic, partitions: Object.entries(offsets).map(([p, o]) => ({ partition: Number(p), offset: String(o) })) });
  } finally {
    await admin.disconnect();
  }
}

describe.each(kafkaClientsUnderTest())('ConsumerLagReader on the %s admin', (client) => {
  const readers: ConsumerLagReader[] = [];
  const admins: KafkaAdmin[] = [];
  afterEach(async () => {
    await Promise.all(readers.splice(0).map((r) => r.stop()));
    await Promise.all(admins.splice(0).map((a) => a.disconnect()));
  });

  /** The port's admin on the chosen client, as the worker builds it. */
  function portAdmin(bootstrap: string): KafkaAdmin {
    const admin = createKafkaPort(client, { clientId: 'lag-reader-test', brokers: bootstrap.split(',') }, silentLogger).createAdmin(silentLogger);
    admins.push(admin);
    return admin;
  }

  async function setUp(partitions: number, perPartition: number) {
    const bootstrap = testBootstrap();
    const topic = uniqueName('lag-reader');
    const groupId = uniqueName('lag-reader-group');
    await createTopics(bootstrap, [{ topic, numPartitions: partitions }]);
    const messages = Array.from({ length: partitions * perPartition }, (_, i) => ({ value: { i }, partition: i % partitions }));
    await produceJson(bootstrap, topic, messages);
    return { bootstrap, topic, groupId };
  }

  it('when the group committed part of each assigned partition, then the lag is high watermark minus committed offset, per partition', async () => {
    const { bootstrap, topic, groupId } = await setUp(3, 50);
    await commit(bootstrap, groupId, topic, { 0: 10, 1: 50, 2: 0 });
    const g = gauge();
    const reader = new ConsumerLagReader(portAdmin(bootstrap), { groupId, topic, fromBeginning: true }, g.listener, silentLogger);
    readers.push(reader);
    reader.setAssignment([0, 1, 2]);
    const lags = await reader.refresh();
    expect(lags.map((l) => [l.partition, l.lag]).sort()).toEqual([[0, 40], [1, 0], [2, 50]]);
    expect([...g.values.entries()].sort()).toEqual([[0, 40], [1, 0], [2, 50]]);
  });

  it('when nothing is committed yet, then the lag counts from the first offset with fromBeginning, and is 0 without', async () => {
    const { bootstrap, topic, groupId } = await setUp(2, 30);
    const fromStart = gauge();
    const fromEnd = gauge();
    const a = new ConsumerLagReader(portAdmin(bootstrap), { groupId, topic, fromBeginning: true }, fromStart.listener, silentLogger);
    const b = new ConsumerLagReader(portAdmin(bootstrap), { groupId, topic, fromBeginning: false }, fromEnd.listener, silentLogger);
    readers.push(a, b);
    a.setAssignment([0, 1]);
    b.setAssignment([0, 1]);
    await Promise.all([a.refresh(), b.refresh()]);
    expect([...fromStart.values.values()]).toEqual([30, 30]);
    expect([...fromEnd.values.values()]).toEqual([0, 0]);
  });

  it('when a partition is revoked, then its value is removed at once and later reads leave it out', async () => {
    const { bootstrap, topic, groupId } = await setUp(3, 20);
    const g = gauge();
    const reader = new ConsumerLagReader(portAdmin(bootstrap), { groupId, topic, fromBeginning: true }, g.listener, silentLogger);
    readers.push(reader);
    reader.setAssignment([0, 1, 2]);
    await reader.refresh();
    reader.setAssignment([1]);
    expect(g.removed.sort()).toEqual([0, 2]);
    await reader.refresh();
    expect([...g.values.keys()]).toEqual([1]);
    await reader.stop();
    expect(g.values.size).toBe(0);
  });

  it('when more messages arrive and nothing is committed, then the periodic read shows the lag growing', async () => {
    const { bootstrap, topic, groupId } = await setUp(1, 10);
    await commit(bootstrap, groupId, topic, { 0: 10 });
    const g = gauge();
    const reader = new ConsumerLagReader(portAdmin(bootstrap), { groupId, topic, fromBeginning: true, intervalMs: 100 }, g.listener, silentLogger);
    readers.push(reader);
    reader.setAssignment([0]);
    reader.start();
    await reader.refresh();
    expect(g.values.get(0)).toBe(0);
    await produceJson(bootstrap, topic, Array.from({ length: 25 }, (_, i) => ({ value: { i }, partition: 0 })));
    const deadline = Date.now() + 10_000;
    while (g.values.get(0) !== 25 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(g.values.get(0)).toBe(25);
  });
});
