import { labelScoresSchema, scoreSchema, sentimentLabelSchema } from './score.schema';
import type { SchemaType } from './schema-type';

/** One segment's sentiment in a result (and in a `/analyze` transcript answer). */
export const segmentResultSchema = {
  allOf: [scoreSchema],
  type: 'object',
  required: ['index', 'speaker', 'chunks'],
  properties: { index: { type: 'integer' }, speaker: { type: 'string' }, start_ms: { type: 'number' }, end_ms: { type: 'number' }, chunks: { type: 'integer' }, weight: { type: 'number' } },
} as const;

/** One speaker's sentiment over all their segments. */
export const speakerResultSchema = { allOf: [scoreSchema], type: 'object', required: ['segments'], properties: { segments: { type: 'integer' } } } as const;

/** How the sentiment moved from the first third of the call to the last. */
export const trajectorySchema = {
  type: 'object',
  required: ['basis', 'first_third', 'last_third', 'delta', 'trend'],
  properties: {
    basis: { enum: ['time', 'weight'] },
    first_third: scoreSchema,
    last_third: scoreSchema,
    delta: { type: 'number' },
    trend: { enum: ['improving', 'worsening', 'stable'] },
  },
} as const;

/** JSON Schema (2020-12) of a result on `calls.sentiment` (docs/events.md). */
export const sentimentResultSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://github.com/sentiment-worker/schemas/sentiment-result.v1.json',
  title: 'SentimentResult',
  description: 'The sentiment of one `calls.transcribed` event. Kafka key: call_id.',
  type: 'object',
  required: ['schema_version', 'call_id', 'label', 'scores', 'confidence', 'low_confidence', 'model', 'models', 'chunks', 'source', 'timings', 'worker'],
  properties: {
    schema_version: { const: 1 },
    call_id: { type: 'string' },
    label: sentimentLabelSchema,
    scores: labelScoresSchema,
    confidence: { type: 'number', minimum: 0, maximum: 1, description: 'Probability of `label` (model) or |compound| (VADER).' },
    low_confidence: { type: 'boolean', description: 'confidence is under LOW_CONFIDENCE_THRESHOLD: flagged, not dropped.' },
    compound: { type: 'number', minimum: -1, maximum: 1, description: 'VADER compound score (VADER results only).' },
    model: { type: 'string', description: 'The scorer that produced the result: `roberta-onnx` or `vader` (joined with + after a partial fallback).' },
    models: { type: 'array', items: { type: 'string' } },
    language: { type: 'string' },
    chunks: { type: 'integer', minimum: 1, description: 'Texts scored for this event (windows of long texts and segments).' },
    segments: { type: 'array', items: segmentResultSchema },
    speakers: { type: 'object', additionalProperties: speakerResultSchema },
    trajectory: trajectorySchema,
    metadata: { type: 'object' },
    source: {
      type: 'object',
      required: ['topic', 'partition', 'offset'],
      properties: {
        topic: { type: 'string' },
        partition: { type: 'integer', minimum: 0 },
        offset: { type: 'string', pattern: '^[0-9]+$' },
        timestamp: { type: 'string', description: 'The input message timestamp (ms since epoch, as Kafka gives it).' },
      },
    },
    timings: {
      type: 'object',
      required: ['received_at', 'scoring_ms', 'queue_ms'],
      properties: {
        received_at: { type: 'string', description: 'ISO time the worker received the batch.' },
        scoring_ms: { type: 'number', description: 'Time to score the batch this event was in.' },
        queue_ms: { type: 'number', description: 'From the input timestamp to receipt by the worker.' },
        batch_size: { type: 'integer' },
      },
    },
    truncated: {
      type: 'object',
      description:
        "Present only when the full result would not fit the output topic's max.message.bytes: what was left out (per-segment detail past `segments_kept`, then `speakers`, then `metadata`). Overall, trajectory and source are always complete.",
      required: ['reason', 'limit_bytes'],
      properties: {
        reason: { const: 'max_message_bytes' },
        limit_bytes: { type: 'integer', minimum: 1 },
        segments_total: { type: 'integer', minimum: 0 },
        segments_kept: { type: 'integer', minimum: 0 },
        speakers_total: { type: 'integer', minimum: 0 },
        metadata_omitted: { const: true },
      },
    },
    trace: { type: 'object', properties: { traceparent: { type: 'string' }, tracestate: { type: 'string' } } },
    worker: { type: 'object', required: ['version'], properties: { version: { type: 'string' }, instance: { type: 'string' } } },
  },
} as const;

/** A result on `calls.sentiment`, as the schema states it. */
export type SentimentResult = SchemaType<typeof sentimentResultSchema>;
