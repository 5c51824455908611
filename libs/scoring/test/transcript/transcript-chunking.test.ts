import { describe, expect, it } from '@jest/globals';
import { analyzeTranscript } from '../../src/transcript';
import { KeywordScorer, keywordModelScore, wordWindowChunker } from './keyword-scorer';

describe('analyzeTranscript chunking', () => {
  it('when a segment is over the limit, then it is split into windows under it and aggregated back', async () => {
    const scorer = new KeywordScorer('model', 10); // throws on any text over 10 words
    const long = [
      'this is terrible and awful and I am angry about it', // 11 words
      'the product is broken and the worst I have ever seen', // 11 words
      'thanks', // 1 word
    ].join(' '); // 23 words -> windows of 10, 10, 3
    const analysis = await analyzeTranscript(
      { call_id: 'k', segments: [{ speaker: 'customer', text: long }, { speaker: 'agent', text: 'sorry' }] },
      { scorer, chunk: wordWindowChunker(10) },
    );
    expect(scorer.calls).toHaveLength(1);
    expect(scorer.calls[0]).toHaveLength(4);
    for (const t of scorer.calls[0]!) expect(t.split(' ').length).toBeLessThanOrEqual(10);

    const seg = analysis.segments![0]!;
    expect(seg.chunks).toBe(3);
    expect(seg.weight).toBe(23);
    const windows = wordWindowChunker(10)(long).map((t) => ({ s: keywordModelScore(t).scores, w: t.split(' ').length }));
    const mean = windows.reduce((sum, x) => sum + x.w * x.s.negative, 0) / 23;
    expect(seg.scores.negative).toBeCloseTo(mean, 12);
    expect(seg.label).toBe('negative');
    expect(analysis.segments![1]!.chunks).toBe(1);
    expect(analysis.chunks).toBe(4);
    expect(analysis.units).toBe(24);
  });

  it('when the chunker returns blank windows, then they are not scored', async () => {
    const scorer = new KeywordScorer();
    const analysis = await analyzeTranscript({ call_id: 'k', text: 'happy' }, { scorer, chunk: (t) => ['', '  ', t, '\n'] });
    expect(scorer.calls[0]).toEqual(['happy']);
    expect(analysis.chunks).toBe(1);
  });

  it('when the chunker is async, then its windows are awaited', async () => {
    const analysis = await analyzeTranscript(
      { call_id: 'k', text: 'one two three four five' },
      { scorer: new KeywordScorer(), chunk: async (t) => wordWindowChunker(2)(t) },
    );
    expect(analysis.chunks).toBe(3);
  });

  it('when a text is longer than maxChunkInputChars, then the chunker only ever sees bounded pieces and no word is lost', async () => {
    const text = Array.from({ length: 5_000 }, (_, i) => (i % 7 === 0 ? 'happy' : `w${i}`)).join(' ');
    const seen: number[] = [];
    const analysis = await analyzeTranscript(
      { call_id: 'k', text },
      {
        scorer: new KeywordScorer(),
        chunk: (t) => {
          seen.push(t.length);
          return wordWindowChunker(100)(t);
        },
        maxChunkInputChars: 4_096,
      },
    );
    expect(Math.max(...seen)).toBeLessThanOrEqual(4_096);
    expect(seen.length).toBeGreaterThan(1);
    expect(analysis.units).toBe(5_000);
  });
});
