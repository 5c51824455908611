import { describe, expect, it } from '@jest/globals';
import { analyzeTranscript } from '../../src/transcript';
import { assembleAnalysis } from '../../src/transcript/assemble-analysis';
import { planTranscript } from '../../src/transcript/transcript-plan';
import { wordCount } from '../../src/transcript/word-count';
import { YieldBudget } from '../../src/event-loop-turn';
import { KeywordScorer, keywordModelScore, wordWindowChunker } from './keyword-scorer';

// sliceMs: 0 makes every budget check yield, so whether the loop got a turn does not depend on machine speed.
describe('analyzeTranscript and the event loop', () => {
  it('when a multi-megabyte text is chunked, then the event loop gets turns before chunking ends', async () => {
    const text = 'angry happy filler words here '.repeat(70_000); // ~2.1 MB
    let turned = false;
    let chunkCallsAfterTurn = 0;
    setImmediate(() => {
      turned = true;
    });
    const analysis = await analyzeTranscript(
      { call_id: 'big', text },
      {
        scorer: new KeywordScorer(),
        chunk: (t) => {
          if (turned) chunkCallsAfterTurn++;
          return wordWindowChunker(400)(t);
        },
        sliceMs: 0,
      },
    );
    expect(chunkCallsAfterTurn).toBeGreaterThan(0);
    expect(analysis.units).toBe(350_000);
  });

  it('when scores for tens of thousands of segments are assembled, then assembly itself gives the event loop turns', async () => {
    const segments = Array.from({ length: 20_000 }, (_, i) => ({ speaker: i % 2 ? 'a' : 'b', text: i % 3 ? 'happy' : 'angry' }));
    const plan = await planTranscript({ call_id: 'many', segments }, { chunk: (t) => [t], weight: wordCount, maxChunkInputChars: 65_536 }, new YieldBudget());
    const scores = plan.texts.map((t) => keywordModelScore(t));
    let turned = false;
    // Runs before assembly finishes only if assembly yields to the event loop.
    setImmediate(() => {
      turned = true;
    });
    const analysis = await assembleAnalysis(plan, scores, {}, new YieldBudget(0));
    expect(turned).toBe(true);
    expect(analysis.segments).toHaveLength(20_000);
  });
});
