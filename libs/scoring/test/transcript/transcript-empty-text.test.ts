import { describe, expect, it } from '@jest/globals';
import { InvalidInputError } from '@sentiment/errors';
import { analyzeTranscript } from '../../src/transcript';
import { KeywordScorer, wholeText } from './keyword-scorer';

describe('analyzeTranscript with empty text', () => {
  it('when some segments are empty or whitespace, then they are skipped, counted, and others keep their index', async () => {
    const scorer = new KeywordScorer();
    const analysis = await analyzeTranscript(
      {
        call_id: 'e',
        segments: [
          { speaker: 'a', text: '' },
          { speaker: 'b', text: 'happy now' },
          { speaker: 'a', text: ' \n\t ' },
          { speaker: 'a', text: 'angry' },
        ],
      },
      { scorer, chunk: wholeText },
    );
    expect(scorer.calls[0]).toEqual(['happy now', 'angry']);
    expect(analysis.skipped_segments).toBe(2);
    expect(analysis.segments!.map((s) => s.index)).toEqual([1, 3]);
    expect(analysis.speakers!['a']!.segments).toBe(1);
  });

  it('when every segment is blank but text is present, then the text is analysed', async () => {
    const analysis = await analyzeTranscript(
      { call_id: 'e', text: 'happy', segments: [{ speaker: 'a', text: '  ' }] },
      { scorer: new KeywordScorer(), chunk: wholeText },
    );
    expect(analysis.source).toBe('text');
    expect(analysis.skipped_segments).toBe(1);
    expect(analysis.overall.label).toBe('positive');
  });

  it('when segments have text and text is present too, then segments are analysed', async () => {
    const analysis = await analyzeTranscript(
      { call_id: 'e', text: 'happy', segments: [{ speaker: 'a', text: 'angry' }] },
      { scorer: new KeywordScorer(), chunk: wholeText },
    );
    expect(analysis.source).toBe('segments');
    expect(analysis.overall.label).toBe('negative');
  });

  it.each([
    ['all segments blank and no text', { call_id: 'e', segments: [{ speaker: 'a', text: '' }, { speaker: 'b', text: '   ' }] }],
    ['whitespace text only', { call_id: 'e', text: ' \n ' }],
    ['no segments and null text', { call_id: 'e', text: null, segments: [] }],
    ['nothing at all', { call_id: 'e' }],
  ])('when %s, then it throws InvalidInputError NO_TEXT without calling the scorer', async (_name, input) => {
    const scorer = new KeywordScorer();
    const error = await analyzeTranscript(input, { scorer, chunk: wholeText }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).code).toBe('NO_TEXT');
    expect((error as InvalidInputError).retriable).toBe(false);
    expect((error as InvalidInputError).details).toMatchObject({ call_id: 'e' });
    expect(scorer.calls).toHaveLength(0);
  });
});
