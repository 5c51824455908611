import { describe, expect, it } from '@jest/globals';
import { HttpError } from '@sentiment/errors';
import { decodeUtf8Strict, parseJsonBody } from '../src/json-body-reader';
import { parseMediaType } from '../src/media-type';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof HttpError) return `${err.status} ${err.code}`;
    throw err;
  }
  return 'ok';
}

describe('parseMediaType', () => {
  it.each([
    ['application/json', 'application/json', undefined],
    ['Application/JSON; Charset="UTF-8"', 'application/json', 'UTF-8'],
    ['application/json;charset=utf-8;', 'application/json', 'utf-8'],
  ])('when %s is parsed, then the essence is %s and the charset %s', (header, essence, charset) => {
    const media = parseMediaType(header);
    expect(media?.essence).toBe(essence);
    expect(media?.params.get('charset')).toBe(charset);
  });

  it.each([[undefined], [''], ['json'], ['/json'], ['application/'], ['application/json; charset'], ['a b/c']])('when %p is parsed, then it is malformed', (header) => {
    expect(parseMediaType(header)).toBeNull();
  });
});

describe('decodeUtf8Strict and parseJsonBody', () => {
  it('when the bytes are not UTF-8, then INVALID_UTF8', () => {
    expect(codeOf(() => decodeUtf8Strict(Buffer.from([0x22, 0xc0, 0x80, 0x22])))).toBe('400 INVALID_UTF8');
  });

  it('when the body starts with a BOM, then the BOM is dropped', () => {
    expect(decodeUtf8Strict(Buffer.from('\ufeff{}', 'utf8'))).toBe('{}');
  });

  it.each([
    ['', '400 EMPTY_MESSAGE'],
    ['  \n', '400 EMPTY_MESSAGE'],
    ['{"a":', '400 INVALID_JSON'],
    ['[[[[[[[[[1]]]]]]]]]', '400 NESTING_TOO_DEEP'],
    ['{"text":"x"}', 'ok'],
  ])('when %p is parsed, then %s', (text, expected) => {
    expect(codeOf(() => parseJsonBody(Buffer.from(text, 'utf8'), 8))).toBe(expected);
  });

  it('when JSON.parse meets __proto__, then it is an own key and no prototype changes', () => {
    const value = parseJsonBody(Buffer.from('{"__proto__":{"polluted":true}}'), 8) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
