import type { Score } from '@sentiment/scoring';

/** One utterance of a transcript, as `calls.transcribed` carries it. */
export interface AnalyzeSegment {
  speaker: string;
  text: string;
  start_ms?: number;
  end_ms?: number;
}

/**
 * A validated `POST /analyze` body. `kind` says which of the three accepted fields was sent;
 * the objects are fresh copies holding only validated fields.
 */
export type AnalyzeRequest =
  | { kind: 'text'; text: string }
  | { kind: 'texts'; texts: string[] }
  | { kind: 'segments'; segments: AnalyzeSegment[] };

/** Answer to `text` and `texts`: `results[i]` scores the i-th text (one entry for `text`). */
export interface TextsAnalysis {
  results: Score[];
}

/**
 * Answer to `segments`: the same shape as a result on `calls.sentiment` (overall, per-segment,
 * per-speaker, trajectory...). Only `overall` is required here so the HTTP layer does not
 * pin down the rest of the results contract.
 */
export interface TranscriptAnalysisResponse {
  overall: Score & { models?: string[] };
  [extra: string]: unknown;
}

export type AnalyzeResponse = TextsAnalysis | TranscriptAnalysisResponse;

export type AnalyzeFunction = (request: AnalyzeRequest) => Promise<AnalyzeResponse>;
