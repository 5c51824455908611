import { describe, expect, it } from '@jest/globals';
import { nextMicroBatch } from '../../src/roberta/next-micro-batch';

describe('nextMicroBatch', () => {
  it('when rows of many lengths wait, then the oldest row is always in the batch, with rows close to it in length', () => {
    const lengths = [40, 5, 6, 41, 7, 39, 42, 8, 38, 43];
    const pick = nextMicroBatch(lengths, { maxBatchSize: 4, maxBatchTokens: 10_000, windowRows: 100 });
    expect(pick.rows).toContain(0);
    expect(pick.rows.map((i) => lengths[i] as number).every((l) => l >= 38)).toBe(true);
    expect(pick.full).toBe(true);
  });

  it('when the padded token budget is the limit, then rows x longest stays within it', () => {
    const lengths = [100, 100, 100, 100, 100];
    const pick = nextMicroBatch(lengths, { maxBatchSize: 32, maxBatchTokens: 300, windowRows: 100 });
    expect(pick.rows.length).toBe(3);
    expect(pick.full).toBe(true);
  });

  it('when fewer rows wait than a batch holds, then the batch takes them all and is not full', () => {
    const pick = nextMicroBatch([10, 12, 9], { maxBatchSize: 32, maxBatchTokens: 8192, windowRows: 128 });
    expect([...pick.rows].sort()).toEqual([0, 1, 2]);
    expect(pick.full).toBe(false);
  });

  it('when the queue reaches past the window, then the batch counts as full and only window rows are taken', () => {
    const lengths = Array.from({ length: 10 }, () => 5);
    const pick = nextMicroBatch(lengths, { maxBatchSize: 32, maxBatchTokens: 8192, windowRows: 4 });
    expect(pick.rows.every((i) => i < 4)).toBe(true);
    expect(pick.full).toBe(true);
  });

  it('when the oldest row alone exceeds the budget, then it goes alone', () => {
    const pick = nextMicroBatch([600, 5, 5], { maxBatchSize: 32, maxBatchTokens: 512, windowRows: 128 });
    expect(pick.rows).toEqual([0]);
  });

  it('when nothing waits, then the batch is empty', () => {
    expect(nextMicroBatch([], { maxBatchSize: 32, maxBatchTokens: 8192, windowRows: 128 })).toEqual({ rows: [], full: false });
  });
});
