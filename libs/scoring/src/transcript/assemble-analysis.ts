import type { Score } from '../scorer';
import { ScoreAccumulator } from './score-accumulator';
import { CHUNKS_PER_CHECK, computeTrajectory, hasUsableTimings, spansByTime, spansByWeight } from './trajectory';
import type { TranscriptPlan } from './transcript-plan';
import type { OverallScore, SegmentAnalysis, SpeakerAnalysis, TranscriptAnalysis, TrajectoryWindow } from './transcript-types';
import { YieldBudget } from '../event-loop-turn';

export interface AssembleOptions {
  lowConfidenceThreshold?: number | undefined;
  includeSegments?: boolean | undefined;
  trendThreshold?: number | undefined;
}

/**
 * The common case of a short `text` event, without accumulators or awaits: the overall score
 * is the chunk's score, and both thirds of the trajectory are that chunk (`single_chunk`).
 * It must equal what the general path computes (a test compares them); it exists because a
 * worker scoring tens of thousands of short texts a second spends its time here otherwise.
 */
function singleChunkAnalysis(plan: TranscriptPlan, score: Score): TranscriptAnalysis {
  const weight = plan.weights[0] as number;
  const polarity = score.compound !== undefined ? score.compound : score.scores.positive - score.scores.negative;
  // Each third overlaps a third of the chunk; computed as computeTrajectory does, to the last bit.
  const third = weight / 3;
  // Object literals of one fixed shape, not spreads: this runs for every short text.
  const window = (w: number) => {
    const out: TrajectoryWindow = { label: score.label, scores: score.scores, confidence: score.confidence, low_confidence: score.low_confidence, model: score.model, polarity, chunks: 1, weight: w };
    if (score.compound !== undefined) out.compound = score.compound;
    return out;
  };
  const overall: OverallScore = { label: score.label, scores: score.scores, confidence: score.confidence, low_confidence: score.low_confidence, model: score.model, models: [score.model] };
  if (score.compound !== undefined) overall.compound = score.compound;
  const first_third = window((weight * third) / weight);
  const last_third = window((weight * (weight - (weight - third))) / weight);
  return {
    call_id: plan.call_id,
    source: 'text',
    overall,
    trajectory: { basis: 'weight', single_chunk: true, first_third, last_third, delta: 0, trend: 'stable' },
    chunks: 1,
    units: weight,
    skipped_segments: plan.skippedSegments,
  };
}

/**
 * Builds the analysis of one planned event from its chunk scores (`scores[i]` belongs to
 * `plan.texts[i]`). Deterministic and linear in the number of chunks; async only to yield
 * to the event loop (per `budget`) on calls with tens of thousands of segments.
 */
export async function assembleAnalysis(
  plan: TranscriptPlan,
  scores: readonly Score[],
  options: AssembleOptions = {},
  budget: YieldBudget = new YieldBudget(),
): Promise<TranscriptAnalysis> {
  if (scores.length !== plan.texts.length) {
    throw new RangeError(`assembleAnalysis: ${scores.length} scores for ${plan.texts.length} chunks`);
  }
  if (plan.source === 'text' && scores.length === 1) return singleChunkAnalysis(plan, scores[0] as Score);
  const threshold = options.lowConfidenceThreshold;
  const weights = plan.weights;
  const includeSegments = plan.source === 'segments' && options.includeSegments !== false;

  const overall = new ScoreAccumulator();
  for (let i = 0; i < scores.length; i++) {
    if (i % CHUNKS_PER_CHECK === CHUNKS_PER_CHECK - 1) await budget.check();
    overall.add(scores[i] as Score, weights[i] as number);
  }

  const bySpeaker = new Map<string, { acc: ScoreAccumulator; segments: number }>();
  const segments: SegmentAnalysis[] = [];
  let sinceCheck = 0;
  for (const segment of plan.segments) {
    let speaker = bySpeaker.get(segment.speaker);
    if (speaker === undefined) {
      speaker = { acc: new ScoreAccumulator(), segments: 0 };
      bySpeaker.set(segment.speaker, speaker);
    }
    speaker.segments++;
    const acc = includeSegments ? new ScoreAccumulator() : undefined;
    const end = segment.firstChunk + segment.chunkCount;
    for (let i = segment.firstChunk; i < end; i++) {
      acc?.add(scores[i] as Score, weights[i] as number);
      speaker.acc.add(scores[i] as Score, weights[i] as number);
    }
    if (acc !== undefined) {
      segments.push({
        index: segment.index,
        speaker: segment.speaker,
        ...(segment.start_ms !== undefined ? { start_ms: segment.start_ms } : {}),
        ...(segment.end_ms !== undefined ? { end_ms: segment.end_ms } : {}),
        ...acc.result(threshold),
        chunks: acc.chunks,
        weight: acc.weight,
      });
    }
    sinceCheck += segment.chunkCount;
    if (sinceCheck >= CHUNKS_PER_CHECK / 4) {
      sinceCheck = 0;
      await budget.check();
    }
  }

  const spans = plan.source === 'segments' && hasUsableTimings(plan.segments) ? spansByTime(plan.segments, weights) : spansByWeight(weights);
  const trajectory = await computeTrajectory(scores, weights, spans, { lowConfidenceThreshold: threshold, trendThreshold: options.trendThreshold }, budget);
  return {
    call_id: plan.call_id,
    source: plan.source,
    overall: { ...overall.result(threshold), models: overall.models() },
    ...(includeSegments ? { segments } : {}),
    ...(plan.source === 'segments'
      ? {
          // fromEntries defines own properties, so a speaker called "__proto__" is just a key.
          speakers: Object.fromEntries(
            [...bySpeaker].map(([name, { acc, segments: count }]): [string, SpeakerAnalysis] => [
              name,
              { ...acc.result(threshold), segments: count, chunks: acc.chunks, weight: acc.weight },
            ]),
          ),
        }
      : {}),
    trajectory,
    chunks: scores.length,
    units: overall.weight,
    skipped_segments: plan.skippedSegments,
  };
}
