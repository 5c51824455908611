/**
 * Batching, padding and ordering through the real worker pool, with a model whose answer is
 * known exactly: its logits are the first three token ids of each row.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadRobertaTokenizer } from '../../src/roberta/tokenizer/load-roberta-tokenizer';
import type { RobertaTokenizer } from '../../src/roberta/tokenizer/roberta-tokenizer';
import { logitsToScore } from '../../src/roberta/logits-to-score';
import { createRobertaScorer, type RobertaScorer } from '../../src/roberta/roberta-scorer';
import { firstTokensModel } from './onnx-test-models';
import { modelDirWith } from './model-dir-fixture';

const texts = [
  'I love this!',
  'worst service ever, never again',
  'ok',
  'The parcel arrived on Tuesday and the box was a little damaged but the contents were fine.',
  '@someone check https://example.com',
  'meh',
  'Absolutely fantastic support from the whole team today',
  'no',
];

describe('RobertaScorer batching', () => {
  let fixture: Awaited<ReturnType<typeof modelDirWith>>;
  let tokenizer: RobertaTokenizer;
  let scorer: RobertaScorer;

  const expected = (text: string) => {
    const ids = tokenizer.encode(text);
    // The model pads with id 1, so short rows see the pad id in column 2.
    return logitsToScore([ids[0] ?? 1, ids[1] ?? 1, ids[2] ?? 1], ['negative', 'neutral', 'positive'], 0.5, 'roberta-onnx');
  };

  beforeAll(async () => {
    fixture = await modelDirWith(firstTokensModel());
    tokenizer = await loadRobertaTokenizer(fixture.dir);
    scorer = await createRobertaScorer({ modelDir: fixture.dir, threads: 2, maxBatchSize: 2 });
  });
  afterAll(async () => {
    await scorer?.close();
    await fixture?.cleanup();
  });

  it('when texts of mixed lengths are scored in small micro-batches, then each score belongs to its own text', async () => {
    const scores = await scorer.score(texts);
    expect(scores).toHaveLength(texts.length);
    scores.forEach((score, i) => {
      const want = expected(texts[i] ?? '');
      expect(score.label).toBe(want.label);
      expect(score.scores.negative).toBeCloseTo(want.scores.negative, 6);
      expect(score.scores.neutral).toBeCloseTo(want.scores.neutral, 6);
      expect(score.scores.positive).toBeCloseTo(want.scores.positive, 6);
      expect(score.model).toBe('roberta-onnx');
    });
  });

  it('when a call spans several micro-batches, then onSubBatch is awaited after each but the last, counting the texts scored', async () => {
    const seen: Array<{ done: number; total: number }> = [];
    await scorer.score(texts, {
      onSubBatch: async (p) => {
        seen.push(p);
        await new Promise((r) => setTimeout(r, 5));
      },
    });
    // maxBatchSize 2: at least ceil(8 / 2) = 4 micro-batches, so at least 3 hooks before the last.
    expect(seen.length).toBeGreaterThanOrEqual(Math.ceil(texts.length / 2) - 1);
    expect(seen.every((p) => p.total === texts.length && p.done > 0 && p.done < texts.length)).toBe(true);
    expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((a, b) => a - b));
  });

  it('when onSubBatch rejects, then the call rejects with that error', async () => {
    const stop = new Error('lost the partition');
    await expect(
      scorer.score(texts, {
        onSubBatch: () => {
          throw stop;
        },
      }),
    ).rejects.toBe(stop);
  });

  it('when an empty text is scored beside a short one, then it gets the score of its two special tokens padded', async () => {
    // This model reads three columns, so a row needs a neighbour of at least three tokens to be padded to (as any batch of one 3-token text would be).
    const scores = await scorer.score(['', 'ok']);
    expect(scores.map((s) => s.label)).toEqual([expected('').label, expected('ok').label]);
    expect(scores[0]?.scores.negative).toBeCloseTo(expected('').scores.negative, 6);
  });

  it('when a text is longer than the model limit, then it is truncated and scored', async () => {
    const long = 'word '.repeat(2000);
    const [score] = await scorer.score([long]);
    expect(score?.label).toBe(expected(long).label);
  });

  it('when no texts are given, then no scores come back', async () => {
    await expect(scorer.score([])).resolves.toEqual([]);
  });

  it('when several calls run at once on several workers, then every call gets its own answers', async () => {
    const calls = Array.from({ length: 6 }, (_, k) => texts.map((t) => `${t} ${k}`.repeat(1 + (k % 3))));
    const results = await Promise.all(calls.map((c) => scorer.score(c)));
    results.forEach((scores, k) => {
      scores.forEach((score, i) => expect(score.label).toBe(expected(calls[k]?.[i] ?? '').label));
    });
  });
});
