import { HttpError } from '@sentiment/errors';
import { codePointLength, type CallSegment } from '@sentiment/events';
import type { AnalyzeRequest } from './analyze-types';
import { MAX_SPEAKER_CHARS, type AnalyzeLimits } from './http-options';

/*
 * Hand-written rather than ajv so each failure gets its own code and a message naming the
 * field; the OpenAPI request schema states the same rules (a test checks they agree). Rules
 * a JSON Schema cannot state: strings must be well-formed Unicode (no unpaired surrogates)
 * and numbers finite.
 */

type Limits = Pick<AnalyzeLimits, 'maxBatchTexts' | 'maxSegments' | 'maxTextChars'>;

const REQUEST_FIELDS = ['text', 'texts', 'segments'] as const;
const SEGMENT_FIELDS = new Set(['speaker', 'text', 'start_ms', 'end_ms']);
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function violation(message: string): HttpError {
  return new HttpError(400, 'SCHEMA_VIOLATION', message);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A key as it may appear in a message: quoted, control characters escaped, bounded. */
function showKey(key: string): string {
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}...` : key);
}

function checkString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw violation(`${field} must be a string`);
  if (UNPAIRED_SURROGATE.test(value)) throw new HttpError(400, 'INVALID_UTF8', `${field} contains an unpaired UTF-16 surrogate`);
  return value;
}

function checkText(value: unknown, field: string, limits: Limits, allowBlank: boolean): string {
  const text = checkString(value, field);
  if (text.length > limits.maxTextChars && codePointLength(text) > limits.maxTextChars) {
    throw new HttpError(413, 'TEXT_TOO_LONG', `${field} is longer than ${limits.maxTextChars} characters`);
  }
  if (!allowBlank && text.trim() === '') throw new HttpError(400, 'NO_TEXT', `${field} is empty or only whitespace`);
  return text;
}

function checkArray(value: unknown, field: string, max: number): unknown[] {
  if (!Array.isArray(value)) throw violation(`${field} must be an array`);
  if (value.length === 0) throw new HttpError(400, 'NO_TEXT', `${field} is empty`);
  if (value.length > max) throw new HttpError(413, 'BATCH_TOO_LARGE', `${field} has more than ${max} entries`);
  return value;
}

function checkMillis(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw violation(`${field} must be a finite number >= 0`);
  }
  return value;
}

function checkSegment(value: unknown, index: number, limits: Limits): CallSegment {
  const field = `segments[${index}]`;
  if (!isPlainObject(value)) throw violation(`${field} must be an object`);
  for (const key of Object.keys(value)) {
    if (!SEGMENT_FIELDS.has(key)) throw violation(`${field} has unknown field ${showKey(key)}`);
  }
  if (!Object.hasOwn(value, 'speaker')) throw violation(`${field}.speaker is required`);
  if (!Object.hasOwn(value, 'text')) throw violation(`${field}.text is required`);
  const speaker = checkString(value['speaker'], `${field}.speaker`);
  const speakerChars = codePointLength(speaker);
  if (speakerChars === 0 || speakerChars > MAX_SPEAKER_CHARS) {
    throw violation(`${field}.speaker must have 1 to ${MAX_SPEAKER_CHARS} characters`);
  }
  const segment: CallSegment = { speaker, text: checkText(value['text'], `${field}.text`, limits, true) };
  if (Object.hasOwn(value, 'start_ms')) segment.start_ms = checkMillis(value['start_ms'], `${field}.start_ms`);
  if (Object.hasOwn(value, 'end_ms')) segment.end_ms = checkMillis(value['end_ms'], `${field}.end_ms`);
  return segment;
}

/**
 * Turns a parsed `POST /analyze` body into an AnalyzeRequest or throws an HttpError (4xx).
 * Exactly one of `text`, `texts`, `segments`; unknown fields are rejected (a typo such as
 * `txt` must not silently analyse nothing), which also shuts out `__proto__`/`constructor`.
 */
export function validateAnalyzeBody(body: unknown, limits: Limits): AnalyzeRequest {
  if (!isPlainObject(body)) throw violation('request body must be a JSON object');
  const keys = Object.keys(body);
  for (const key of keys) {
    if (!(REQUEST_FIELDS as readonly string[]).includes(key)) {
      throw violation(`unknown field ${showKey(key)}; send exactly one of text, texts, segments`);
    }
  }
  if (keys.length === 0) throw new HttpError(400, 'NO_TEXT', 'send exactly one of text, texts, segments');
  if (keys.length > 1) throw violation(`send only one of text, texts, segments (got ${keys.join(', ')})`);

  if (Object.hasOwn(body, 'text')) return { kind: 'text', text: checkText(body['text'], 'text', limits, false) };
  if (Object.hasOwn(body, 'texts')) {
    const items = checkArray(body['texts'], 'texts', limits.maxBatchTexts);
    return { kind: 'texts', texts: items.map((item, i) => checkText(item, `texts[${i}]`, limits, false)) };
  }
  const items = checkArray(body['segments'], 'segments', limits.maxSegments);
  const segments = items.map((item, i) => checkSegment(item, i, limits));
  if (!segments.some((s) => s.text.trim() !== '')) {
    throw new HttpError(400, 'NO_TEXT', 'every segment text is empty or only whitespace');
  }
  return { kind: 'segments', segments };
}
