import type { CallTranscribedEvent, DeadLetterReason } from '@sentiment/events';
import { describeError, errorMessage } from '@sentiment/errors';
import type { Logger } from '@sentiment/observability';
import { analyzeTranscripts, type TranscriptAnalysisOptions, type TranscriptBatchResult } from '@sentiment/scoring';
import type { ScoringEngine } from '../scoring-engine';
import type { DecodedInput, RejectedInput } from './batch-types';

export interface ScoredInputs {
  /** One per decoded input, in the same order; empty when scoring failed as a whole. */
  analyses: TranscriptBatchResult[];
  /** Inputs scoring could not handle (no text, or even the fallback failed). */
  rejected: RejectedInput[];
  scoringMs: number;
}

/** An event that scoring could not handle: its position in the events scored, and why. */
export interface ScoringFailure {
  at: number;
  reason: DeadLetterReason;
  detail: string;
}

export interface AnalyzedEvents {
  /** One per event, in order; empty when scoring failed as a whole (`error`). */
  analyses: TranscriptBatchResult[];
  failures: ScoringFailure[];
  scoringMs: number;
  error?: unknown;
}

/**
 * Every event's texts in one analysis (so the scorer fills its micro-batches), and what could
 * not be scored. The one definition of the scoring step, on the main thread and in the batch pool.
 * If even the fallback fails, every event fails with SCORING_FAILED: dead-lettered rather than
 * lost or retried forever.
 */
export async function analyzeEvents(events: readonly CallTranscribedEvent[], options: TranscriptAnalysisOptions): Promise<AnalyzedEvents> {
  const started = performance.now();
  if (events.length === 0) return { analyses: [], failures: [], scoringMs: 0 };
  try {
    const analyses = await analyzeTranscripts(events, options);
    const failures: ScoringFailure[] = [];
    analyses.forEach((analysis, at) => {
      if (!analysis.ok) failures.push({ at, reason: analysis.error.code === 'NO_TEXT' ? 'NO_TEXT' : 'SCORING_FAILED', detail: analysis.error.message });
    });
    return { analyses, failures, scoringMs: performance.now() - started };
  } catch (err) {
    const detail = errorMessage(err);
    return { analyses: [], failures: events.map((_, at) => ({ at, reason: 'SCORING_FAILED', detail })), scoringMs: performance.now() - started, error: err };
  }
}

/** Step 2, on the main thread: the engine scores every decoded input, heartbeating the group between sub-batches. */
export async function scoreInputs(valid: readonly DecodedInput[], engine: ScoringEngine, heartbeat: () => Promise<void>, log: Logger): Promise<ScoredInputs> {
  const scored = await analyzeEvents(
    valid.map((v) => v.event),
    {
      scorer: { score: (texts) => engine.scorer.score(texts, { onSubBatch: heartbeat }) },
      chunk: engine.chunk,
      weight: engine.weight,
      lowConfidenceThreshold: engine.lowConfidenceThreshold,
    },
  );
  if (scored.error !== undefined) log.error('scoring failed for a whole batch', { error: describeError(scored.error) });
  const rejected = scored.failures.map(({ at, reason, detail }): RejectedInput => {
    const input = valid[at] as DecodedInput;
    return { index: input.index, message: input.message, reason, detail };
  });
  return { analyses: scored.analyses, rejected, scoringMs: scored.scoringMs };
}
