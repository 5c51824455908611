import type { CallSegment } from '@sentiment/events';
import type { TextsAnalysis, TranscriptAnalysisResponse } from './analyze-response.schema';

/**
 * A validated `POST /analyze` body. `kind` says which of the three accepted fields was sent;
 * the objects are fresh copies holding only validated fields.
 */
export type AnalyzeRequest =
  | { kind: 'text'; text: string }
  | { kind: 'texts'; texts: string[] }
  | { kind: 'segments'; segments: CallSegment[] };

export type AnalyzeResponse = TextsAnalysis | TranscriptAnalysisResponse;

export type AnalyzeFunction = (request: AnalyzeRequest) => Promise<AnalyzeResponse>;
