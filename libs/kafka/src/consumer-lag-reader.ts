import { describeError } from '@sentiment/errors';
import type { Logger } from '@sentiment/observability';
import type { KafkaAdmin } from './port/kafka-admin';

/** How often the lag of the assigned partitions is read (a Prometheus scrape every 15-30 s sees fresh values). */
export const DEFAULT_LAG_REFRESH_MS = 5000;

export interface ConsumerLagReaderOptions {
  groupId: string;
  topic: string;
  /** Default DEFAULT_LAG_REFRESH_MS. */
  intervalMs?: number;
  /**
   * How a partition without a committed offset counts: the whole log is still to do (fromBeginning
   * consumers: counted from offset 0, an upper bound once retention removed the oldest records), or 0
   * (the group will start at the end).
   */
  fromBeginning: boolean;
}

export interface PartitionLag {
  partition: number;
  /** High watermark minus committed offset: messages the group has not finished yet. */
  lag: number;
  /** Committed offset, -1 when the group has none for this partition. */
  committed: bigint;
  highWatermark: bigint;
}

export interface ConsumerLagListener {
  /** The partition's lag as of the latest read. */
  onLag(partition: number, lag: number): void;
  /** The partition is no longer assigned here: forget its value (another replica reports it now). */
  onRemove(partition: number): void;
}

/**
 * Reads the consumer group's lag on the partitions assigned to this replica, every `intervalMs`:
 * the committed offset against the high watermark, through the port's admin (either client; the
 * caller owns its connection). Unlike the lag of the last fetched batch, this keeps growing when
 * the replica stops committing (stuck, failing to produce, its partitions paused), which is what an
 * autoscaler and an alert need. A failed read keeps the previous values (unknown is not zero).
 */
export class ConsumerLagReader {
  private assigned = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<PartitionLag[]> | undefined;
  private stopped = false;
  private readonly log: Logger;

  constructor(
    private readonly admin: Pick<KafkaAdmin, 'partitionOffsets'>,
    private readonly options: ConsumerLagReaderOptions,
    private readonly listener: ConsumerLagListener,
    logger: Logger,
  ) {
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

  /** Stops reading and forgets every partition. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.reading?.catch(() => undefined);
    this.setAssignment([]);
  }

  private async read(): Promise<PartitionLag[]> {
    if (this.assigned.size === 0 || this.stopped) return [];
    try {
      const offsets = await this.admin.partitionOffsets(this.options.groupId, this.options.topic);
      const lags: PartitionLag[] = [];
      for (const p of offsets) {
        // Checked after the read: a partition revoked meanwhile must not come back.
        if (!this.assigned.has(p.partition) || this.stopped) continue;
        const from = p.committed >= 0n ? p.committed : this.options.fromBeginning ? 0n : p.highWatermark;
        const lag = Number(p.highWatermark > from ? p.highWatermark - from : 0n);
        lags.push({ partition: p.partition, lag, committed: p.committed, highWatermark: p.highWatermark });
        this.listener.onLag(p.partition, lag);
      }
      return lags;
    } catch (err) {
      this.log.debug('consumer lag read failed; keeping the previous values', { error: describeError(err) });
      throw err;
    }
  }
}
