import type { SchemaType } from './schema-type';

/**
 * One turn of a conversation: who spoke and what was said, optionally when. The same shape in
 * `calls.transcribed`, in `POST /analyze` (which adds its own limits) and in the transcript
 * analysis.
 */
export const callSegmentSchema = {
  type: 'object',
  required: ['speaker', 'text'],
  properties: {
    speaker: { type: 'string', minLength: 1, maxLength: 256 },
    text: { type: 'string' },
    start_ms: { type: 'number', minimum: 0 },
    end_ms: { type: 'number', minimum: 0 },
  },
} as const;

/**
 * JSON Schema (2020-12) of the input event on `calls.transcribed`: the contract in docs/events.md.
 * Unknown top-level fields are allowed so producers can add fields without breaking the worker.
 */
export const callTranscribedSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://github.com/sentiment-worker/schemas/call-transcribed.v1.json',
  title: 'CallTranscribed',
  description: 'A call-centre call has been transcribed. Carries the transcript as `text`, `segments`, or both.',
  type: 'object',
  required: ['call_id'],
  anyOf: [{ required: ['text'] }, { required: ['segments'] }],
  properties: {
    call_id: { type: 'string', minLength: 1, maxLength: 256, description: 'Unique id of the call; the Kafka key of the result.' },
    text: { type: 'string', description: 'The whole transcript as one text.' },
    segments: {
      type: 'array',
      maxItems: 10000,
      description: 'Turns of the conversation in order. When present, the result has per-segment and per-speaker sentiment.',
      items: callSegmentSchema,
    },
    language: { type: 'string', maxLength: 35, description: 'BCP 47 language tag, e.g. `en` or `en-GB`.' },
    timestamp: {
      description: 'When the call was transcribed: ISO 8601 string or epoch milliseconds.',
      oneOf: [{ type: 'string', maxLength: 64 }, { type: 'number' }],
    },
    metadata: { type: 'object', description: 'Free-form producer data; carried through to the result unchanged.' },
  },
} as const;

export type CallSegment = SchemaType<typeof callSegmentSchema>;

/** A valid `calls.transcribed` event: what the schema accepts (unknown top-level fields are not typed). */
export type CallTranscribedEvent = SchemaType<typeof callTranscribedSchema>;
