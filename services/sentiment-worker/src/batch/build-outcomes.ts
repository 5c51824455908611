import { buildDeadLetter, buildRefusedBatchDeadLetter, type DeadLetterReason } from '@sentiment/events';
import { RECORD_BATCH_OVERHEAD_BYTES, type ConsumedBatch, type InputMessage, type OutgoingMessage, type TopicLimits } from '@sentiment/kafka';
import { continueTraceOnDeadLetter, type BatchSpan } from '@sentiment/observability';
import { yieldIfTurnOver, type TranscriptBatchResult } from '@sentiment/scoring';
import type { DeadLetterOutcome, DecodedInput, Outcome, RejectedInput, ResultOutcome } from './batch-types';
import { DEFAULT_MAX_MESSAGE_BYTES, resultRecord, traceHeaders, type ResultRecordContext } from './result-record';
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

/** Room kept for a dead letter's headers (source, reason, message ≤ 500 chars, the input's own). */
const DEAD_LETTER_HEADER_ROOM = 16_384;

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
  const ctx = resultContext(batch, scoringMs, options);
  for (let i = 0; i < valid.length; i++) {
    if (i > 0 && i % CHECK_EVERY === 0) await yieldIfTurnOver();
    const input = valid[i] as DecodedInput;
    const analysis = analyses[i];
    if (!analysis?.ok || outcomes[input.index]) continue;
    const { message, event, trace } = input;
    // With tracing on, the batch span is the parent of whatever downstream does with the result.
    const headers = options.span ? { traceparent: options.span.traceparent } : traceHeaders(trace);
    const framing = options.resultFraming;
    const record = resultRecord(event, analysis.analysis, message, trace, ctx, { headers, framingBytes: framing?.headerBytes ?? 0 });
    if (!record.ok) {
      outcomes[input.index] = deadLetterOutcome(batch, input.index, message, 'RESULT_TOO_LARGE', record.detail, options);
      continue;
    }
    const outcome: ResultOutcome = {
      kind: 'result',
      index: input.index,
      message,
      record: { key: event.call_id, value: framing ? framing.encode(record.result) : record.json, ...(headers ? { headers } : {}) },
      callId: event.call_id,
      label: record.label,
      model: record.model,
      trace,
      truncated: record.truncated,
    };
    outcomes[input.index] = outcome;
  }
  return completeOutcomes(batch, outcomes, options);
}

/** What every result of `batch` shares: where it came from, the output topic's limit, who built it. */
export function resultContext(batch: ConsumedBatch, scoringMs: number, options: OutcomeOptions): ResultRecordContext {
  return {
    topic: batch.topic,
    partition: batch.partition,
    receivedAt: batch.receivedAt,
    batchSize: batch.messages.length,
    scoringMs,
    workerVersion: options.workerVersion,
    instanceId: options.instanceId,
    outputTopic: options.outputTopic,
    outputLimit: options.limits.maxMessageBytes(options.outputTopic) ?? DEFAULT_MAX_MESSAGE_BYTES,
    recordOverheadBytes: RECORD_BATCH_OVERHEAD_BYTES,
  };
}

/** The outcomes in input order; an input that got none (a bug) is dead-lettered rather than skipped. */
export function completeOutcomes(batch: ConsumedBatch, outcomes: readonly (Outcome | undefined)[], options: OutcomeOptions): Outcome[] {
  // A loop, not map: map skips the holes of a sparse array, which are exactly the inputs to catch.
  const complete: Outcome[] = [];
  for (let index = 0; index < batch.messages.length; index++) {
    complete.push(outcomes[index] ?? deadLetterOutcome(batch, index, batch.messages[index] as InputMessage, 'PROCESSING_FAILED', 'no outcome was built for this input', options));
  }
  return complete;
}
