import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from '@jest/globals';
import { buildSentimentResult, callTranscribedSchema, decodeCallEvent, sentimentResultSchema, type CallTranscribedEvent, type Score, type SentimentResult } from '../src';

const score: Score = { label: 'positive', scores: { negative: 0.1, neutral: 0.2, positive: 0.7 }, confidence: 0.7, low_confidence: false, model: 'vader', compound: 0.5 };

// Compile-time half of this file: the derived types are closed and as strict as the schemas.
// @ts-expect-error a misspelt field is an error, although the wire schema is open
export const misspelt: Score = { ...score, confidance: 0.7 };
// @ts-expect-error a label outside the schema's enum
export const badLabel: Score['label'] = 'happy';
// @ts-expect-error an event needs text or segments (the schema's anyOf)
export const noText: CallTranscribedEvent = { call_id: 'a' };
// @ts-expect-error schema_version is the constant 1
export const badVersion: SentimentResult['schema_version'] = 2;
export const metadataStaysOpen: CallTranscribedEvent['metadata'] = { anything: [1, 'two'] };

describe('types derived from the JSON Schemas', () => {
  const ajv = new Ajv2020({ strict: true, strictRequired: false });

  it('when a result is built from a decoded event, then the schema accepts it', () => {
    const decoded = decodeCallEvent(Buffer.from(JSON.stringify({ call_id: 'c1', text: 'good', language: 'en', metadata: { k: 1 } })));
    if (!decoded.ok) throw new Error(decoded.message);
    const result = buildSentimentResult(
      decoded.event,
      {
        overall: { ...score, models: ['vader'] },
        chunks: 2,
        segments: [{ ...score, index: 0, speaker: 'agent', chunks: 2, weight: 3 }],
        speakers: { agent: { ...score, segments: 1 } },
        trajectory: { basis: 'weight', single_chunk: false, first_third: score, last_third: score, delta: 0, trend: 'stable' },
      },
      { topic: 't', partition: 0, offset: '7', messageTimestamp: '1763900000000', receivedAt: 1763900000500, scoringMs: 1.5, batchSize: 1, workerVersion: '1.0.0' },
    );
    const validate = ajv.compile(sentimentResultSchema);
    expect(validate(result)).toBe(true);
    expect(result).toMatchObject({ call_id: 'c1', language: 'en', metadata: { k: 1 }, timings: { queue_ms: 500 } });
  });

  it('when an event typed by CallTranscribedEvent is checked, then the schema accepts it', () => {
    const event: CallTranscribedEvent = { call_id: 'c2', segments: [{ speaker: 'agent', text: 'hi', start_ms: 0, end_ms: 5 }], timestamp: 1 };
    expect(ajv.compile(callTranscribedSchema)(event)).toBe(true);
  });
});
