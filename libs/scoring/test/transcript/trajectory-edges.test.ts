import { describe, expect, it } from '@jest/globals';
import { computeTrajectory, spansByTime, spansByWeight } from '../../src/transcript/trajectory';
import { keywordModelScore } from './keyword-scorer';

const angry = keywordModelScore('angry');
const happy = keywordModelScore('happy');

describe('computeTrajectory edges', () => {
  it('when a call is two chunks, then each third is one of them', async () => {
    const t = await computeTrajectory([angry, happy], [5, 5], spansByWeight([5, 5]));
    expect(t.first_third.chunks).toBe(1);
    expect(t.first_third.label).toBe('negative');
    expect(t.last_third.label).toBe('positive');
    expect(t.trend).toBe('improving');
  });

  it('when a heavy chunk straddles both thirds, then it counts pro rata in each', async () => {
    // weights 1, 10, 1 of 12: thirds [0,4) and [8,12) each take 3 and 3 units of the middle chunk.
    const t = await computeTrajectory([angry, happy, angry], [1, 10, 1], spansByWeight([1, 10, 1]));
    expect(t.first_third.chunks).toBe(2);
    expect(t.first_third.weight).toBeCloseTo(4, 12);
    expect(t.first_third.scores.positive).toBeCloseTo((3 * happy.scores.positive) / 4, 12);
    expect(t.delta).toBeCloseTo(0, 12);
    expect(t.trend).toBe('stable');
  });

  it('when the only chunk at the start of the time axis is vanishingly short, then the window takes the nearest chunk instead of failing', async () => {
    const segments = [
      { start_ms: 0, end_ms: 1e-10, firstChunk: 0, chunkCount: 1 },
      { start_ms: 2_000, end_ms: 3_000, firstChunk: 1, chunkCount: 1 },
    ];
    const t = await computeTrajectory([angry, happy], [1, 1], spansByTime(segments, [1, 1]));
    expect(t.first_third.label).toBe('negative');
    expect(t.first_third.chunks).toBe(1);
    expect(t.last_third.label).toBe('positive');
  });

  it('when a timed segment has several chunks, then its duration is shared by their weights', () => {
    const spans = spansByTime([{ start_ms: 1_000, end_ms: 2_000, firstChunk: 0, chunkCount: 2 }], [1, 3]);
    expect([...spans.start]).toEqual([1_000, 1_250]);
    expect([...spans.end]).toEqual([1_250, 2_000]);
  });
});
