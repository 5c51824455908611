import { describeError } from '@sentiment/errors';
import type { DecodeLimits } from '@sentiment/events';
import type { ConsumedBatch, ResultProducer, TopicLimits } from '@sentiment/kafka';
import type { BatchSpan, BatchTracer, Logger, WorkerMetrics } from '@sentiment/observability';
import { FRAME_HEADER_BYTES, type InputDecoder, type ResultEncoder } from '@sentiment/schema-registry';
import { buildOutcomes, type ResultFraming } from './batch/build-outcomes';
import { decodeInputs, type PreDecoder } from './batch/decode-inputs';
import { recordOutcomes } from './batch/record-outcomes';
import { scoreInputs } from './batch/score-inputs';
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
 * input, a registry encoder for results, and the span tracer. When absent the path is the
 * plain-JSON one, with no extra await or allocation per message.
 */
export interface BatchProcessorHooks {
  inputDecoder?: InputDecoder | undefined;
  resultEncoder?: ResultEncoder | undefined;
  tracer?: BatchTracer | undefined;
}

/** Runs `work` inside a child span of `span`, when there is one. */
async function inChild<T>(span: BatchSpan | undefined, name: string, attributes: Record<string, string | number | boolean>, work: () => Promise<T>): Promise<T> {
  const child = span?.child(name, attributes);
  try {
    const value = await work();
    child?.end();
    return value;
  } catch (err) {
    child?.end(err);
    throw err;
  }
}

/**
 * decode -> score -> build outcomes -> send -> record, for one batch of one partition. Every
 * input ends as exactly one result or one dead letter, acknowledged by the broker before the
 * caller (the pipeline) commits the batch's offsets; in exactly-once mode they commit in the
 * same transaction as the outcomes.
 */
export class BatchProcessor {
  private readonly preDecode: PreDecoder | undefined;
  private readonly resultFraming: ResultFraming | undefined;

  constructor(
    private readonly options: BatchProcessorOptions,
    private readonly engine: ScoringEngine,
    private readonly producer: ResultProducer,
    private readonly topicLimits: TopicLimits,
    private readonly metrics: WorkerMetrics,
    private readonly log: Logger,
    private readonly hooks: BatchProcessorHooks = {},
  ) {
    const { inputDecoder, resultEncoder } = hooks;
    this.preDecode = inputDecoder ? (messages) => inputDecoder.decodeBatch(messages) : undefined;
    this.resultFraming = resultEncoder ? { encode: (result) => resultEncoder.encode(result), headerBytes: FRAME_HEADER_BYTES } : undefined;
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

    const { valid, rejected } = await decodeInputs(messages, this.options.decodeLimits, this.preDecode);
    const scored = await inChild(span, 'score', { 'sentiment.scorer': this.engine.scorer.name, 'sentiment.calls': valid.length }, () =>
      scoreInputs(valid, this.engine, () => this.heartbeat(batch), this.log),
    );
    if (valid.length > 0) this.metrics.scoringDuration.observe({ scorer: this.engine.scorer.name }, scored.scoringMs / 1000);
    const options = { ...this.options, limits: this.topicLimits, resultFraming: this.resultFraming, span };
    const outcomes = await buildOutcomes(batch, valid, scored.analyses, [...rejected, ...scored.rejected], scored.scoringMs, options);
    const results = outcomes.filter((o) => o.kind === 'result').length;
    const delivered = await inChild(
      span,
      'send',
      { 'messaging.destination.name': this.options.outputTopic, 'sentiment.results': results, 'sentiment.dead_letters': outcomes.length - results },
      () => sendOutcomes(batch, outcomes, this.producer, options, this.log),
    );
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
