import { InvalidInputError } from '@sentiment/errors';
import { splitLongText } from './split-long-text';
import type { ChunkPiece, ChunkText, TranscriptInput, WeighText } from './transcript-types';
import { hasText, wordCount } from './word-count';
import { type YieldBudget } from '../event-loop-turn';

export const DEFAULT_MAX_CHUNK_INPUT_CHARS = 65_536;

/** A non-blank segment and the run of chunks it was cut into. */
export interface PlannedSegment {
  index: number;
  speaker: string;
  start_ms?: number;
  end_ms?: number;
  firstChunk: number;
  chunkCount: number;
}

/** What to score for one event, before scoring: chunk texts with their weights, in call order. */
export interface TranscriptPlan {
  call_id: string;
  source: 'segments' | 'text';
  segments: PlannedSegment[];
  texts: string[];
  weights: number[];
  skippedSegments: number;
}

export interface PlanOptions {
  chunk: ChunkText;
  weight: WeighText;
  maxChunkInputChars: number;
}

/** A weight must be a positive finite number to average with; anything else counts as 1. */
function sanitizeWeight(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : 1;
}

async function chunkInto(plan: TranscriptPlan, text: string, options: PlanOptions, budget: YieldBudget): Promise<number> {
  let added = 0;
  for (const piece of splitLongText(text, options.maxChunkInputChars)) {
    const produced = options.chunk(piece);
    const pieces: readonly ChunkPiece[] = Array.isArray(produced) ? produced : await produced;
    for (const p of pieces) {
      const chunkText = typeof p === 'string' ? p : p.text;
      if (!hasText(chunkText)) continue;
      const given = typeof p === 'string' ? undefined : p.weight;
      plan.texts.push(chunkText);
      plan.weights.push(sanitizeWeight(given ?? options.weight(chunkText)));
      added++;
    }
    await budget.check();
  }
  return added;
}

/**
 * Cuts one event into chunks. Segments are used when any has text (blank ones are skipped
 * and counted); otherwise `text`. Throws InvalidInputError NO_TEXT when nothing is left.
 * Yields to the event loop between chunk calls once `budget`'s time slice is spent, so a
 * 10 MB text or a million segments do not stall it.
 */
export async function planTranscript(input: TranscriptInput, options: PlanOptions, budget: YieldBudget): Promise<TranscriptPlan> {
  const plan: TranscriptPlan = {
    call_id: input.call_id,
    source: 'segments',
    segments: [],
    texts: [],
    weights: [],
    skippedSegments: 0,
  };
  const segments = input.segments ?? [];
  for (let index = 0; index < segments.length; index++) {
    await budget.check();
    const segment = segments[index];
    if (segment === undefined || !hasText(segment.text)) {
      plan.skippedSegments++;
      continue;
    }
    const firstChunk = plan.texts.length;
    const chunkCount = await chunkInto(plan, segment.text, options, budget);
    if (chunkCount === 0) {
      plan.skippedSegments++;
      continue;
    }
    const planned: PlannedSegment = { index, speaker: segment.speaker, firstChunk, chunkCount };
    if (segment.start_ms !== undefined) planned.start_ms = segment.start_ms;
    if (segment.end_ms !== undefined) planned.end_ms = segment.end_ms;
    plan.segments.push(planned);
  }
  if (plan.segments.length === 0) {
    plan.source = 'text';
    if (hasText(input.text)) await chunkInto(plan, input.text, options, budget);
  }
  if (plan.texts.length === 0) {
    throw new InvalidInputError('NO_TEXT', 'transcript has no non-blank text in `text` or `segments`', {
      details: { call_id: input.call_id, segments: segments.length },
    });
  }
  return plan;
}

export const defaultWeight: WeighText = wordCount;
