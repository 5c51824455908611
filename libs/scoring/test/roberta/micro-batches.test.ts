import { describe, expect, it } from '@jest/globals';
import { planMicroBatches } from '../../src/roberta/micro-batches';

describe('planMicroBatches', () => {
  it('when rows have mixed lengths, then every index appears once and batches are sorted by length', () => {
    const lengths = [9, 3, 7, 3, 12, 5];
    const batches = planMicroBatches(lengths, { maxBatchSize: 2, maxBatchTokens: 1000 });
    expect(batches.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(batches).toEqual([
      [1, 3],
      [5, 2],
      [0, 4],
    ]);
  });

  it('when the token budget is the limit, then rows x longest row stays within it', () => {
    const lengths = [10, 10, 10, 20, 20, 40];
    const batches = planMicroBatches(lengths, { maxBatchSize: 32, maxBatchTokens: 40 });
    for (const batch of batches) {
      const width = Math.max(...batch.map((i) => lengths[i] ?? 0));
      expect(batch.length * width).toBeLessThanOrEqual(40);
    }
    expect(batches).toEqual([[0, 1, 2], [3, 4], [5]]);
  });

  it('when one row alone exceeds the token budget, then it still gets a batch of its own', () => {
    expect(planMicroBatches([600, 4], { maxBatchSize: 8, maxBatchTokens: 512 })).toEqual([[1], [0]]);
  });

  it('when there are no rows, then there are no batches', () => {
    expect(planMicroBatches([], { maxBatchSize: 8, maxBatchTokens: 512 })).toEqual([]);
  });
});
