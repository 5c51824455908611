import { beforeAll, describe, expect, it } from '@jest/globals';
import { analyzeTranscript } from '../../src/transcript';
import { loadRobertaTokenizer } from '../../src/roberta/tokenizer/load-roberta-tokenizer';
import type { RobertaTokenizer } from '../../src/roberta/tokenizer/roberta-tokenizer';
import { robertaTokenizerAssetsDir } from '../../src/roberta/tokenizer/tokenizer-assets';
import { KeywordScorer } from './keyword-scorer';

// The wiring the worker uses with RoBERTa: the real tokenizer chunks and weighs; only the model is faked.
describe('analyzeTranscript with the RoBERTa tokenizer as chunker', () => {
  let tokenizer: RobertaTokenizer;
  beforeAll(async () => {
    tokenizer = await loadRobertaTokenizer(robertaTokenizerAssetsDir());
  });

  it('when a segment is far over 512 tokens, then every scored window fits and units are its tokens', async () => {
    const long = Array.from({ length: 150 }, (_, i) => `Ticket ${i}: the refund never arrived and I am angry about it.`).join(' ');
    const scorer = new KeywordScorer();
    const analysis = await analyzeTranscript(
      { call_id: 'r', segments: [{ speaker: 'customer', text: long }, { speaker: 'agent', text: 'Thanks, it is resolved now.' }] },
      { scorer, chunk: (t) => tokenizer.chunk(t), weight: (t) => tokenizer.countContentTokens(t) },
    );
    const windows = scorer.calls[0]!;
    expect(windows.length).toBeGreaterThan(2);
    for (const w of windows) expect(tokenizer.countTokens(w)).toBeLessThanOrEqual(tokenizer.maxTokens);
    expect(analysis.segments![0]!.chunks).toBe(windows.length - 1);
    expect(analysis.units).toBe(windows.reduce((n, w) => n + tokenizer.countContentTokens(w), 0));
    expect(analysis.segments![0]!.label).toBe('negative');
    expect(analysis.speakers!['agent']!.label).toBe('positive');
  });
});
