import { describe, expect, it } from '@jest/globals';
import { analyzeTranscript, sentenceChunker } from '../../src/transcript';
import { VaderScorer } from '../../src/vader/vader-scorer';

describe('analyzeTranscript with the real VADER scorer', () => {
  it('when a short text is analysed, then overall is exactly VADER own score of it', async () => {
    const scorer = new VaderScorer();
    const text = 'The agent was SUPER helpful!!! but the hold music was awful :(';
    const [expected] = await scorer.score([text]);
    const analysis = await analyzeTranscript({ call_id: 'v', text }, { scorer, chunk: sentenceChunker() });
    const { models, ...overall } = analysis.overall;
    expect(overall).toEqual(expected);
    expect(models).toEqual(['vader']);
  });

  it('when a long text is split into sentence chunks, then the compound is their weighted mean', async () => {
    const scorer = new VaderScorer();
    const sentences = ['I am furious, this is the worst service ever. ', 'Nothing works. ', 'OK, I see, thank you so much, that is great! '];
    const text = sentences.join('').repeat(20);
    const chunk = sentenceChunker(200);
    const pieces = chunk(text);
    expect(pieces.length).toBeGreaterThan(1);
    const scores = await scorer.score(pieces);
    const words = (t: string): number => t.split(/\s+/).filter(Boolean).length;
    const expected = pieces.reduce((s, p, i) => s + words(p) * (scores[i]!.compound as number), 0) / pieces.reduce((s, p) => s + words(p), 0);
    const analysis = await analyzeTranscript({ call_id: 'v', text }, { scorer, chunk });
    expect(analysis.overall.compound).toBeCloseTo(expected, 12);
    expect(analysis.chunks).toBe(pieces.length);
  });
});
