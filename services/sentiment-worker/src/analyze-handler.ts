import { ModelError } from '@sentiment/errors';
import type { AnalyzeFunction, AnalyzeRequest, AnalyzeResponse } from '@sentiment/http';
import type { TranscriptBatchResult } from '@sentiment/scoring';
import type { ScoringEngine } from './scoring-engine';

/** A transcript without text keeps its 4xx (InvalidInputError NO_TEXT). */
function transcriptAnalysis(outcome: TranscriptBatchResult | undefined) {
  if (outcome === undefined) throw new ModelError('SCORING_FAILED', 'the engine returned no outcome', { retriable: false });
  if (!outcome.ok) throw outcome.error;
  return outcome.analysis;
}

/** A validated (non-blank) text that still yields nothing to score is the scorer's failure (503). */
function textAnalysis(outcome: TranscriptBatchResult) {
  if (!outcome.ok) throw new ModelError('SCORING_FAILED', outcome.error.message, { retriable: false });
  return outcome.analysis;
}

/**
 * `POST /analyze` goes through `ScoringEngine.analyze`, like the Kafka pipeline, so a text gets
 * the same answer through either door.
 */
export function createAnalyzeHandler(engine: ScoringEngine): AnalyzeFunction {
  return async (request: AnalyzeRequest): Promise<AnalyzeResponse> => {
    if (request.kind === 'segments') {
      const [outcome] = await engine.analyze([{ call_id: 'http', segments: request.segments }]);
      const { call_id: _ignored, ...rest } = transcriptAnalysis(outcome);
      return rest;
    }
    const texts = request.kind === 'text' ? [request.text] : request.texts;
    const outcomes = await engine.analyze(texts);
    return {
      // The overall score of each text in the shape of a single Score, plus how many chunks it took.
      results: outcomes.map((outcome) => {
        const analysis = textAnalysis(outcome);
        return { ...analysis.overall, chunks: analysis.chunks };
      }),
    };
  };
}
