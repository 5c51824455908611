import { boundResultSize, buildDeadLetter, buildRefusedBatchDeadLetter, buildSentimentResult, type DeadLetterReason } from '@sentiment/events';
import { RECORD_BATCH_OVERHEAD_BYTES, type ConsumedBatch, type InputMessage, type OutgoingMessage, type TopicLimits } from '@sentiment/kafka';
import { continueTraceOnDeadLetter, type BatchSpan, type TraceContext } from '@sentiment/observability';
import { yieldIfTurnOver, type TranscriptBatchResult } from '@sentiment/scoring';
import type { DeadLetterOutcome, DecodedInput, Outcome, RejectedInput, ResultOutcome } from './batch-types';
import { CHECK_EVERY } from './time-slice';

/** Frames a result for registry deserializers (OUTPUT_FORMAT=registry); `headerBytes` it adds to the JSON. */
export interface ResultFraming {
  encode(result: object): Buffer;
  readonly headerBytes: number;
}

export interface OutcomeOptions {
  outputTopic: string;
  dlqTopic: string;
  dlqMaxValueBytes: number;
  workerVersion: string;
  instanceId: string;
  limits: TopicLimits;
  resultFraming?: ResultFraming | undefined;
  /** With tracing on: outcomes carry the batch span as their parent (docs/headers-and-tracing.md). */
  span?: BatchSpan | undefined;
}

/** Kafka's default max.message.bytes, assumed until the topic's own value has been read. */
const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
/** Room kept for a dead letter's headers (source, reason, message ≤ 500 chars, the input's own). */
const DEAD_LETTER_HEADER_ROOM = 16_384;

function traceHeaders(trace: TraceContext | undefined): Record<string, string> | undefined {
  if (!trace) return undefined;
  return { traceparent: trace.traceparent, ...(trace.tracestate ? { tracestate: trace.tracestate } : {}) };
}

function headerBytes(headers: Record<string, string> | undefined): number {
  let n = 0;
  for (const [k, v] of Object.entries(headers ?? {})) n += k.length + v.length + 8;
  return n;
}

/** What the dead-letter topic accepts as a value: the configured cap, lowered to fit the topic. */
function deadLetterValueCap(options: OutcomeOptions): number {
  const topicLimit = options.limits.maxMessageBytes(options.dlqTopic) ?? DEFAULT_MAX_MESSAGE_BYTES;
  return Math.max(0, Math.min(options.dlqMaxValueBytes, topicLimit - RECORD_BATCH_OVERHEAD_BYTES - DEAD_LETTER_HEADER_ROOM));
}

/** The dead letter of one input (or of a refused batch's range): original bytes and headers, why, from where. */
export function deadLetterOutcome(batch: ConsumedBatch, index: number, message: InputMessage, reason: DeadLetterReason, detail: string, options: OutcomeOptions): DeadLetterOutcome {
  const common = { workerVersion: options.workerVersion, maxValueBytes: deadLetterValueCap(options) };
  const refused = message.refusedBatch;
  const record = refused
    ? buildRefusedBatchDeadLetter({ topic: batch.topic, partition: batch.partition, firstOffset: refused.firstOffset, lastOffset: refused.lastOffset, recordCount: refused.recordCount, codec: refused.codec, timestamp: message.timestamp, compressed: refused.compressed }, detail, common)
    : buildDeadLetter({ key: message.key, value: message.value, headers: message.headers, topic: batch.topic, partition: batch.partition, offset: message.offset, timestamp: message.timestamp }, reason, detail, common);
  if (options.span) continueTraceOnDeadLetter(record.headers, options.span.traceparent);
  const out: OutgoingMessage = { key: record.key, value: record.value, headers: record.headers };
  return { kind: 'dead-letter', index, message, record: out, reason, detail };
}

/**
 * Step 3: one outcome per input, in input order: a result (bounded to what the output topic
 * accepts, docs/events.md) or a dead letter.
 */
export async function buildOutcomes(
  batch: ConsumedBatch,
  valid: readonly DecodedInput[],
  analyses: readonly TranscriptBatchResult[],
  rejected: readonly RejectedInput[],
  scoringMs: number,
  options: OutcomeOptions,
): Promise<Outcome[]> {
  const outcomes: (Outcome | undefined)[] = new Array(batch.messages.length);
  for (const r of rejected) outcomes[r.index] = deadLetterOutcome(batch, r.index, r.message, r.reason, r.detail, options);
  const outputLimit = options.limits.maxMessageBytes(options.outputTopic) ?? DEFAULT_MAX_MESSAGE_BYTES;
  for (let i = 0; i < valid.length; i++) {
    if (i > 0 && i % CHECK_EVERY === 0) await yieldIfTurnOver();
    const input = valid[i] as DecodedInput;
    const analysis = analyses[i];
    if (!analysis?.ok || outcomes[input.index]) continue;
    const { message, event, trace } = input;
    const result = buildSentimentResult(event, analysis.analysis, {
      topic: batch.topic,
      partition: batch.partition,
      offset: message.offset,
      messageTimestamp: message.timestamp,
      receivedAt: batch.receivedAt,
      scoringMs,
      batchSize: batch.messages.length,
      workerVersion: options.workerVersion,
      instance: options.instanceId,
      ...(trace ? { trace: { traceparent: trace.traceparent, ...(trace.tracestate ? { tracestate: trace.tracestate } : {}) } } : {}),
    });
    // With tracing on, the batch span is the parent of whatever downstream does with the result.
    const headers = options.span ? { traceparent: options.span.traceparent } : traceHeaders(trace);
    const framing = options.resultFraming;
    const budget = outputLimit - RECORD_BATCH_OVERHEAD_BYTES - Buffer.byteLength(event.call_id) - headerBytes(headers) - 64 - (framing?.headerBytes ?? 0);
    const bounded = boundResultSize(result, budget);
    if (!bounded.ok) {
      outcomes[input.index] = deadLetterOutcome(batch, input.index, message, 'RESULT_TOO_LARGE', `the result needs ${bounded.bytes} bytes even without per-segment detail, speakers and metadata; ${options.outputTopic} accepts ${outputLimit}`, options);
      continue;
    }
    const outcome: ResultOutcome = {
      kind: 'result',
      index: input.index,
      message,
      record: { key: event.call_id, value: framing ? framing.encode(bounded.result) : bounded.json, ...(headers ? { headers } : {}) },
      callId: event.call_id,
      label: result.label,
      model: result.model,
      trace,
      truncated: bounded.truncation !== undefined,
    };
    outcomes[input.index] = outcome;
  }
  return outcomes.map((o, index) => o ?? deadLetterOutcome(batch, index, batch.messages[index] as InputMessage, 'PROCESSING_FAILED', 'no outcome was built for this input', options));
}
