import type { Admin, Kafka } from 'kafkajs';
import { describeError } from '@sentiment/errors';
import type { Logger } from '@sentiment/observability';

/** How often the lag of the assigned partitions is read (a Prometheus scrape every 15-30 s sees fresh values). */
export const DEFAULT_LAG_REFRESH_MS = 5000;

export interface ConsumerLagReaderOptions {
  groupId: string;
  topic: string;
  /** Default DEFAULT_LAG_REFRESH_MS. */
  intervalMs?: number;
  /**
   * How a partition without a committed offset counts: from its first offset (the whole log is
   * still to do, as with fromBeginning consumers) or as 0 (the group will start at the end).
   */
  fromBeginning: boolean;
}

export interface PartitionLag {
  partition: number;
  /** High watermark minus committed offset: messages the group has not finished yet. */
  lag: number;
  /** Committed offset, '-1' when the group has none for this partition. */
  committed: string;
  high: string;
}

export interface ConsumerLagListener {
  /** The partition's lag as of the latest read. */
  onLag(partition: number, lag: number): void;
  /** The partition is no longer assigned here: forget its value (another replica reports it now). */
  onRemove(partition: number): void;
}

/**
 * Reads the consumer group's lag on the partitions assigned to this replica, every `intervalMs`:
 * the committed offset (OffsetFetch) against the high watermark (ListOffsets), both through a
 * kafkajs Admin. Unlike the lag of the last fetched batch, this keeps growing when the replica
 * stops committing (stuck, failing to produce, its partitions paused), which is what an
 * autoscaler and an alert need. A failed read keeps the previous values (unknown is not zero).
 */
export class ConsumerLagReader {
  private readonly admin: Admin;
  private assigned = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<PartitionLag[]> | undefined;
  private connected = false;
  private stopped = false;
  private readonly log: Logger;

  constructor(
    kafka: Kafka,
    private readonly options: ConsumerLagReaderOptions,
    private readonly listener: ConsumerLagListener,
    logger: Logger,
  ) {
    this.admin = kafka.admin();
    this.log = logger.child({ component: 'consumer-lag', groupId: options.groupId, topic: options.topic });
  }

  /** The partitions assigned after a rebalance: revoked ones are removed at once, new ones read soon. */
  setAssignment(partitions: readonly number[]): void {
    const next = new Set(partitions);
    for (const p of this.assigned) if (!next.has(p)) this.listener.onRemove(p);
    this.assigned = next;
    if (!this.stopped) void this.refresh().catch(() => undefined);
  }

  /** Starts the periodic reads (idempotent). */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), this.options.intervalMs ?? DEFAULT_LAG_REFRESH_MS);
    this.timer.unref();
  }

  /** Reads the lag of the assigned partitions now; concurrent calls share one read. */
  refresh(): Promise<PartitionLag[]> {
    this.reading ??= this.read().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  /** Stops reading, forgets every partition and disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.reading?.catch(() => undefined);
    this.setAssignment([]);
    if (this.connected) await this.admin.disconnect().catch(() => undefined);
    this.connected = false;
  }

  private async read(): Promise<PartitionLag[]> {
    if (this.assigned.size === 0 || this.stopped) return [];
    const { groupId, topic } = this.options;
    try {
      if (!this.connected) {
        await this.admin.connect();
        this.connected = true;
      }
      const [committed, ends] = await Promise.all([this.admin.fetchOffsets({ groupId, topics: [topic] }), this.admin.fetchTopicOffsets(topic)]);
      const committedBy = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, p.offset]));
      const lags: PartitionLag[] = [];
      for (const end of ends) {
        // Checked after the reads: a partition revoked meanwhile must not come back.
        if (!this.assigned.has(end.partition) || this.stopped) continue;
        const commit = committedBy.get(end.partition) ?? '-1';
        const high = BigInt(end.high);
        const from = BigInt(commit) >= 0n ? BigInt(commit) : this.options.fromBeginning ? BigInt(end.low) : high;
        const lag = Number(high > from ? high - from : 0n);
        lags.push({ partition: end.partition, lag, committed: commit, high: end.high });
        this.listener.onLag(end.partition, lag);
      }
      return lags;
    } catch (err) {
      this.log.debug('consumer lag read failed; keeping the previous values', { error: describeError(err) });
      throw err;
    }
  }
}
