import { describe, it, expect } from '@jest/globals';
import { isPythonUpper, pythonRound } from '../../src/vader/python-text-semantics';

describe('pythonRound', () => {
  it.each([
    [0.0625, 3, 0.062],
    [0.1875, 3, 0.188],
    [0.3125, 3, 0.312],
    [-0.0625, 3, -0.062],
    [0.03125, 4, 0.0312],
    [0.09375, 4, 0.0938],
  ])('when %p is an exact binary tie at %p decimals, then it rounds half to even (to %p)', (x, digits, expected) => {
    expect(pythonRound(x, digits as 3 | 4)).toBe(expected);
  });

  it.each([
    [0.4444444, 3, 0.444],
    [0.1235, 3, 0.123], // stored as 0.12349999...: below the tie (Math.round(x * 1000) gives 0.124)
    [0.4445, 3, 0.445], // stored as 0.44450000...6: above the tie
    [0.0005, 3, 0.001], // stored as 0.00050000000000000001: above the tie
    [-0.49385, 4, -0.4939],
    [0.999951, 4, 1],
    [0, 4, 0],
  ])('when %p is not an exact tie, then %p decimals round to the nearest (%p)', (x, digits, expected) => {
    expect(pythonRound(x, digits as 3 | 4)).toBe(expected);
  });
});

describe('isPythonUpper', () => {
  it.each([
    ['ÉCOLE', true],
    ['École', false],
    ['ΣΟΦΙΑ', true],
    ['日本', false],
    ['ǅ', false],
    ['NÉ1!', true],
  ])('when the token is %j, then isupper is %p', (token, expected) => {
    expect(isPythonUpper(token)).toBe(expected);
  });
});
