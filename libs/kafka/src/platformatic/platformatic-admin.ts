import type { Admin, BaseOptions } from '@platformatic/kafka';
import type { KafkaAdmin, PartitionOffsets } from '../port/kafka-admin';
import { toKafkaError } from './platformatic-errors';
import { platformaticKafka } from './platformatic-module';
import { MAX_MESSAGE_BYTES_CONFIG, maxMessageBytesByTopic } from '../shared/max-message-bytes';

const TOPIC_RESOURCE = 2; // ConfigResourceTypes.TOPIC
const LATEST = -1n; // ListOffsetTimestamps.LATEST

export class PlatformaticAdmin implements KafkaAdmin {
  private admin: Admin | undefined;

  constructor(private readonly base: BaseOptions) {}

  private client(): Admin {
    if (!this.admin) {
      this.admin = new (platformaticKafka().Admin)({ ...this.base, clientId: `${this.base.clientId}-admin` });
      // Admin calls report their own failures; an 'error' event outside a call must not kill the process.
      this.admin.on('error', () => undefined);
    }
    return this.admin;
  }

  async connect(): Promise<void> {
    try {
      await this.client().metadata({ topics: [] });
    } catch (err) {
      throw toKafkaError(err, 'admin connect failed');
    }
  }

  async disconnect(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.close().catch(() => undefined);
  }

  async maxMessageBytes(topics: string[]): Promise<Map<string, number>> {
    try {
      const described = await this.client().describeConfigs({
        resources: topics.map((resourceName) => ({ resourceType: TOPIC_RESOURCE, resourceName, configurationKeys: [MAX_MESSAGE_BYTES_CONFIG] })),
      });
      return maxMessageBytesByTopic(described.map((r) => ({ topic: r.resourceName, value: r.configs.find((c) => c.name === MAX_MESSAGE_BYTES_CONFIG)?.value })));
    } catch (err) {
      throw toKafkaError(err, 'describeConfigs failed');
    }
  }

  async partitionOffsets(groupId: string, topic: string): Promise<PartitionOffsets[]> {
    try {
      const admin = this.client();
      const metadata = await admin.metadata({ topics: [topic] });
      const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
      const partitionIndexes = Array.from({ length: count }, (_, i) => i);
      const [committed, ends] = await Promise.all([
        admin.listConsumerGroupOffsets({ groups: [{ groupId, topics: [{ name: topic, partitionIndexes }] }] }),
        admin.listOffsets({ topics: [{ name: topic, partitions: partitionIndexes.map((partitionIndex) => ({ partitionIndex, timestamp: LATEST })) }] }),
      ]);
      const committedByPartition = new Map<number, bigint>();
      for (const t of committed[0]?.topics ?? []) for (const p of t.partitions) committedByPartition.set(p.partitionIndex, p.committedOffset);
      return (ends[0]?.partitions ?? []).map((p) => ({ partition: p.partitionIndex, committed: committedByPartition.get(p.partitionIndex) ?? -1n, highWatermark: p.offset }));
    } catch (err) {
      throw toKafkaError(err, 'reading offsets failed');
    }
  }
}
