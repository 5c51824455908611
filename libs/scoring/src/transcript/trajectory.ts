import type { Score } from '../scorer';
import { ScoreAccumulator } from './score-accumulator';
import type { Trajectory, TrajectoryWindow, Trend } from './transcript-types';
import { YieldBudget } from '../event-loop-turn';

export const DEFAULT_TREND_THRESHOLD = 0.1;

/**
 * Where each chunk sits on the call's axis, [start[i], end[i]) with end > start: cumulative
 * weight (then end − start is the chunk's weight) or milliseconds.
 */
export interface ChunkSpans {
  basis: 'time' | 'weight';
  start: Float64Array;
  end: Float64Array;
}

/** Chunk spans by cumulative weight, in call order. */
export function spansByWeight(weights: readonly number[]): ChunkSpans {
  const start = new Float64Array(weights.length);
  const end = new Float64Array(weights.length);
  let at = 0;
  for (let i = 0; i < weights.length; i++) {
    start[i] = at;
    at += weights[i] as number;
    end[i] = at;
  }
  return { basis: 'weight', start, end };
}

export interface TimedSegment {
  start_ms: number;
  end_ms: number;
  firstChunk: number;
  chunkCount: number;
}

/** Chunk spans in milliseconds: a segment's duration is shared among its chunks by weight. */
export function spansByTime(segments: readonly TimedSegment[], weights: readonly number[]): ChunkSpans {
  const start = new Float64Array(weights.length);
  const end = new Float64Array(weights.length);
  for (const segment of segments) {
    let total = 0;
    for (let c = 0; c < segment.chunkCount; c++) total += weights[segment.firstChunk + c] as number;
    const duration = segment.end_ms - segment.start_ms;
    let before = 0;
    for (let c = 0; c < segment.chunkCount; c++) {
      const i = segment.firstChunk + c;
      start[i] = segment.start_ms + (duration * before) / total;
      before += weights[i] as number;
      end[i] = c === segment.chunkCount - 1 ? segment.end_ms : segment.start_ms + (duration * before) / total;
    }
  }
  return { basis: 'time', start, end };
}

/** True when every segment has finite timings with start_ms < end_ms: time thirds are meaningful. */
export function hasUsableTimings(
  segments: readonly { start_ms?: number | undefined; end_ms?: number | undefined }[],
): segments is readonly TimedSegment[] {
  if (segments.length === 0) return false;
  for (const s of segments) {
    if (s.start_ms === undefined || s.end_ms === undefined) return false;
    if (!Number.isFinite(s.start_ms) || !Number.isFinite(s.end_ms) || s.end_ms <= s.start_ms) return false;
  }
  return true;
}

/** Chunks between two checks of the yield budget in the per-chunk loops. */
export const CHUNKS_PER_CHECK = 4096;

async function windowOf(
  scores: readonly Score[],
  weights: readonly number[],
  spans: ChunkSpans,
  from: number,
  to: number,
  lowConfidenceThreshold: number | undefined,
  budget: YieldBudget,
): Promise<{ score: Score; chunks: number; weight: number }> {
  const acc = new ScoreAccumulator();
  // Float noise at the window edges must not pull in a neighbour with weight ~1e-16.
  const epsilon = (to - from) * 1e-9;
  let best = 0;
  let bestOverlap = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    if (i % CHUNKS_PER_CHECK === CHUNKS_PER_CHECK - 1) await budget.check();
    const a = spans.start[i] as number;
    const b = spans.end[i] as number;
    const overlap = Math.min(b, to) - Math.max(a, from);
    if (overlap > bestOverlap) {
      best = i;
      bestOverlap = overlap;
    }
    if (overlap <= epsilon) continue;
    acc.add(scores[i] as Score, ((weights[i] as number) * overlap) / (b - a));
  }
  // Only chunks of negligible length at the very edge can leave a window empty: take the nearest.
  if (acc.chunks === 0) acc.add(scores[best] as Score, weights[best] as number);
  return { score: acc.result(lowConfidenceThreshold), chunks: acc.chunks, weight: acc.weight };
}

/**
 * Sentiment of the first and the last third of the call's axis. A chunk that straddles a
 * third's edge counts pro rata, so a call of one chunk gives that chunk twice (delta 0,
 * `single_chunk: true`) and a call of two chunks still has two distinct thirds.
 */
export async function computeTrajectory(
  scores: readonly Score[],
  weights: readonly number[],
  spans: ChunkSpans,
  options: { lowConfidenceThreshold?: number | undefined; trendThreshold?: number | undefined } = {},
  budget: YieldBudget = new YieldBudget(),
): Promise<Trajectory> {
  if (scores.length === 0) throw new RangeError('computeTrajectory needs at least one chunk');
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    lo = Math.min(lo, spans.start[i] as number);
    hi = Math.max(hi, spans.end[i] as number);
  }
  const third = (hi - lo) / 3;
  const first = await windowOf(scores, weights, spans, lo, lo + third, options.lowConfidenceThreshold, budget);
  const last = await windowOf(scores, weights, spans, hi - third, hi, options.lowConfidenceThreshold, budget);
  // Compare like with like: compound only when both windows have one.
  const useCompound = first.score.compound !== undefined && last.score.compound !== undefined;
  const polarity = (s: Score): number => (useCompound ? (s.compound as number) : s.scores.positive - s.scores.negative);
  const toWindow = (w: typeof first): TrajectoryWindow => ({ ...w.score, polarity: polarity(w.score), chunks: w.chunks, weight: w.weight });
  const first_third = toWindow(first);
  const last_third = toWindow(last);
  const single = scores.length === 1;
  const delta = single ? 0 : last_third.polarity - first_third.polarity;
  const threshold = options.trendThreshold ?? DEFAULT_TREND_THRESHOLD;
  const trend: Trend = delta > threshold ? 'improving' : delta < -threshold ? 'worsening' : 'stable';
  return { basis: spans.basis, single_chunk: single, first_third, last_third, delta, trend };
}
