import { scoreSchema, segmentResultSchema, speakerResultSchema, trajectorySchema, type SchemaType } from '@sentiment/events';

/*
 * What `POST /analyze` answers, built from the result contract's own parts (libs/events), so
 * a text or a transcript gets the same shapes through HTTP as through Kafka.
 */

/** Answer to `text` and `texts`: `results[i]` scores the i-th text (one entry for `text`). */
export const textsAnalysisSchema = {
  type: 'object',
  required: ['results'],
  properties: { results: { type: 'array', items: scoreSchema, description: '`results[i]` scores the i-th text.' } },
} as const;

/** Answer to `segments`: the same parts as a result on `calls.sentiment`. */
export const transcriptAnalysisSchema = {
  type: 'object',
  description: 'Same shape as a result on calls.sentiment: overall, per-segment, per-speaker and trajectory.',
  required: ['overall'],
  properties: {
    overall: { allOf: [scoreSchema], type: 'object', properties: { models: { type: 'array', items: { type: 'string' } } } },
    chunks: { type: 'integer', minimum: 1, description: 'Texts scored (windows of long segments).' },
    segments: { type: 'array', items: segmentResultSchema },
    speakers: { type: 'object', additionalProperties: speakerResultSchema },
    trajectory: trajectorySchema,
  },
} as const;

export type TextsAnalysis = SchemaType<typeof textsAnalysisSchema>;
export type TranscriptAnalysisResponse = SchemaType<typeof transcriptAnalysisSchema>;
