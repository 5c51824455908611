import { sentenceChunker, VaderScorer, wordCount, type TranscriptAnalysisOptions } from '@sentiment/scoring';

/** VADER has no input limit; long texts are still cut at sentence ends so a call gets a trajectory. */
export const vaderChunk = sentenceChunker(1000);

/** The VADER scorer with VADER_LOW_CONFIDENCE_THRESHOLD; `sliceMs` bounds a synchronous run before it yields. */
export function createVaderScorer(lowConfidenceThreshold: number, sliceMs?: number): VaderScorer {
  return new VaderScorer({ lowConfidenceThreshold, ...(sliceMs !== undefined ? { sliceBudgetMs: sliceMs } : {}) });
}

/**
 * How a call is analysed when VADER serves: its chunks, weights and aggregate flagging (no
 * aggregate threshold, as in the engine). Defined once, for the main thread's engine and the batch
 * pool's workers, which must build the same bytes.
 */
export function vaderAnalysisOptions(lowConfidenceThreshold: number, sliceMs?: number): TranscriptAnalysisOptions & { scorer: VaderScorer } {
  return {
    scorer: createVaderScorer(lowConfidenceThreshold, sliceMs),
    chunk: vaderChunk,
    weight: wordCount,
    ...(sliceMs !== undefined ? { sliceMs } : {}),
  };
}
