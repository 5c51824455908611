import { describeError } from '@sentiment/errors';
import type { DecodeLimits } from '@sentiment/events';
import type { ConsumedBatch, ResultProducer, TopicLimits } from '@sentiment/kafka';
import type { Logger, WorkerMetrics } from '@sentiment/observability';
import { buildOutcomes } from './batch/build-outcomes';
import { decodeInputs } from './batch/decode-inputs';
import { recordOutcomes } from './batch/record-outcomes';
import { scoreInputs } from './batch/score-inputs';
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
 */
export class BatchProcessor {
  constructor(
    private readonly options: BatchProcessorOptions,
    private readonly engine: ScoringEngine,
    private readonly producer: ResultProducer,
    private readonly topicLimits: TopicLimits,
    private readonly metrics: WorkerMetrics,
    private readonly log: Logger,
  ) {}

  async process(batch: ConsumedBatch): Promise<void> {
    const { topic, messages } = batch;
    const started = performance.now();
    this.metrics.messagesConsumed.inc({ topic }, messages.length);
    this.metrics.batchSize.observe(messages.length);

    const { valid, rejected } = await decodeInputs(messages, this.options.decodeLimits);
    const scored = await scoreInputs(valid, this.engine, () => this.heartbeat(batch), this.log);
    if (valid.length > 0) this.metrics.scoringDuration.observe({ scorer: this.engine.scorer.name }, scored.scoringMs / 1000);
    const options = { ...this.options, limits: this.topicLimits };
    const outcomes = await buildOutcomes(batch, valid, scored.analyses, [...rejected, ...scored.rejected], scored.scoringMs, options);
    const delivered = await sendOutcomes(batch, outcomes, this.producer, options, this.log);
    recordOutcomes(batch, delivered, this.metrics, this.log);
    this.metrics.batchDuration.observe((performance.now() - started) / 1000);
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
