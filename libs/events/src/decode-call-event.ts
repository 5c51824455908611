import Ajv2020 from 'ajv/dist/2020';
import { callTranscribedSchema, type CallTranscribedEvent } from './schemas/call-transcribed.schema';
import { jsonDepthExceeds } from './json-depth';
import type { DeadLetterReason } from './dead-letter-reasons';

export interface DecodeLimits {
  /** Larger messages are dead-lettered unparsed. */
  maxMessageBytes: number;
  /** Total characters of transcript text (text + all segments). */
  maxTextChars: number;
  /** Deepest allowed JSON nesting. */
  maxJsonDepth: number;
}

export const defaultDecodeLimits: DecodeLimits = {
  maxMessageBytes: 1_048_576,
  maxTextChars: 200_000,
  maxJsonDepth: 32,
};

export type DecodeResult =
  | { ok: true; event: CallTranscribedEvent }
  | { ok: false; reason: DeadLetterReason; message: string };

const ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false });
const validate = ajv.compile<CallTranscribedEvent>(callTranscribedSchema);
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function fail(reason: DeadLetterReason, message: string): DecodeResult {
  return { ok: false, reason, message };
}

/**
 * Turns the raw bytes of a `calls.transcribed` message into a valid event or a dead-letter
 * reason. Total: never throws, whatever the bytes.
 */
export function decodeCallEvent(value: Buffer | null, limits: DecodeLimits = defaultDecodeLimits): DecodeResult {
  if (value === null || value.length === 0) return fail('EMPTY_MESSAGE', 'message has no value');
  if (value.length > limits.maxMessageBytes) {
    return fail('MESSAGE_TOO_LARGE', `message is ${value.length} bytes; the limit is ${limits.maxMessageBytes}`);
  }
  let text: string;
  try {
    text = utf8.decode(value);
  } catch {
    return fail('INVALID_UTF8', 'message value is not valid UTF-8');
  }
  if (jsonDepthExceeds(value, limits.maxJsonDepth)) {
    return fail('NESTING_TOO_DEEP', `JSON nesting deeper than ${limits.maxJsonDepth}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return fail('INVALID_JSON', `not JSON: ${(err as Error).message}`.slice(0, 300));
  }
  if (!validate(parsed)) {
    const first = validate.errors?.[0];
    const where = first?.instancePath || '(root)';
    return fail('SCHEMA_VIOLATION', `${where} ${first?.message ?? 'does not match the schema'}`.slice(0, 300));
  }
  const event = parsed;
  let chars = event.text?.length ?? 0;
  let hasText = event.text !== undefined && event.text.trim().length > 0;
  if (event.segments) {
    for (const segment of event.segments) {
      chars += segment.text.length;
      if (!hasText && segment.text.trim().length > 0) hasText = true;
    }
  }
  if (!hasText) return fail('NO_TEXT', 'the event has no non-blank text in `text` or `segments`');
  if (chars > limits.maxTextChars) {
    return fail('TEXT_TOO_LONG', `transcript has ${chars} characters; the limit is ${limits.maxTextChars}`);
  }
  return { ok: true, event };
}
