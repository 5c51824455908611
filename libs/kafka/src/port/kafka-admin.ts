/** The few admin operations the worker needs, whatever the client. */
export interface KafkaAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Effective `max.message.bytes` of each topic (its own setting or the broker's default). */
  maxMessageBytes(topics: string[]): Promise<Map<string, number>>;
  /** Committed offset of the group and high watermark per partition of a topic. */
  partitionOffsets(groupId: string, topic: string): Promise<PartitionOffsets[]>;
}

export interface PartitionOffsets {
  partition: number;
  /** Next offset the group will consume; -1 when it has committed nothing. */
  committed: bigint;
  highWatermark: bigint;
}
