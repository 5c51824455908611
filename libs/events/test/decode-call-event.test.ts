import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { callTranscribedSchema, decodeCallEvent, defaultDecodeLimits, jsonDepthExceeds, sentimentResultSchema } from '../src';

const bytes = (s: string) => Buffer.from(s, 'utf8');
const reasonOf = (value: Buffer | null, limits = defaultDecodeLimits) => {
  const r = decodeCallEvent(value, limits);
  return r.ok ? 'OK' : r.reason;
};

describe('decodeCallEvent', () => {
  it('when an event has text or segments, then it is valid', () => {
    expect(reasonOf(bytes('{"call_id":"a","text":"hello"}'))).toBe('OK');
    expect(reasonOf(bytes('{"call_id":"a","segments":[{"speaker":"agent","text":"hi","start_ms":0,"end_ms":10}]}'))).toBe('OK');
    expect(reasonOf(bytes('{"call_id":"a","text":"x","language":"en","timestamp":1763900000000,"metadata":{"k":1},"extra":true}'))).toBe('OK');
  });

  it.each([
    ['EMPTY_MESSAGE', null],
    ['EMPTY_MESSAGE', Buffer.alloc(0)],
    ['INVALID_UTF8', Buffer.from([0x7b, 0xc3, 0x28, 0x7d])],
    ['INVALID_JSON', bytes('not json')],
    ['INVALID_JSON', bytes('{"call_id":"a","text":"tru')],
    ['SCHEMA_VIOLATION', bytes('{"text":"no id"}')],
    ['SCHEMA_VIOLATION', bytes('{"call_id":5,"text":"x"}')],
    ['SCHEMA_VIOLATION', bytes('{"call_id":"a"}')],
    ['SCHEMA_VIOLATION', bytes('[1,2]')],
    ['SCHEMA_VIOLATION', bytes('null')],
    ['SCHEMA_VIOLATION', bytes('{"call_id":"a","segments":[{"speaker":"x"}]}')],
    ['SCHEMA_VIOLATION', bytes('{"call_id":"a","text":"x","metadata":[]}')],
    ['NO_TEXT', bytes('{"call_id":"a","text":"   \\n"}')],
    ['NO_TEXT', bytes('{"call_id":"a","segments":[{"speaker":"x","text":" "}]}')],
    ['NESTING_TOO_DEEP', bytes(`{"call_id":"a","text":"x","metadata":${'{"a":'.repeat(50)}1${'}'.repeat(50)}}`)],
  ])('when the message is bad, then the reason is %s', (reason, value) => {
    expect(reasonOf(value)).toBe(reason);
  });

  it('when a message or its text exceeds the limits, then it is rejected with the limit in the message', () => {
    const limits = { ...defaultDecodeLimits, maxMessageBytes: 100, maxTextChars: 10 };
    const big = decodeCallEvent(bytes(`{"call_id":"a","text":"${'x'.repeat(200)}"}`), limits);
    expect(big).toMatchObject({ ok: false, reason: 'MESSAGE_TOO_LARGE' });
    const long = decodeCallEvent(bytes('{"call_id":"a","text":"12345678901"}'), limits);
    expect(long).toMatchObject({ ok: false, reason: 'TEXT_TOO_LONG', message: expect.stringContaining('limit is 10') });
  });

  it('when keys like __proto__ arrive, then they stay plain data and pollute nothing', () => {
    const r = decodeCallEvent(bytes('{"call_id":"a","text":"x","__proto__":{"polluted":true},"metadata":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}'));
    expect(r.ok).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(r.ok && r.event.metadata)).toBe(Object.prototype);
  });

  it('when null bytes are inside the text, then the event is still valid', () => {
    expect(reasonOf(bytes('{"call_id":"a","text":"good\\u0000 day"}'))).toBe('OK');
  });

  it('when brackets are inside strings, then the depth scan ignores them', () => {
    expect(jsonDepthExceeds(bytes(`{"a":"${'['.repeat(100)}\\"${'{'.repeat(100)}"}`), 3)).toBe(false);
    expect(jsonDepthExceeds(bytes('[[[[1]]]]'), 3)).toBe(true);
  });
});

describe('published schemas', () => {
  it('when docs/schemas is compared with the code, then they are identical', () => {
    const dir = join(__dirname, '..', '..', '..', '..', 'docs', 'schemas');
    expect(JSON.parse(readFileSync(join(dir, 'call-transcribed.schema.json'), 'utf8'))).toEqual(callTranscribedSchema);
    expect(JSON.parse(readFileSync(join(dir, 'sentiment-result.schema.json'), 'utf8'))).toEqual(sentimentResultSchema);
  });
});
