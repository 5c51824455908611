import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ConfigResourceTypes } from 'kafkajs';
import { produceJson, readTopicToEnd, runKafkaJavaTool, startKafkaCluster, testKafka, uniqueName, type KafkaCluster } from '@sentiment/testing';

jest.setTimeout(240_000);

async function poll<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve(probe()).catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The quorum leader as Kafka's own tool reports it (DescribeQuorum through a broker). */
async function quorumLeaderByKafkaTool(cluster: KafkaCluster): Promise<number> {
  const { stdout } = await runKafkaJavaTool(cluster.version, 'org.apache.kafka.tools.MetadataQuorumCommand', [
    '--bootstrap-server',
    cluster.runningBootstrap(),
    'describe',
    '--status',
  ]);
  const match = /^LeaderId:\s+(\d+)/m.exec(stdout.toString('utf8'));
  if (!match) throw new Error(`no LeaderId in:\n${stdout.toString('utf8')}`);
  return Number(match[1]);
}

describe('three-node cluster (startKafkaCluster)', () => {
  let cluster: KafkaCluster;

  beforeAll(async () => {
    cluster = await startKafkaCluster({ size: 3 });
  }, 240_000);

  afterEach(async () => {
    // A test that failed half-way must not leave a node down for the next one (two down: no quorum).
    for (const node of cluster?.nodes ?? []) if (!node.isRunning()) await cluster.startNode(node.nodeId);
    await cluster?.waitForFullIsr();
  }, 180_000);

  afterAll(async () => {
    await cluster?.destroy();
  }, 60_000);

  it('when started, then three unfenced brokers serve topics with three replicas, all in sync, and min.insync.replicas 2', async () => {
    const topic = uniqueName('cluster-topics');
    await cluster.createTopics([{ topic, numPartitions: 6 }]);
    const admin = testKafka(cluster.bootstrap).admin();
    await admin.connect();
    try {
      const described = await admin.describeCluster();
      expect(described.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
      // Another node's metadata may learn of the new topic a moment later ("does not host this topic-partition").
      const configs = await poll('the topic config from any node', () =>
        admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas'] }] }),
      );
      expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('2');
    } finally {
      await admin.disconnect();
    }
    const partitions = await cluster.partitions(topic);
    expect(partitions).toHaveLength(6);
    for (const p of partitions) expect(p).toMatchObject({ replicas: [1, 2, 3], isr: [1, 2, 3] });
    // Leadership is spread: every node leads some partition.
    expect(new Set(partitions.map((p) => p.leader))).toEqual(new Set([1, 2, 3]));
    expect(cluster.bootstrap.split(',')).toHaveLength(3);
  });

  it('when the leader of a partition is SIGKILLed, then another in-sync replica leads it, no acknowledged message is lost, and the node catches up after a restart', async () => {
    const topic = uniqueName('cluster-failover');
    await cluster.createTopics([{ topic, numPartitions: 1 }]);
    const before = await produceJson(cluster.bootstrap, topic, Array.from({ length: 200 }, (_, i) => ({ key: `k${i}`, value: { i } })));
    const leader = await cluster.partitionLeader(topic, 0);
    const killedAt = Date.now();
    await cluster.killNode(leader);
    expect(cluster.node(leader).isRunning()).toBe(false);
    const newLeader = await poll('a new leader', async () => {
      const l = await cluster.partitionLeader(topic, 0);
      return l >= 0 && l !== leader ? l : undefined;
    });
    const electedMs = Date.now() - killedAt;
    // The dead node leaves the ISR once the controller fences it; the new leader was in sync.
    const state = await poll('the ISR without the dead node', async () => {
      const [p] = await cluster.partitions(topic);
      return p && !p.isr.includes(leader) ? p : undefined;
    });
    expect(state.isr).toContain(newLeader);
    expect(state.isr).toHaveLength(2);
    // Two replicas in sync = min.insync.replicas: acks=all writes still succeed.
    const during = await produceJson(cluster.runningBootstrap(), topic, [{ key: 'during', value: { during: true } }]);
    await cluster.startNode(leader);
    const catchUpMs = await cluster.waitForFullIsr([topic]);
    const read = await readTopicToEnd(cluster.bootstrap, topic);
    process.stderr.write(`[kafka-cluster] leader ${leader} killed: node ${newLeader} elected after ${electedMs} ms; full ISR ${catchUpMs} ms after the restart\n`);
    expect(read.map((m) => m.offset)).toEqual([...before, ...during].map((r) => r.offset));
  });

  it('when fewer replicas are in sync than min.insync.replicas, then an acks=all write is refused rather than acknowledged', async () => {
    const topic = uniqueName('cluster-min-isr');
    await cluster.createTopics([{ topic, numPartitions: 1 }]);
    const [state] = await cluster.partitions(topic);
    const followers = (state?.replicas ?? []).filter((id) => id !== state?.leader);
    const admin = testKafka(cluster.bootstrap).admin();
    await admin.connect();
    try {
      // Simulate two lost followers without losing the controller quorum: require 3 in sync, stop one.
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'min.insync.replicas', value: '3' }] }] });
    } finally {
      await admin.disconnect();
    }
    await cluster.stopNode(followers[0] as number);
    await poll('the ISR to shrink', async () => ((await cluster.partitions(topic))[0]?.isr.length === 2 ? true : undefined));
    const producer = testKafka(cluster.runningBootstrap(), { retry: { retries: 1, initialRetryTime: 100 } }).producer();
    await producer.connect();
    try {
      await expect(producer.send({ topic, acks: -1, messages: [{ value: 'x' }] })).rejects.toThrow(/in-sync replicas|NOT_ENOUGH_REPLICAS/i);
    } finally {
      await producer.disconnect();
      await cluster.startNode(followers[0] as number);
      await cluster.waitForFullIsr([topic]);
    }
  });

  it('when the active controller is SIGKILLed, then the two remaining voters elect another, as Kafka itself reports', async () => {
    const before = await poll('a controller', () => cluster.controller());
    expect(await quorumLeaderByKafkaTool(cluster)).toBe(before.leaderId);
    await cluster.killNode(before.leaderId);
    const after = await poll('a new controller', () => {
      const now = cluster.controller();
      return now && now.leaderId !== before.leaderId ? now : undefined;
    });
    expect(after.leaderEpoch).toBeGreaterThan(before.leaderEpoch);
    expect(cluster.node(after.leaderId).isRunning()).toBe(true);
    expect(await quorumLeaderByKafkaTool(cluster)).toBe(after.leaderId);
    await cluster.startNode(before.leaderId);
    await cluster.waitForFullIsr();
  });
});
