import { describe, expect, it } from '@jest/globals';
import { codePointLength } from '../src';

describe('codePointLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['a😀b', 3],
    ['😀😀', 2],
    ['\ud800x', 2],
    ['x\udc00', 2],
  ])('when %j is measured, then it has %d code points', (text, expected) => {
    expect(codePointLength(text)).toBe(expected);
  });

  it('when a range is given, then only that slice counts, and a pair cut by its end counts once', () => {
    expect(codePointLength('a😀b', 0, 4)).toBe(3);
    expect(codePointLength('a😀b', 1, 3)).toBe(1);
    expect(codePointLength('a😀b', 1, 2)).toBe(1);
  });
});
