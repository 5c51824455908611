import { boundResultSize, buildSentimentResult, type CallTranscribedEvent, type EventAnalysis, type SentimentResult } from '@sentiment/events';

/** The part of a trace context a result carries (TraceContext of libs/observability has this shape). */
export interface ResultTrace {
  traceparent: string;
  tracestate?: string;
}

/** What a result record needs to know about its batch and the output topic, wherever it is built. */
export interface ResultRecordContext {
  topic: string;
  partition: number;
  receivedAt: number;
  batchSize: number;
  scoringMs: number;
  workerVersion: string;
  instanceId: string;
  outputTopic: string;
  /** The output topic's max.message.bytes (or the default while it is unknown). */
  outputLimit: number;
  /**
   * What a record batch adds around one record (libs/kafka's RECORD_BATCH_OVERHEAD_BYTES), passed
   * in so this module, which the batch pool's workers load, does not pull in the Kafka clients.
   */
  recordOverheadBytes: number;
}

export type ResultRecord =
  | { ok: true; json: string; result: SentimentResult; label: string; model: string; truncated: boolean }
  | { ok: false; detail: string };

/** What the main thread's own options change about a record (tracing, registry framing); the pool's workers use neither. */
export interface RecordExtras {
  /** The record's headers, when they are not the input's trace context (the batch span's, with tracing on). */
  headers?: Record<string, string> | undefined;
  /** Bytes a framing encoder adds to the JSON (OUTPUT_FORMAT=registry). */
  framingBytes?: number;
}

/**
 * Room the size bound keeps for `timings.scoring_ms` at its widest ("99999999.999", 27 hours), so
 * what a result keeps never depends on how long its batch took to score: the main thread and the
 * batch pool, or two runs, bound the same result the same way.
 */
const SCORING_MS_WIDEST = 12;

/** Kafka's default max.message.bytes, assumed until the topic's own value has been read. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

export function traceHeaders(trace: ResultTrace | undefined): Record<string, string> | undefined {
  if (!trace) return undefined;
  return { traceparent: trace.traceparent, ...(trace.tracestate ? { tracestate: trace.tracestate } : {}) };
}

function headerBytes(headers: Record<string, string> | undefined): number {
  let n = 0;
  for (const [k, v] of Object.entries(headers ?? {})) n += k.length + v.length + 8;
  return n;
}

/**
 * The JSON of one input's result, bounded to what the output topic accepts (docs/events.md), or
 * why it cannot be (the input is then dead-lettered RESULT_TOO_LARGE). Pure: the main thread and
 * the batch pool's workers build the same bytes from the same event, analysis and context.
 */
export function resultRecord(
  event: CallTranscribedEvent,
  analysis: EventAnalysis,
  message: { offset: string; timestamp: string },
  trace: ResultTrace | undefined,
  ctx: ResultRecordContext,
  extras: RecordExtras = {},
): ResultRecord {
  const result = buildSentimentResult(event, analysis, {
    topic: ctx.topic,
    partition: ctx.partition,
    offset: message.offset,
    messageTimestamp: message.timestamp,
    receivedAt: ctx.receivedAt,
    scoringMs: ctx.scoringMs,
    batchSize: ctx.batchSize,
    workerVersion: ctx.workerVersion,
    instance: ctx.instanceId,
    ...(trace ? { trace: { traceparent: trace.traceparent, ...(trace.tracestate ? { tracestate: trace.tracestate } : {}) } } : {}),
  });
  const headers = extras.headers ?? traceHeaders(trace);
  const budget = ctx.outputLimit - ctx.recordOverheadBytes - Buffer.byteLength(event.call_id) - headerBytes(headers) - 64 - (extras.framingBytes ?? 0);
  const bounded = boundResultSize(result, budget, Math.max(0, SCORING_MS_WIDEST - String(result.timings.scoring_ms).length));
  if (!bounded.ok) {
    return { ok: false, detail: `the result needs ${bounded.bytes} bytes even without per-segment detail, speakers and metadata; ${ctx.outputTopic} accepts ${ctx.outputLimit}` };
  }
  return { ok: true, json: bounded.json, result: bounded.result, label: result.label, model: result.model, truncated: bounded.truncation !== undefined };
}
