import type { KafkaMessage } from 'kafkajs';
import { describeError, errorMessage, isRetriable } from '@sentiment/errors';
import {
  buildDeadLetter,
  DeadLetterHeaders,
  buildSentimentResult,
  decodeCallEvent,
  type CallTranscribedEvent,
  type DeadLetterReason,
  type DecodeLimits,
} from '@sentiment/events';
import { withoutNullHeaderValues, type ConsumedBatch, type OutgoingMessage, type ResultProducer } from '@sentiment/kafka';
import { continueTraceOnDeadLetter, extractTraceContext, type BatchSpan, type BatchTracer, type Logger, type TraceContext, type WorkerMetrics } from '@sentiment/observability';
import type { InputDecoder, ResultEncoder } from '@sentiment/schema-registry';
import { analyzeTranscripts, yieldIfTurnOver, type TranscriptBatchResult } from '@sentiment/scoring';
import type { ScoringEngine } from './scoring-engine';

export interface BatchProcessorOptions {
  outputTopic: string;
  dlqTopic: string;
  groupId: string;
  limits: DecodeLimits;
  dlqMaxValueBytes: number;
  workerVersion: string;
  instanceId: string;
  exactlyOnce: boolean;
}

/**
 * Optional parts of the data path (issue 16), each absent unless configured: a registry decoder
 * for framed input, a registry encoder for results, and the span tracer. When absent the path
 * is the plain-JSON one, with no extra await or allocation per message.
 */
export interface BatchProcessorHooks {
  inputDecoder?: InputDecoder | undefined;
  resultEncoder?: ResultEncoder | undefined;
  tracer?: BatchTracer | undefined;
}

interface ValidInput {
  message: KafkaMessage;
  event: CallTranscribedEvent;
  trace: TraceContext | undefined;
}

interface DeadInput {
  message: KafkaMessage;
  reason: DeadLetterReason;
  detail: string;
}


/** Messages handled between two looks at the shared turn clock (docs/performance.md). */
const CHECK_EVERY = 32;
/** Longest run of this flow's work (shared with every other flow) before the loop gets a turn. */
const SLICE_MS = 5;

/**
 * consume -> validate -> score -> produce -> commit, for one batch of one partition.
 * Every input ends as one result or one dead letter, acknowledged by the broker before
 * the batch's offsets are committed (or, in exactly-once mode, in the same transaction).
 */
export class BatchProcessor {
  constructor(
    private readonly options: BatchProcessorOptions,
    private readonly engine: ScoringEngine,
    private readonly producer: ResultProducer,
    private readonly metrics: WorkerMetrics,
    private readonly log: Logger,
    private readonly hooks: BatchProcessorHooks = {},
  ) {}

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
    const { topic, partition, messages } = batch;
    const started = performance.now();
    this.metrics.messagesConsumed.inc({ topic }, messages.length);
    this.metrics.batchSize.observe(messages.length);
    this.metrics.consumerLag.set({ topic, partition: String(partition) }, batch.lag);

    // Registry-framed values are decoded for the whole batch at once (one lookup per schema id);
    // a batch without any costs no promise.
    const framed = this.hooks.inputDecoder?.decodeBatch(messages);
    const predecoded = framed === undefined ? undefined : await framed;
    const valid: ValidInput[] = [];
    const dead: DeadInput[] = [];
    for (let i = 0; i < messages.length; i++) {
      if (i > 0 && i % CHECK_EVERY === 0) await yieldIfTurnOver(SLICE_MS);
      const message = messages[i] as KafkaMessage;
      const decoded = predecoded?.[i] ?? decodeCallEvent(message.value, this.options.limits);
      if (decoded.ok) valid.push({ message, event: decoded.event, trace: extractTraceContext(message.headers) });
      else dead.push({ message, reason: decoded.reason, detail: decoded.message });
    }

    const scoringStarted = performance.now();
    let analyses: TranscriptBatchResult[] = [];
    if (valid.length > 0) {
      const scoreSpan = span?.child('score', { 'sentiment.scorer': this.engine.scorer.name, 'sentiment.calls': valid.length });
      try {
        analyses = await analyzeTranscripts(
          valid.map((v) => v.event),
          {
            scorer: {
              score: (texts) => this.engine.scorer.score(texts, { onSubBatch: () => this.heartbeat(batch) }),
            },
            chunk: this.engine.chunk,
            weight: this.engine.weight,
            lowConfidenceThreshold: this.engine.lowConfidenceThreshold,
          },
        );
        scoreSpan?.end();
      } catch (err) {
        scoreSpan?.end(err);
        // Even the fallback failed: the inputs are dead-lettered rather than lost or retried forever.
        this.log.error('scoring failed for a whole batch', { topic, partition, error: describeError(err) });
        for (const v of valid) dead.push({ message: v.message, reason: 'SCORING_FAILED', detail: errorMessage(err) });
        valid.length = 0;
      }
    }
    const scoringMs = performance.now() - scoringStarted;

    const results: OutgoingMessage[] = [];
    const resultMeta: { label: string; model: string; trace: TraceContext | undefined; callId: string; offset: string; timestamp: string }[] = [];
    for (let i = 0; i < valid.length; i++) {
      if (i > 0 && i % CHECK_EVERY === 0) await yieldIfTurnOver(SLICE_MS);
      const input = valid[i] as ValidInput;
      const analysis = analyses[i] as TranscriptBatchResult;
      if (!analysis.ok) {
        dead.push({ message: input.message, reason: analysis.error.code === 'NO_TEXT' ? 'NO_TEXT' : 'SCORING_FAILED', detail: analysis.error.message });
        continue;
      }
      const result = buildSentimentResult(input.event, analysis.analysis, {
        topic,
        partition,
        offset: input.message.offset,
        messageTimestamp: input.message.timestamp,
        receivedAt: batch.receivedAt,
        scoringMs,
        batchSize: messages.length,
        workerVersion: this.options.workerVersion,
        instance: this.options.instanceId,
        ...(input.trace ? { trace: { traceparent: input.trace.traceparent, ...(input.trace.tracestate ? { tracestate: input.trace.tracestate } : {}) } } : {}),
      });
      results.push({
        key: input.event.call_id,
        value: this.hooks.resultEncoder ? this.hooks.resultEncoder.encode(result) : JSON.stringify(result),
        // With tracing on, the batch span is the parent of whatever downstream does with the result.
        headers: span ? { traceparent: span.traceparent } : traceHeaders(input.trace),
      });
      resultMeta.push({ label: result.label, model: result.model, trace: input.trace, callId: input.event.call_id, offset: input.message.offset, timestamp: input.message.timestamp });
    }
    if (valid.length > 0) this.metrics.scoringDuration.observe({ scorer: this.engine.scorer.name }, scoringMs / 1000);

    const deadLetters = dead.map((d) => this.toDeadLetter(batch, d.message, d.reason, d.detail, span));
    const sendSpan = span?.child('send', { 'messaging.destination.name': this.options.outputTopic, 'sentiment.results': results.length, 'sentiment.dead_letters': deadLetters.length });
    try {
      await this.send(batch, results, deadLetters);
      sendSpan?.end();
    } catch (err) {
      sendSpan?.end(err);
      // A transient cause (broker unreachable, leader election) outlasted the retries: give the
      // batch back uncommitted, so it is consumed again once the broker is back, rather than
      // dead-lettering valid inputs.
      if (isRetriable(err)) throw err;
      // A permanent cause (e.g. the output topic refuses the records): dead-letter the whole
      // batch so nothing is skipped silently; if even that fails, the batch is not committed.
      this.log.error('producing results failed; dead-lettering the batch', { topic, partition, error: describeError(err) });
      const all = messages.map((m) => {
        const own = dead.find((d) => d.message === m);
        return own
          ? this.toDeadLetter(batch, m, own.reason, own.detail, span)
          : this.toDeadLetter(batch, m, 'PRODUCE_FAILED', `result could not be produced: ${errorMessage(err)}`, span);
      });
      await this.send(batch, [], all);
      for (const m of messages) {
        const own = dead.find((d) => d.message === m);
        this.metrics.deadLetters.inc({ reason: own ? own.reason : 'PRODUCE_FAILED' });
      }
      this.metrics.messagesProcessed.inc({ outcome: 'dead_letter' }, messages.length);
      this.finish(batch, started);
      return;
    }

    for (const d of dead) this.metrics.deadLetters.inc({ reason: d.reason });
    if (dead.length > 0) this.metrics.messagesProcessed.inc({ outcome: 'dead_letter' }, dead.length);
    if (results.length > 0) this.metrics.messagesProcessed.inc({ outcome: 'result' }, results.length);
    const now = Date.now();
    // Counted per (label, scorer) pair, not per message: a labelled inc costs a label hash, and a
    // batch holds thousands of results.
    const counts = new Map<string, { label: string; scorer: string; n: number }>();
    for (let i = 0; i < resultMeta.length; i++) {
      const meta = resultMeta[i] as (typeof resultMeta)[number];
      const key = `${meta.label}\u0000${meta.model}`;
      const entry = counts.get(key);
      if (entry) entry.n++;
      else counts.set(key, { label: meta.label, scorer: meta.model, n: 1 });
      const ts = Number(meta.timestamp);
      if (Number.isFinite(ts) && ts > 0) this.metrics.endToEndLatency.observe(Math.max(0, now - ts) / 1000);
      // Per message, so debug only (info would be thousands of lines a second); the trace id
      // links the line to the caller's trace.
      if (this.log.isDebugEnabled()) {
        this.log.debug('result produced', {
          call_id: meta.callId,
          topic,
          partition,
          offset: meta.offset,
          ...(meta.trace ? { trace_id: meta.trace.traceId } : {}),
          label: meta.label,
          model: meta.model,
        });
      }
    }
    for (const { label, scorer, n } of counts.values()) this.metrics.results.inc({ label, scorer }, n);
    for (const d of dead) {
      const trace = extractTraceContext(d.message.headers);
      this.log.warn('message dead-lettered', {
        topic,
        partition,
        offset: d.message.offset,
        reason: d.reason,
        detail: d.detail,
        ...(trace ? { trace_id: trace.traceId } : {}),
      });
    }
    this.finish(batch, started);
  }

  private async send(batch: ConsumedBatch, results: OutgoingMessage[], deadLetters: OutgoingMessage[]): Promise<void> {
    const out = [
      { topic: this.options.outputTopic, messages: results },
      { topic: this.options.dlqTopic, messages: deadLetters },
    ];
    if (this.options.exactlyOnce) {
      await this.producer.sendWithOffsets(out, {
        consumerGroupId: this.options.groupId,
        topic: batch.topic,
        partition: batch.partition,
        offset: batch.nextOffset,
      });
    } else {
      await this.producer.send(out);
    }
  }

  private finish(batch: ConsumedBatch, started: number): void {
    this.metrics.batchDuration.observe((performance.now() - started) / 1000);
  }

  private toDeadLetter(batch: ConsumedBatch, message: KafkaMessage, reason: DeadLetterReason, detail: string, span: BatchSpan | undefined): OutgoingMessage {
    const record = buildDeadLetter(
      {
        key: message.key,
        value: message.value,
        headers: message.headers,
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        timestamp: message.timestamp,
      },
      reason,
      detail,
      { workerVersion: this.options.workerVersion, maxValueBytes: this.options.dlqMaxValueBytes },
    );
    // Foreign producers may send headers without a value, which kafkajs cannot produce: they go
    // out empty, and this header names them so a replay can restore the nulls.
    const { headers, nullValued } = withoutNullHeaderValues(record.headers);
    if (nullValued.length > 0) headers[DeadLetterHeaders.nullHeaders] = JSON.stringify(nullValued);
    if (span) continueTraceOnDeadLetter(headers, span.traceparent);
    return { key: record.key, value: record.value, headers };
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

function traceHeaders(trace: TraceContext | undefined): Record<string, string> | undefined {
  if (!trace) return undefined;
  return { traceparent: trace.traceparent, ...(trace.tracestate ? { tracestate: trace.tracestate } : {}) };
}
