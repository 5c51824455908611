import type { CallTranscribedEvent } from './schemas/call-transcribed.schema';

type Label = 'negative' | 'neutral' | 'positive';

/** Anything with the shape of a Score (a single score or an aggregate). */
export interface ScoreLike {
  label: Label;
  scores: { negative: number; neutral: number; positive: number };
  confidence: number;
  low_confidence: boolean;
  compound?: number;
  model: string;
}

/** What the scoring layer learned about one event (a transcript analysis, reduced). */
export interface EventAnalysis {
  overall: ScoreLike & { models: string[] };
  chunks: number;
  segments?: unknown[];
  speakers?: Record<string, unknown>;
  trajectory?: { single_chunk: boolean };
}

export interface ResultContext {
  topic: string;
  partition: number;
  offset: string;
  messageTimestamp: string;
  receivedAt: number;
  scoringMs: number;
  batchSize: number;
  workerVersion: string;
  instance?: string;
  trace?: { traceparent: string; tracestate?: string };
}

export interface SentimentResult extends ScoreLike {
  schema_version: 1;
  call_id: string;
  models: string[];
  language?: string;
  chunks: number;
  segments?: unknown[];
  speakers?: Record<string, unknown>;
  trajectory?: object;
  metadata?: Record<string, unknown>;
  source: { topic: string; partition: number; offset: string; timestamp: string };
  timings: { received_at: string; scoring_ms: number; queue_ms: number; batch_size: number };
  trace?: { traceparent: string; tracestate?: string };
  worker: { version: string; instance?: string };
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** The result record for one event (docs/events.md). Numbers are rounded to 6 decimals. */
export function buildSentimentResult(event: CallTranscribedEvent, analysis: EventAnalysis, ctx: ResultContext): SentimentResult {
  const o = analysis.overall;
  const ts = Number(ctx.messageTimestamp);
  const result: SentimentResult = {
    schema_version: 1,
    call_id: event.call_id,
    label: o.label,
    scores: { negative: round(o.scores.negative), neutral: round(o.scores.neutral), positive: round(o.scores.positive) },
    confidence: round(o.confidence),
    low_confidence: o.low_confidence,
    model: o.model,
    models: o.models,
    chunks: analysis.chunks,
    source: { topic: ctx.topic, partition: ctx.partition, offset: ctx.offset, timestamp: ctx.messageTimestamp },
    timings: {
      received_at: new Date(ctx.receivedAt).toISOString(),
      scoring_ms: Math.round(ctx.scoringMs * 1000) / 1000,
      queue_ms: Number.isFinite(ts) ? Math.max(0, ctx.receivedAt - ts) : 0,
      batch_size: ctx.batchSize,
    },
    worker: { version: ctx.workerVersion, ...(ctx.instance ? { instance: ctx.instance } : {}) },
  };
  if (o.compound !== undefined) result.compound = round(o.compound);
  if (event.language !== undefined) result.language = event.language;
  if (analysis.segments) result.segments = analysis.segments;
  if (analysis.speakers) result.speakers = analysis.speakers;
  // A one-chunk call has no trajectory worth sending: both thirds would be the call itself.
  if (analysis.trajectory && !analysis.trajectory.single_chunk) result.trajectory = analysis.trajectory;
  if (event.metadata !== undefined) result.metadata = event.metadata;
  if (ctx.trace) result.trace = ctx.trace;
  return result;
}
