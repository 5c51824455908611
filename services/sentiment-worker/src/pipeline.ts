import { describeError } from '@sentiment/errors';
import type { BatchConsumer, ConsumedBatch } from '@sentiment/kafka';
import type { Logger, WorkerMetrics } from '@sentiment/observability';
import type { BatchProcessor } from './batch-processor';
import { PendingSince } from './pending-since';

/**
 * The consume loop: takes batches from the async iterator and processes up to
 * `maxInFlight` of them at once (each from a different partition; the consumer hands out one
 * batch per partition at a time, so order within a partition is kept). A batch is committed
 * only after its outcomes were acknowledged (in exactly-once mode the transaction committed
 * them); then it is released and its partition may be fetched again.
 */
export class Pipeline {
  private readonly running = new Set<Promise<void>>();
  /** The offset commits in progress (readiness: a coordinator that does not answer). */
  private readonly commits = new PendingSince();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly consumer: BatchConsumer,
    private readonly processor: BatchProcessor,
    private readonly options: { maxInFlight: number; exactlyOnce: boolean },
    private readonly metrics: WorkerMetrics,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** How long the oldest commit in progress has waited (0 when none is). */
  commitWaitingMs(now = Date.now()): number {
    return this.commits.oldestWaitMs(now);
  }

  /** Resolves when the consumer's iterator has ended (after consumer.close()) and every batch settled. */
  async done(): Promise<void> {
    await this.loop;
  }

  private async run(): Promise<void> {
    for await (const batch of this.consumer.batches()) {
      while (this.running.size >= this.options.maxInFlight) await Promise.race(this.running);
      const task = this.handle(batch).finally(() => {
        this.running.delete(task);
        this.metrics.inFlightBatches.set(this.running.size);
      });
      this.running.add(task);
      this.metrics.inFlightBatches.set(this.running.size);
    }
    await Promise.allSettled([...this.running]);
  }

  private async handle(batch: ConsumedBatch): Promise<void> {
    try {
      await this.processor.process(batch);
    } catch (err) {
      // Neither results nor dead letters reached the broker: do not commit; the consumer
      // restarts from the committed offset, so the inputs are processed again, not skipped.
      this.log.error('batch failed; it will be consumed again', {
        topic: batch.topic,
        partition: batch.partition,
        firstOffset: batch.messages[0]?.offset,
        error: describeError(err),
      });
      batch.fail(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (!this.options.exactlyOnce) {
      try {
        await this.commits.track(() => batch.commit());
      } catch (err) {
        // Typically a rebalance: the outcomes are already out, so the worst case is that the
        // new owner of the partition produces them again (at-least-once).
        this.log.warn('offset commit failed after results were acknowledged', {
          topic: batch.topic,
          partition: batch.partition,
          offset: batch.nextOffset,
          error: describeError(err),
        });
        batch.abandon();
        return;
      }
    }
    batch.release();
  }
}
