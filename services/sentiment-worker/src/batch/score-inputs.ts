import { describeError, errorMessage } from '@sentiment/errors';
import type { Logger } from '@sentiment/observability';
import { analyzeTranscripts, type TranscriptBatchResult } from '@sentiment/scoring';
import type { ScoringEngine } from '../scoring-engine';
import type { DecodedInput, RejectedInput } from './batch-types';

export interface ScoredInputs {
  /** One per decoded input, in the same order; empty when scoring failed as a whole. */
  analyses: TranscriptBatchResult[];
  /** Inputs scoring could not handle (no text, or even the fallback failed). */
  rejected: RejectedInput[];
  scoringMs: number;
}

/**
 * Step 2: every decoded input's texts in one scorer call, so the scorer fills its micro-batches.
 * If even the fallback fails, the inputs are dead-lettered rather than lost or retried forever.
 */
export async function scoreInputs(valid: readonly DecodedInput[], engine: ScoringEngine, heartbeat: () => Promise<void>, log: Logger): Promise<ScoredInputs> {
  const started = performance.now();
  if (valid.length === 0) return { analyses: [], rejected: [], scoringMs: 0 };
  try {
    const analyses = await analyzeTranscripts(
      valid.map((v) => v.event),
      {
        scorer: { score: (texts) => engine.scorer.score(texts, { onSubBatch: heartbeat }) },
        chunk: engine.chunk,
        weight: engine.weight,
        lowConfidenceThreshold: engine.lowConfidenceThreshold,
      },
    );
    const rejected: RejectedInput[] = [];
    analyses.forEach((analysis, i) => {
      if (analysis.ok) return;
      const input = valid[i] as DecodedInput;
      rejected.push({ index: input.index, message: input.message, reason: analysis.error.code === 'NO_TEXT' ? 'NO_TEXT' : 'SCORING_FAILED', detail: analysis.error.message });
    });
    return { analyses, rejected, scoringMs: performance.now() - started };
  } catch (err) {
    log.error('scoring failed for a whole batch', { error: describeError(err) });
    const detail = errorMessage(err);
    return {
      analyses: [],
      rejected: valid.map((v) => ({ index: v.index, message: v.message, reason: 'SCORING_FAILED', detail })),
      scoringMs: performance.now() - started,
    };
  }
}
