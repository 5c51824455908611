/** How the consumer joins its group: the classic protocol, or KIP-848's `consumer` protocol (Kafka 4.x). */
export type GroupProtocol = 'classic' | 'consumer';

export interface BatchConsumerOptions {
  groupId: string;
  topics: string[];
  /** Where a group without committed offsets starts: the earliest offset (true) or the latest. */
  fromBeginning: boolean;
  /** Batches of different partitions handed out at once; bounds in-flight work. */
  maxInFlightBatches: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
  /** Fetch size per partition (a soft limit: the broker always returns at least one whole record batch). */
  maxBytesPerPartition: number;
  /** Fetch size per request, all partitions together. */
  maxBytes: number;
  maxWaitTimeMs: number;
  /**
   * Largest size a record batch may inflate to; a batch that would exceed it is not decompressed
   * but handed out as one placeholder (`InputMessage.refusedBatch`). It also bounds what one
   * partition's fetch may inflate to in total: batches past that budget wait for the next fetch.
   */
  maxDecompressedBatchBytes: number;
  groupProtocol: GroupProtocol;
  /** Static membership (KIP-345): a restart with the same id keeps its partitions without a rebalance. */
  groupInstanceId: string | undefined;
  /** Restarts after a non-retriable crash before giving up (0 = never give up). */
  maxRestarts: number;
  restartBackoffMs: { initial: number; max: number };
  /** In the group this long without a crash, idle, counts as recovered. Default: max(10 s, 3 heartbeats). */
  stableAfterMs: number | undefined;
  /**
   * Without an answer from the broker for this long, the consumer counts as out of contact
   * (`inContact: false`): a client keeps a consumer "joined" while it retries a lost connection,
   * so this is what tells /ready the broker is gone. Default: max(5 s, 3 heartbeat intervals).
   */
  contactTimeoutMs: number | undefined;
}

/**
 * The one place the consumer's defaults live: the worker's configuration (and through it
 * docs/configuration.md) takes its defaults from here.
 */
export const defaultBatchConsumerOptions = {
  fromBeginning: true,
  maxInFlightBatches: 6,
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  rebalanceTimeoutMs: 60_000,
  maxBytesPerPartition: 65_536,
  maxBytes: 262_144,
  maxWaitTimeMs: 1_000,
  maxDecompressedBatchBytes: 16 * 1_048_576,
  groupProtocol: 'classic',
  groupInstanceId: undefined,
  maxRestarts: 10,
  restartBackoffMs: { initial: 1_000, max: 30_000 },
  stableAfterMs: undefined,
  contactTimeoutMs: undefined,
} as const satisfies Omit<BatchConsumerOptions, 'groupId' | 'topics'>;

export type BatchConsumerSettings = Pick<BatchConsumerOptions, 'groupId' | 'topics'> & Partial<Omit<BatchConsumerOptions, 'groupId' | 'topics'>>;

export function withConsumerDefaults(settings: BatchConsumerSettings): BatchConsumerOptions {
  const defined = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  return { ...defaultBatchConsumerOptions, ...defined } as BatchConsumerOptions;
}

export function contactTimeoutOf(o: BatchConsumerOptions): number {
  return o.contactTimeoutMs ?? Math.max(5_000, 3 * o.heartbeatIntervalMs);
}

export function stableAfterOf(o: BatchConsumerOptions): number {
  return o.stableAfterMs ?? Math.max(10_000, 3 * o.heartbeatIntervalMs);
}
