import { describe, expect, it } from '@jest/globals';
import { KafkaJSConnectionError, Partitioners } from 'kafkajs';

// kafkajs' internals as patched by patches/kafkajs+2.2.4.patch (no types: plain CommonJS).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sendMessages = require('kafkajs/src/producer/sendMessages') as (deps: unknown) => (args: unknown) => Promise<Array<{ topicName: string; partition: number }>>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const createRetry = require('kafkajs/src/retry') as (options: { retries: number; initialRetryTime: number; maxRetryTime: number }) => unknown;

interface ProducedPartition {
  partition: number;
  messages: { value: string }[];
}
interface ProduceRequest {
  topicData: { topic: string; partitions: ProducedPartition[] }[];
}

/**
 * Just enough of kafkajs' cluster for sendMessages: partition leaders that change when the
 * metadata is refreshed, as after a leader's death. The real cluster is exercised by
 * services/sentiment-worker/test/cluster/cluster-failover.int.test.ts, where this was found.
 */
function clusterWithLeaders(topic: string, before: Record<number, number>, after: Record<number, number>) {
  let leaders = before;
  const brokers = new Map<number, { produced: ProducedPartition[]; produce: (r: ProduceRequest) => Promise<unknown> }>();
  const failOnce = new Set<number>();
  for (const nodeId of new Set([...Object.values(before), ...Object.values(after)])) {
    const broker = {
      produced: [] as ProducedPartition[],
      produce: async (request: ProduceRequest) => {
        if (failOnce.delete(nodeId)) throw new KafkaJSConnectionError('Connection error: read ECONNRESET');
        const partitions = request.topicData.flatMap((t) => t.partitions);
        broker.produced.push(...partitions);
        return { topics: request.topicData.map((t) => ({ topicName: t.topic, partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode: 0, baseOffset: '0' })) })) };
      },
    };
    brokers.set(nodeId, broker);
  }
  const cluster = {
    targetTopics: new Set([topic]),
    refreshMetadataIfNecessary: async () => undefined,
    refreshMetadata: async () => {
      leaders = after;
    },
    addMultipleTargetTopics: async () => undefined,
    isConnected: () => true,
    removeBroker: () => undefined,
    findTopicPartitionMetadata: () => Object.keys(before).map((p) => ({ partitionId: Number(p), leader: leaders[Number(p)] })),
    findLeaderForPartitions: (_topic: string, partitions: string[]) =>
      partitions.reduce<Record<number, number[]>>((acc, p) => {
        const leader = leaders[Number(p)] as number;
        (acc[leader] ??= []).push(Number(p));
        return acc;
      }, {}),
    findBroker: async ({ nodeId }: { nodeId: string | number }) => brokers.get(Number(nodeId)),
  };
  return { cluster, brokers, failOnce };
}

const noLog = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const eosManager = {
  acquireBrokerLock: async () => undefined,
  releaseBrokerLock: async () => undefined,
  isTransactional: () => false,
  getSequence: () => 0,
  updateSequence: () => undefined,
  getProducerId: () => -1,
  getProducerEpoch: () => 0,
  getTransactionalId: () => undefined,
};

describe('kafkajs produce retries (patched)', () => {
  it('when one leader fails and its partition moves to a broker that already answered, then the retry sends that partition there and nothing is dropped', async () => {
    const topic = 'calls.sentiment';
    // Partition 0 on broker 1, partition 1 on broker 2; broker 2 dies and partition 1 moves to broker 1.
    const { cluster, brokers, failOnce } = clusterWithLeaders(topic, { 0: 1, 1: 2 }, { 0: 1, 1: 1 });
    failOnce.add(2);
    const send = sendMessages({ logger: noLog, cluster, partitioner: Partitioners.DefaultPartitioner(), eosManager, retrier: createRetry({ retries: 3, initialRetryTime: 1, maxRetryTime: 5 }) });
    const messages = Array.from({ length: 20 }, (_, i) => ({ value: `v${i}`, partition: i % 2 }));

    const responses = await send({ acks: -1, timeout: 1000, compression: 0, topicMessages: [{ topic, messages }] });

    const sent = [...brokers.values()].flatMap((b) => b.produced.flatMap((p) => p.messages.map((m) => m.value)));
    // Upstream skipped broker 1 on the retry (it had answered): partition 1's 10 messages were never sent, yet send() resolved.
    expect([...sent].sort()).toEqual(messages.map((m) => m.value).sort());
    expect(responses.map((r) => r.partition).sort()).toEqual([0, 1]);
    expect(brokers.get(1)?.produced.map((p) => p.partition)).toEqual([0, 1]);
  });

  it('when every leader fails once, then the retry sends each partition once more and send() resolves with one response per partition', async () => {
    const topic = 'calls.dlq';
    const { cluster, brokers, failOnce } = clusterWithLeaders(topic, { 0: 1, 1: 2, 2: 3 }, { 0: 3, 1: 3, 2: 3 });
    failOnce.add(1);
    failOnce.add(2);
    const send = sendMessages({ logger: noLog, cluster, partitioner: Partitioners.DefaultPartitioner(), eosManager, retrier: createRetry({ retries: 3, initialRetryTime: 1, maxRetryTime: 5 }) });
    const messages = Array.from({ length: 30 }, (_, i) => ({ value: `d${i}`, partition: i % 3 }));

    const responses = await send({ acks: -1, timeout: 1000, compression: 0, topicMessages: [{ topic, messages }] });

    const sent = [...brokers.values()].flatMap((b) => b.produced.flatMap((p) => p.messages.map((m) => m.value)));
    expect({ sent: sent.length, unique: new Set(sent).size }).toEqual({ sent: 30, unique: 30 });
    expect(responses.map((r) => r.partition).sort()).toEqual([0, 1, 2]);
  });
});
