import type { Prng } from './prng';

export interface FuzzCase {
  category: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** true: must be 200; false: must be 4xx; 'either': 200 or 4xx (e.g. a mutation that stayed valid). */
  valid: boolean | 'either';
}

const VALID_BODIES = [
  '{"text":"I love this"}',
  '{"texts":["good","bad","meh"]}',
  '{"segments":[{"speaker":"agent","text":"hello","start_ms":0,"end_ms":5}]}',
  '{"text":"emoji 😀 and 日本語 and עברית"}',
  '\ufeff{"text":"leading BOM"}',
  '{"text":"nul \\u0000 inside"}',
  '{"text":"  padded  "}',
];

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset="UTF-8"'];
const OTHER_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/jsonx',
  'application/*',
  'json',
  '',
  ';;;',
  'application/json; charset',
  'text/json',
  'application/vnd.api+json',
];

/** Small JSON-ish alphabet, so random mutations stay near the grammar instead of being pure noise. */
const JSON_NOISE = ['{', '}', '[', ']', '"', ':', ',', '\\', 'u', 'n', 't', 'f', '0', '-', 'e', '.', ' ', '\n', 'text', 'texts', 'segments'];

function mutate(rng: Prng, text: string): string {
  let out = text;
  const edits = 1 + rng.int(4);
  for (let i = 0; i < edits; i++) {
    const at = rng.int(out.length + 1);
    const op = rng.int(3);
    if (op === 0) out = out.slice(0, at) + out.slice(at + 1);
    else if (op === 1) out = out.slice(0, at) + rng.pick(JSON_NOISE) + out.slice(at);
    else out = out.slice(0, at) + rng.pick(JSON_NOISE) + out.slice(at + 1);
  }
  return out;
}

/** Byte sequences that are not UTF-8: overlong, encoded surrogates, out of range, truncated, stray continuation. */
const INVALID_UTF8 = [
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0x80],
  [0xff],
  [0xfe, 0xff],
];

const UNICODE_TEXTS = [
  '\\ud800',
  '\\udfff tail',
  'a\\ud83d',
  '\\u202e reversed',
  '\\u200b\\u200b\\u200b',
  '\\u3000\\u3000',
  '\\ufeff',
  '\\u0000',
  'e\\u0301\\u0301\\u0301',
  '👩‍👩‍👧‍👦',
];

export function generateFuzzCase(rng: Prng, limits: { maxBodyBytes: number; maxBatchTexts: number; maxTextChars: number }): FuzzCase {
  const json = (body: string | Buffer, category: string, valid: boolean | 'either' = false): FuzzCase => ({
    category,
    method: 'POST',
    path: '/analyze',
    headers: { 'content-type': rng.pick(JSON_TYPES) },
    body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    valid,
  });
  const kind = rng.int(16);
  switch (kind) {
    case 0:
      return json(rng.pick(VALID_BODIES), 'valid', true);
    case 1:
      return json(rng.bytes(rng.int(2_000)), 'random bytes');
    case 2: {
      const base = rng.pick(VALID_BODIES).replace('\ufeff', '');
      const text = mutate(rng, base);
      // A mutation can land on another valid body; those are not counted as malformed.
      return json(text, 'mutated JSON', 'either');
    }
    case 3: {
      const size = limits.maxBodyBytes + 1 + rng.int(4 * limits.maxBodyBytes);
      return json(`{"text":"${'a'.repeat(size)}"}`, 'body over the limit');
    }
    case 4: {
      const n = limits.maxBatchTexts + 1 + rng.int(8_000);
      return json(`{"texts":[${Array(n).fill('"a"').join(',')}]}`, 'huge array');
    }
    case 5: {
      const depth = rng.pick([9, 100, 10_000, Math.min(60_000, limits.maxBodyBytes - 10), 100_000]);
      const open = rng.pick(['[', '{"a":']);
      return json(open.repeat(Math.floor(depth / (open.length === 1 ? 1 : 3))), 'deep nesting');
    }
    case 6:
      return json(
        rng.pick([
          '{"__proto__":{"polluted":true}}',
          '{"text":"x","__proto__":{"polluted":true}}',
          '{"constructor":{"prototype":{"polluted":true}}}',
          '{"segments":[{"speaker":"a","text":"b","__proto__":{"polluted":true}}]}',
          '{"texts":{"__proto__":[]}}',
          '{"__proto__":null,"text":"x"}',
        ]),
        '__proto__ payload',
      );
    case 7:
      return json(
        rng.pick([
          '{"text":1}',
          '{"text":null}',
          '{"text":true}',
          '{"text":{}}',
          '{"texts":"a"}',
          '{"texts":[1,2]}',
          '{"texts":[]}',
          '{"segments":"x"}',
          '{"segments":[{"speaker":1,"text":"a"}]}',
          '{"segments":[{"speaker":"a","text":"b","start_ms":"0"}]}',
          '[]',
          '1',
          '"text"',
          'null',
          '{}',
          '{"text":""}',
          '{"text":" \\t\\n "}',
          '{"text":"a","texts":["b"]}',
        ]),
        'wrong types',
      );
    case 8:
      return json(`{"text":"${rng.pick(UNICODE_TEXTS)}"}`, 'unicode edge case', 'either');
    case 9: {
      const bad = Buffer.from(rng.pick(INVALID_UTF8));
      return json(Buffer.concat([Buffer.from('{"text":"ab'), bad, Buffer.from('cd"}')]), 'invalid UTF-8');
    }
    case 10:
      return json(`{"text":"${'b'.repeat(limits.maxTextChars + 1 + rng.int(100))}"}`, 'text too long');
    case 11: {
      const c: FuzzCase = json(rng.pick(VALID_BODIES), 'wrong content type');
      const type = rng.pick(OTHER_TYPES);
      if (type === '') delete c.headers['content-type'];
      else c.headers['content-type'] = type;
      if (rng.chance(0.2)) c.headers['content-encoding'] = rng.pick(['gzip', 'br', 'deflate']);
      return c;
    }
    case 12: {
      const path = rng.pick(['/analyze', '/health', '/', '/metrics', '/ready', '/openapi.json']);
      const method = rng.pick(path === '/analyze' ? ['GET', 'PUT', 'DELETE', 'PATCH'] : ['POST', 'PUT', 'DELETE', 'PATCH']);
      return { category: 'wrong method', method, path, headers: {}, body: rng.chance(0.5) ? Buffer.from('{"text":"x"}') : undefined, valid: false };
    }
    case 13: {
      const path = rng.pick(['/analyse', '/analyze/x', '/%00', '/%ZZ', '/..%2f..%2fetc', '/health/../analyze2', `/${'a'.repeat(3_000)}`, '/ü', '/\u00ff']);
      return { ...json(rng.pick(VALID_BODIES), 'unknown path'), path: encodeURI(path).replace(/%25/g, '%') };
    }
    case 14:
      return json('', 'empty body');
    default:
      return json(rng.chance(0.5) ? '{"text": "unterminated' : '{"text":"x"}}', 'bad JSON');
  }
}
