import { describe, expect, it } from '@jest/globals';
import { InvalidInputError, ModelError } from '@sentiment/errors';
import { analyzeTranscript, analyzeTranscripts, type TranscriptInput } from '../../src/transcript';
import type { Score } from '../../src/scorer';
import { KeywordScorer, wordWindowChunker } from './keyword-scorer';

const events: TranscriptInput[] = [
  { call_id: 'a', text: 'great service thanks a lot for the help today' },
  { call_id: 'blank', text: '   ', segments: [{ speaker: 'x', text: '' }] },
  {
    call_id: 'b',
    segments: [
      { speaker: 'customer', text: 'this is terrible and broken and I am angry about the bill' },
      { speaker: 'agent', text: 'sorry' },
    ],
  },
];

describe('analyzeTranscripts batching', () => {
  it('when a batch has several events, then all their chunks go to the scorer in ONE call, in event order', async () => {
    const scorer = new KeywordScorer();
    const results = await analyzeTranscripts(events, { scorer, chunk: wordWindowChunker(4) });
    expect(scorer.calls).toHaveLength(1);
    expect(scorer.calls[0]).toEqual([
      'great service thanks a',
      'lot for the help',
      'today',
      'this is terrible and',
      'broken and I am',
      'angry about the bill',
      'sorry',
    ]);
    expect(results.map((r) => [r.call_id, r.ok])).toEqual([
      ['a', true],
      ['blank', false],
      ['b', true],
    ]);
  });

  it('when results are reassembled, then each event equals its own single-event analysis', async () => {
    const results = await analyzeTranscripts(events, { scorer: new KeywordScorer(), chunk: wordWindowChunker(4) });
    for (const [i, result] of results.entries()) {
      if (!result.ok) continue;
      const alone = await analyzeTranscript(events[i]!, { scorer: new KeywordScorer(), chunk: wordWindowChunker(4) });
      expect(result.analysis).toEqual(alone);
    }
  });

  it('when an event has no text, then only that event fails, with InvalidInputError NO_TEXT', async () => {
    const results = await analyzeTranscripts(events, { scorer: new KeywordScorer(), chunk: wordWindowChunker(4) });
    const blank = results[1]!;
    expect(blank.ok).toBe(false);
    if (blank.ok) return;
    expect(blank.error).toBeInstanceOf(InvalidInputError);
    expect(blank.error.code).toBe('NO_TEXT');
    expect(blank.error.retriable).toBe(false);
  });

  it('when no event has text or the batch is empty, then the scorer is not called', async () => {
    const scorer = new KeywordScorer();
    expect(await analyzeTranscripts([], { scorer, chunk: wordWindowChunker(4) })).toEqual([]);
    const results = await analyzeTranscripts([events[1]!], { scorer, chunk: wordWindowChunker(4) });
    expect(results[0]?.ok).toBe(false);
    expect(scorer.calls).toHaveLength(0);
  });

  it('when the scorer returns the wrong number of scores, then the batch fails with SCORING_FAILED', async () => {
    const scorer = { score: async (texts: readonly string[]): Promise<Score[]> => (await new KeywordScorer().score(texts)).slice(1) };
    await expect(analyzeTranscripts(events, { scorer, chunk: wordWindowChunker(4) })).rejects.toMatchObject({
      code: 'SCORING_FAILED',
    });
    await expect(analyzeTranscripts(events, { scorer, chunk: wordWindowChunker(4) })).rejects.toBeInstanceOf(ModelError);
  });

  it('when the scorer rejects, then the batch rejects with the same error', async () => {
    const boom = new Error('model down');
    const scorer = { score: async (): Promise<Score[]> => Promise.reject(boom) };
    await expect(analyzeTranscripts(events, { scorer, chunk: wordWindowChunker(4) })).rejects.toBe(boom);
  });

  it('when a fallback scorer mixed models within one call, then overall names both and segments keep their own', async () => {
    const primary = new KeywordScorer('model');
    const fallback = new KeywordScorer('vader');
    // Scores "sorry" with the fallback, as a circuit breaker might for part of a batch.
    const scorer = {
      score: async (texts: readonly string[]): Promise<Score[]> =>
        Promise.all(texts.map(async (t) => ((await (t === 'sorry' ? fallback : primary).score([t]))[0] as Score))),
    };
    const results = await analyzeTranscripts([events[2]!], { scorer, chunk: wordWindowChunker(4) });
    const r = results[0]!;
    if (!r.ok) throw r.error;
    expect(r.analysis.overall.models).toEqual(['keyword-model', 'keyword-vader']);
    expect(r.analysis.overall.model).toBe('keyword-model+keyword-vader');
    expect(r.analysis.overall.compound).toBeUndefined();
    expect(r.analysis.segments!.map((s) => s.model)).toEqual(['keyword-model', 'keyword-vader']);
  });
});
