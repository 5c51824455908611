import { ModelError } from '@sentiment/errors';
import type { AnalyzeFunction, AnalyzeRequest, AnalyzeResponse } from '@sentiment/http';
import { analyzeTranscript, analyzeTranscripts, type TranscriptAnalysis } from '@sentiment/scoring';
import type { ScoringEngine } from './scoring-engine';

/** The overall score of an analysis in the shape of a single Score (plus how many chunks it took). */
function overallOf(analysis: TranscriptAnalysis) {
  return { ...analysis.overall, chunks: analysis.chunks };
}

/**
 * `POST /analyze` scores with the same engine, chunking and aggregation as the Kafka
 * pipeline, so a text gets the same answer through either door.
 */
export function createAnalyzeHandler(engine: ScoringEngine): AnalyzeFunction {
  const options = () => ({
    scorer: engine.scorer,
    chunk: engine.chunk,
    weight: engine.weight,
    lowConfidenceThreshold: engine.lowConfidenceThreshold,
  });
  return async (request: AnalyzeRequest): Promise<AnalyzeResponse> => {
    if (request.kind === 'segments') {
      const analysis = await analyzeTranscript({ call_id: 'http', segments: request.segments }, options());
      const { call_id: _ignored, ...rest } = analysis;
      return rest;
    }
    const texts = request.kind === 'text' ? [request.text] : request.texts;
    const outcomes = await analyzeTranscripts(
      texts.map((text, i) => ({ call_id: String(i), text })),
      options(),
    );
    return {
      results: outcomes.map((o) => {
        if (!o.ok) throw new ModelError('SCORING_FAILED', o.error.message, { retriable: false });
        return overallOf(o.analysis);
      }),
    };
  };
}
