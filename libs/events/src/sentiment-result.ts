import type { CallTranscribedEvent } from './schemas/call-transcribed.schema';
import type { Score } from './schemas/score.schema';
import type { SentimentResult } from './schemas/sentiment-result.schema';

/** What the scoring layer learned about one event (a transcript analysis, reduced). */
export interface EventAnalysis {
  overall: Score & { models: string[] };
  chunks: number;
  segments?: SentimentResult['segments'];
  speakers?: SentimentResult['speakers'];
  trajectory?: NonNullable<SentimentResult['trajectory']> & { single_chunk: boolean };
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
