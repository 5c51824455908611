import { type ITopicConfig } from 'kafkajs';
import { KafkaHarnessError } from './harness-error';
import { testKafka, type TestClientOptions } from './test-kafka-client';

export interface TopicSpec {
  topic: string;
  numPartitions?: number;
  /** Default 1 (a single broker). A 3-node cluster: 3 (KafkaCluster.createTopics sets it). */
  replicationFactor?: number;
  /** Topic-level configs, e.g. { 'max.message.bytes': '2097152' }. */
  configs?: Record<string, string>;
}

/**
 * Creates topics (replication factor 1 unless a spec says otherwise) and waits until every partition has a leader, so a
 * producer can write straight away. Topics that already exist are left as they are.
 */
export async function createTopics(
  bootstrap: string,
  topics: readonly TopicSpec[],
  client: TestClientOptions = {},
): Promise<void> {
  // Under load, waitForLeaders can see "does not host this topic-partition" before the broker's
  // metadata caught up with the controller; the topics are there a moment later, and creating
  // again is harmless (existing topics are kept).
  for (let attempt = 1; ; attempt++) {
    try {
      await createTopicsOnce(bootstrap, topics, client);
      return;
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

async function createTopicsOnce(bootstrap: string, topics: readonly TopicSpec[], client: TestClientOptions): Promise<void> {
  const admin = testKafka(bootstrap, client).admin();
  await admin.connect();
  try {
    const wanted: ITopicConfig[] = topics.map((t) => ({
      topic: t.topic,
      numPartitions: t.numPartitions ?? 1,
      replicationFactor: t.replicationFactor ?? 1,
      ...(t.configs ? { configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })) } : {}),
    }));
    try {
      await admin.createTopics({ topics: wanted, waitForLeaders: true, timeout: 30_000 });
    } catch (err) {
      // kafkajs reports "already exists" for the whole batch; it is fine if every topic is now there.
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t.topic)).map((t) => t.topic);
      if (missing.length > 0) {
        throw new KafkaHarnessError(`could not create topics ${missing.join(', ')} on ${bootstrap}`, { cause: err });
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/** Deletes topics; missing ones are ignored. */
export async function deleteTopics(bootstrap: string, topics: readonly string[], client: TestClientOptions = {}): Promise<void> {
  const admin = testKafka(bootstrap, client).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((t) => existing.has(t));
    if (present.length > 0) await admin.deleteTopics({ topics: present, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
}
