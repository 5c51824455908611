import { describe, expect, it } from '@jest/globals';
import { sentenceChunker, sentenceEnds } from '../../src/transcript/sentence-chunker';
import { splitLongText } from '../../src/transcript/split-long-text';
import { wordCount } from '../../src/transcript/word-count';

describe('wordCount', () => {
  it('when text has mixed whitespace, then it counts maximal non-space runs', () => {
    expect(wordCount('')).toBe(0);
    expect(wordCount('   \n\t ')).toBe(0);
    expect(wordCount(' hello,  world!\nhow\u00a0are\u2003you ')).toBe(5);
  });
});

describe('splitLongText', () => {
  it('when text fits, then it is yielded whole', () => {
    expect([...splitLongText('short text', 100)]).toEqual(['short text']);
  });

  it('when text is long, then pieces are within the budget, cut after whitespace, and rejoin to the original', () => {
    const text = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    const pieces = [...splitLongText(text, 64)];
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(64);
    for (const p of pieces.slice(0, -1)) expect(p.endsWith(' ')).toBe(true);
    expect(pieces.join('')).toBe(text);
  });

  it('when there is no whitespace, then it cuts hard but never between a surrogate pair', () => {
    const text = '😀'.repeat(50); // 100 UTF-16 units
    const pieces = [...splitLongText(text, 7)];
    expect(pieces.join('')).toBe(text);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(7);
      expect(p.length % 2).toBe(0);
    }
  });
});

describe('sentenceChunker', () => {
  it('when text is within the budget, then it is returned whole (VADER scores it unchanged)', () => {
    expect(sentenceChunker(100)('I love it. Really!')).toEqual(['I love it. Really!']);
  });

  it('when text is over the budget, then it is packed into whole sentences under the budget', () => {
    const text = 'This is great. That was awful! Why? Because it broke.\nNew line here. And more text follows now.';
    const chunks = sentenceChunker(40)(text);
    expect(chunks.join('')).toBe(text);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(40);
    expect(chunks[0]).toBe('This is great. That was awful! Why? ');
  });

  it('when one sentence is longer than the budget, then it is cut at whitespace', () => {
    const long = Array.from({ length: 40 }, () => 'word').join(' ') + '.';
    const text = `Short one. ${long} Tail.`;
    const chunks = sentenceChunker(30)(text);
    expect(chunks.join('')).toBe(text);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(30);
  });

  it('when punctuation repeats without whitespace, then sentenceEnds ignores it and stays linear', () => {
    expect(sentenceEnds('Wait!!! What?! ok')).toEqual([8, 15]);
    expect(sentenceEnds('!'.repeat(200_000))).toEqual([]);
  });
});
