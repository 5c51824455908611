import { describe, expect, it } from '@jest/globals';
import { jsonDepthExceeds } from '../src';

describe('jsonDepthExceeds', () => {
  it.each([
    ['{"a":[1]}', 2, false],
    ['{"a":[1]}', 1, true],
    ['"[[[[[[[["', 1, false],
    ['{"a":"\\"[[[["}', 1, false],
    ['[[[]]]', 3, false],
    ['[[[[]]]]', 3, true],
    ['{"é😀":["ü[",{"k":"\\\\"}]}', 3, false],
    ['{"é😀":["ü[",{"k":"\\\\"}]}', 2, true],
  ])('when the bytes of %s are checked against depth %d, then exceeds is %p', (text, limit, expected) => {
    expect(jsonDepthExceeds(Buffer.from(text, 'utf8'), limit)).toBe(expected);
  });

  it('when 1,000,000 brackets are scanned, then it answers without recursion', () => {
    expect(jsonDepthExceeds(Buffer.from('['.repeat(1_000_000)), 8)).toBe(true);
  });
});
