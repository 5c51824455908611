import { describeError } from '@sentiment/errors';
import type { DecodeLimits } from '@sentiment/events';
import type { ConsumedBatch, ResultProducer, TopicLimits } from '@sentiment/kafka';
import type { BatchSpan, BatchTracer, Logger, WorkerMetrics } from '@sentiment/observability';
import { FRAME_HEADER_BYTES, type InputDecoder, type ResultEncoder } from '@sentiment/schema-registry';
import { yieldIfTurnOver } from '@sentiment/scoring';
import type { BatchPool } from './batch/batch-pool';
import type { PreparedOutcomes } from './batch/batch-types';
import type { ResultFraming } from './batch/build-outcomes';
import { inChild } from './batch/child-span';
import type { PreDecoder } from './batch/decode-inputs';
import { outcomesOnMainThread } from './batch/main-thread-outcomes';
import { recordOutcomes } from './batch/record-outcomes';
import { sendOutcomes } from './batch/send-outcomes';
import type { ScoringEngine } from './scoring-engine';

export interface BatchProcessorOptions {
  outputTopic: string;
  dlqTopic: string;
  /** The consumer group, named on batch spans. */
  groupId: string;
  decodeLimits: DecodeLimits;
  dlqMaxValueBytes: number;
  workerVersion: string;
  instanceId: string;
  exactlyOnce: boolean;
}

/**
 * Optional parts of the data path, each absent unless configured: a registry decoder for framed
 * input, a registry encoder for results, the span tracer, and the batch pool. When absent the path
 * is the plain-JSON one on the main thread, with no extra await or allocation per message.
 */
export interface BatchProcessorHooks {
  inputDecoder?: InputDecoder | undefined;
  resultEncoder?: ResultEncoder | undefined;
  tracer?: BatchTracer | undefined;
  /** Decode, score and build off the main thread (plain JSON in and out, no spans: used only without the hooks above). */
  pool?: BatchPool | undefined;
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
  private readonly preDecode: PreDecoder | undefined;
  private readonly resultFraming: ResultFraming | undefined;
  private readonly pool: BatchPool | undefined;

  constructor(
    private readonly options: BatchProcessorOptions,
    private readonly engine: ScoringEngine,
    private readonly producer: ResultProducer,
    private readonly topicLimits: TopicLimits,
    private readonly metrics: WorkerMetrics,
    private readonly log: Logger,
    private readonly hooks: BatchProcessorHooks = {},
  ) {
    const { inputDecoder, resultEncoder, tracer } = hooks;
    this.preDecode = inputDecoder ? (messages) => inputDecoder.decodeBatch(messages) : undefined;
    this.resultFraming = resultEncoder ? { encode: (result) => resultEncoder.encode(result), headerBytes: FRAME_HEADER_BYTES } : undefined;
    // The pool's workers read plain JSON, write plain JSON and know no spans.
    this.pool = inputDecoder || resultEncoder || tracer ? undefined : hooks.pool;
  }

  process(batch: ConsumedBatch): Promise<void> {
    const tracer = this.hooks.tracer;
    return tracer ? this.processTraced(batch, tracer) : this.processBatch(batch, undefined);
  }

  private async processTraced(batch: ConsumedBatch, tracer: BatchTracer): Promise<void> {
    const span = tracer.startBatchSpan({ topic: batch.topic, partition: batch.partition, consumerGroup: this.options.groupId, messages: batch.messages });
    try {
      await this.processBatch(batch, span);
      span.end();
    } catch (err) {
      span.end(err);
      throw err;
    }
  }

  private async processBatch(batch: ConsumedBatch, span: BatchSpan | undefined): Promise<void> {
    const { topic, messages } = batch;
    const started = performance.now();
    this.metrics.messagesConsumed.inc({ topic }, messages.length);
    this.metrics.batchSize.observe(messages.length);

    const options = { ...this.options, limits: this.topicLimits, resultFraming: this.resultFraming, span, preDecode: this.preDecode };
    const prepared = (this.pool ? await this.inPool(batch, this.pool) : undefined) ?? (await outcomesOnMainThread(batch, this.engine, options, () => this.heartbeat(batch), this.log));
    if (prepared.scored > 0) this.metrics.scoringDuration.observe({ scorer: prepared.scorer }, prepared.scoringMs / 1000);
    const outcomes = prepared.outcomes;
    const results = outcomes.filter((o) => o.kind === 'result').length;
    // The client encodes a produce request in one synchronous run: start it in a fresh turn once
    // this one has had its slice, so probes and heartbeats get the loop between two batches' sends.
    await yieldIfTurnOver();
    const delivered = await inChild(
      span,
      'send',
      { 'messaging.destination.name': this.options.outputTopic, 'sentiment.results': results, 'sentiment.dead_letters': outcomes.length - results },
      () => sendOutcomes(batch, outcomes, this.producer, options, this.log),
    );
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
