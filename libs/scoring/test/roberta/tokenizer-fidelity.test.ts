import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadRobertaTokenizer, robertaTokenizerAssetsDir, type RobertaTokenizer } from '@sentiment/scoring';
import { readReferenceEncodings, scoringFixturesDir, type ReferenceEncoding } from './tokenizer-fixtures';

/** Every text whose ids differ from the reference, with both id lists: the failure message. */
function mismatches(tokenizer: RobertaTokenizer, references: readonly ReferenceEncoding[]): string[] {
  return references
    .map((ref) => ({ ref, ids: tokenizer.encode(ref.text) }))
    .filter(({ ref, ids }) => JSON.stringify(ids) !== JSON.stringify(ref.ids))
    .map(({ ref, ids }) => `#${ref.i} ${JSON.stringify(ref.text)}\n  ours: ${ids.join(',')}\n  HF:   ${ref.ids.join(',')}`);
}

describe('RoBERTa tokenizer fidelity against Hugging Face RobertaTokenizerFast', () => {
  let tokenizer: RobertaTokenizer;
  beforeAll(async () => {
    tokenizer = await loadRobertaTokenizer(robertaTokenizerAssetsDir());
  });

  it('when the reference covers the TweetEval validation set, then it matches the 2,000 texts in order', () => {
    const references = readReferenceEncodings('val_token_ids.jsonl');
    const texts = readFileSync(path.join(scoringFixturesDir(), 'tweeteval', 'val_text.txt'), 'utf8').split('\n');
    expect(references).toHaveLength(2000);
    expect(references.map((r) => r.text)).toEqual(texts.slice(0, 2000));
  });

  it('when all 2,000 TweetEval validation tweets are encoded, then every id list equals the reference', () => {
    expect(mismatches(tokenizer, readReferenceEncodings('val_token_ids.jsonl'))).toEqual([]);
  });

  it('when hand-picked hard cases are encoded (mentions, links, emoji, specials, truncation, empty), then they equal the reference', () => {
    const references = readReferenceEncodings('hand_case_token_ids.jsonl');
    expect(references.length).toBeGreaterThan(20);
    expect(mismatches(tokenizer, references)).toEqual([]);
  });
});
