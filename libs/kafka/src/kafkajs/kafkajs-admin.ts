import { ConfigResourceTypes, type Admin, type Kafka } from 'kafkajs';
import type { KafkaAdmin, PartitionOffsets } from '../port/kafka-admin';
import { toKafkaError } from './kafkajs-errors';
import { MAX_MESSAGE_BYTES_CONFIG, maxMessageBytesByTopic } from '../shared/max-message-bytes';

export class KafkajsAdmin implements KafkaAdmin {
  private readonly admin: Admin;
  private connected: Promise<void> | undefined;

  constructor(kafka: Kafka) {
    this.admin = kafka.admin();
  }

  connect(): Promise<void> {
    this.connected ??= this.admin.connect().catch((err: unknown) => {
      this.connected = undefined;
      throw toKafkaError(err, 'admin connect failed');
    });
    return this.connected;
  }

  async disconnect(): Promise<void> {
    this.connected = undefined;
    await this.admin.disconnect().catch(() => undefined);
  }

  async maxMessageBytes(topics: string[]): Promise<Map<string, number>> {
    await this.connect();
    try {
      const described = await this.admin.describeConfigs({
        resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: [MAX_MESSAGE_BYTES_CONFIG] })),
        includeSynonyms: false,
      });
      return maxMessageBytesByTopic(
        described.resources.map((r) => ({ topic: r.resourceName, value: r.configEntries.find((e) => e.configName === MAX_MESSAGE_BYTES_CONFIG)?.configValue })),
      );
    } catch (err) {
      throw toKafkaError(err, 'describeConfigs failed');
    }
  }

  async partitionOffsets(groupId: string, topic: string): Promise<PartitionOffsets[]> {
    await this.connect();
    try {
      const [committed, ends] = await Promise.all([this.admin.fetchOffsets({ groupId, topics: [topic] }), this.admin.fetchTopicOffsets(topic)]);
      const byPartition = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
      return ends.map((end) => ({ partition: end.partition, committed: byPartition.get(end.partition) ?? -1n, highWatermark: BigInt(end.high) }));
    } catch (err) {
      throw toKafkaError(err, 'reading offsets failed');
    }
  }
}
