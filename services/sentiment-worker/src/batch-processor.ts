import { describeError } from '@sentiment/errors';
import type { DecodeLimits } from '@sentiment/events';
import type { ConsumedBatch, ResultProducer, TopicLimits } from '@sentiment/kafka';
import type { Logger, WorkerMetrics } from '@sentiment/observability';
import { yieldIfTurnOver } from '@sentiment/scoring';
import type { BatchPool } from './batch/batch-pool';
import type { PreparedOutcomes } from './batch/batch-types';
import { outcomesOnMainThread } from './batch/main-thread-outcomes';
import { recordOutcomes } from './batch/record-outcomes';
import { sendOutcomes } from './batch/send-outcomes';
import type { ScoringEngine } from './scoring-engine';

export interface BatchProcessorOptions {
  outputTopic: string;
  dlqTopic: string;
  decodeLimits: DecodeLimits;
  dlqMaxValueBytes: number;
  workerVersion: string;
  instanceId: string;
  exactlyOnce: boolean;
}

/**
 * decode -> score -> build outcomes -> send -> record, for one batch of one partition. Every
 * input ends as exactly one result or one dead letter, acknowledged by the broker before the
 * caller (the pipeline) commits the batch's offsets; in exactly-once mode they commit in the
 * same transaction as the outcomes.
 *
 * With a batch pool (BATCH_PROCESSING=worker-pool while VADER serves), decode, score and build
 * run in one of its threads and come back as the same outcomes; send and record stay here.
 */
export class BatchProcessor {
  constructor(
    private readonly options: BatchProcessorOptions,
    private readonly engine: ScoringEngine,
    private readonly producer: ResultProducer,
    private readonly topicLimits: TopicLimits,
    private readonly metrics: WorkerMetrics,
    private readonly log: Logger,
    private readonly pool?: BatchPool,
  ) {}

  async process(batch: ConsumedBatch): Promise<void> {
    const { topic, partition, messages } = batch;
    const started = performance.now();
    this.metrics.messagesConsumed.inc({ topic }, messages.length);
    this.metrics.batchSize.observe(messages.length);
    if (batch.lag >= 0) this.metrics.consumerLag.set({ topic, partition: String(partition) }, batch.lag);

    const options = { ...this.options, limits: this.topicLimits };
    const prepared = (this.pool ? await this.inPool(batch, this.pool) : undefined) ?? (await outcomesOnMainThread(batch, this.engine, options, () => this.heartbeat(batch), this.log));
    if (prepared.scored > 0) this.metrics.scoringDuration.observe({ scorer: prepared.scorer }, prepared.scoringMs / 1000);
    // The client encodes a produce request in one synchronous run: start it in a fresh turn once
    // this one has had its slice, so probes and heartbeats get the loop between two batches' sends.
    await yieldIfTurnOver();
    const delivered = await sendOutcomes(batch, prepared.outcomes, this.producer, options, this.log);
    recordOutcomes(batch, delivered, this.metrics, this.log);
    this.metrics.batchDuration.observe((performance.now() - started) / 1000);
  }

  /** Steps 1-3 in the batch pool; undefined when the pool failed, so the batch is processed here instead. */
  private async inPool(batch: ConsumedBatch, pool: BatchPool): Promise<PreparedOutcomes | undefined> {
    try {
      const done = await pool.outcomes(batch, { ...this.options, limits: this.topicLimits });
      if (done.scoringError !== undefined) this.log.error('scoring failed for a whole batch', { error: done.scoringError });
      return done;
    } catch (err) {
      this.log.warn('the batch pool failed; processing the batch on the main thread', { topic: batch.topic, partition: batch.partition, error: describeError(err) });
      return undefined;
    }
  }

  private async heartbeat(batch: ConsumedBatch): Promise<void> {
    try {
      await batch.heartbeat();
    } catch (err) {
      // A rebalance is under way; the batch finishes and its commit decides what happens.
      this.log.debug('heartbeat failed during scoring', { error: describeError(err) });
    }
  }
}
