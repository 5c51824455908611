import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadRobertaTokenizer, robertaTokenizerAssetsDir, type RobertaTokenizer } from '@sentiment/scoring';

const squash = (s: string): string => s.replace(/\s+/gu, '');

function expectValidWindows(tokenizer: RobertaTokenizer, text: string, windows: string[], max: number): void {
  expect(windows.length).toBeGreaterThan(1);
  for (const window of windows) {
    expect(window).toBe(window.trim());
    expect(window.length).toBeGreaterThan(0);
    expect(tokenizer.countTokens(window)).toBeLessThanOrEqual(max);
  }
  // Consecutive slices with only whitespace between them: nothing lost, nothing repeated.
  expect(squash(windows.join(''))).toBe(squash(text));
  let from = 0;
  for (const window of windows) {
    const at = text.indexOf(window, from);
    expect(at).toBeGreaterThanOrEqual(from);
    expect(text.slice(from, at).trim()).toBe('');
    from = at + window.length;
  }
  expect(text.slice(from).trim()).toBe('');
}

describe('RobertaTokenizer.chunk', () => {
  let tokenizer: RobertaTokenizer;
  beforeAll(async () => {
    tokenizer = await loadRobertaTokenizer(robertaTokenizerAssetsDir());
  });

  it('when the text fits, then it is the only window, unchanged', () => {
    expect(tokenizer.chunk('  short text  ')).toEqual(['  short text  ']);
    expect(tokenizer.chunk('')).toEqual(['']);
  });

  it('when a transcript is longer than 512 tokens, then every window fits and together they cover it', () => {
    const sentences = Array.from({ length: 200 }, (_, i) => `Caller ${i} said the refund @agent promised never arrived, see https://x.y/${i}.`);
    const text = sentences.join(' ');
    const windows = tokenizer.chunk(text);
    expectValidWindows(tokenizer, text, windows, 512);
    // Windows are well filled, not tiny.
    expect(windows.length).toBeLessThanOrEqual(Math.ceil(tokenizer.countTokens(text) / 256));
  });

  it('when a small limit is given, then windows break at sentence ends where one is near', () => {
    const text = 'The call went well. The agent was kind and quick. I would call again tomorrow. Thanks a lot for everything today.';
    const windows = tokenizer.chunk(text, 16);
    expectValidWindows(tokenizer, text, windows, 16);
    for (const window of windows.slice(0, -1)) expect(window).toMatch(/[.!?]$/u);
  });

  it('when one word is longer than a window, then only that word is cut, at code-point boundaries', () => {
    const text = `before ${'x'.repeat(400)}${'😀'.repeat(50)} after`;
    const windows = tokenizer.chunk(text, 20);
    expectValidWindows(tokenizer, text, windows, 20);
    // No lone surrogate at either end of a window.
    for (const window of windows) expect(window).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/u);
  });

  it('when whitespace is mixed (newlines, tabs), then windows still cover the text', () => {
    const text = Array.from({ length: 300 }, (_, i) => `line ${i}\twith\ttabs and @user${i} mention`).join('\n');
    const windows = tokenizer.chunk(text, 64);
    expectValidWindows(tokenizer, text, windows, 64);
  });

  it('when the limit leaves no room for content, then it throws', () => {
    expect(() => tokenizer.chunk('some words here', 2)).toThrow(RangeError);
  });
});
