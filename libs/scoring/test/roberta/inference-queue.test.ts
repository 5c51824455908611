/**
 * The process-wide inference queue with a stand-in for the worker pool: its "model" returns, for
 * every row, the row's first token id, so each answer names the row it belongs to. The real pool
 * and model are exercised by roberta-scorer-batching.test.ts and, through the broker, by the
 * worker's long-call tests.
 */
import { describe, expect, it } from '@jest/globals';
import { InferenceQueue, type InferenceQueueOptions, type QueueBatchStats } from '../../src/roberta/inference-queue';

interface Run {
  ids: Int32Array;
  lengths: Int32Array;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** A pool that answers when told to (or at once), one logit per row: the row's first id. */
function fakePool(options: { auto?: boolean } = {}) {
  const runs: Run[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const run = (ids: Int32Array, lengths: Int32Array): Promise<Float32Array> =>
    new Promise<Float32Array>((resolve, reject) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const logits = new Float32Array(lengths.length);
      let at = 0;
      lengths.forEach((len, r) => {
        logits[r] = ids[at] as number;
        at += len;
      });
      const entry: Run = {
        ids,
        lengths,
        resolve: () => {
          inFlight--;
          resolve(logits);
        },
        reject: (err) => {
          inFlight--;
          reject(err);
        },
      };
      runs.push(entry);
      if (options.auto) setImmediate(entry.resolve);
    });
  return { runs, run, maxInFlight: () => maxInFlight };
}

/** Row `id` of `len` tokens: the first token is the id, so the fake model's answer names the row. */
const row = (id: number, len: number) => Int32Array.from({ length: len }, (_, k) => (k === 0 ? id : 7));

function queueWith(run: InferenceQueueOptions['run'], overrides: Partial<InferenceQueueOptions> = {}) {
  const batches: QueueBatchStats[] = [];
  const depths: number[] = [];
  const queue = new InferenceQueue({
    maxBatchSize: 8,
    maxBatchTokens: 400,
    maxWaitMs: 0,
    concurrency: 2,
    width: 1,
    run,
    observer: { batch: (b) => batches.push(b), depth: (rows) => depths.push(rows) },
    ...overrides,
  });
  return { queue, batches, depths };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('InferenceQueue', () => {
  it('when many calls of mixed lengths are queued at once, then every row is run exactly once and each call gets its own answers in order', async () => {
    const pool = fakePool({ auto: true });
    const { queue, batches } = queueWith(pool.run, { maxWaitMs: 2 });
    let next = 1;
    const calls = Array.from({ length: 12 }, (_, c) => Array.from({ length: 3 + ((c * 7) % 20) }, (_, r) => row(next++, 2 + ((c * 13 + r * 5) % 60))));
    const answers = await Promise.all(calls.map((rows) => queue.submit(rows)));
    answers.forEach((logits, c) => expect([...logits]).toEqual((calls[c] as Int32Array[]).map((r) => r[0])));
    const ran = pool.runs.flatMap((r) => {
      const ids: number[] = [];
      let at = 0;
      r.lengths.forEach((len) => {
        ids.push(r.ids[at] as number);
        at += len;
      });
      return ids;
    });
    expect(ran.length).toBe(next - 1);
    expect(new Set(ran).size).toBe(next - 1);
    for (const b of batches) {
      expect(b.rows).toBeLessThanOrEqual(8);
      if (b.rows > 1) expect(b.paddedTokens).toBeLessThanOrEqual(400);
    }
    expect(pool.maxInFlight()).toBeLessThanOrEqual(2);
  });

  it('when small calls arrive within the wait, then one micro-batch holds rows of all of them', async () => {
    const pool = fakePool({ auto: true });
    const { queue, batches } = queueWith(pool.run, { maxWaitMs: 50, concurrency: 1, maxBatchSize: 32, maxBatchTokens: 8192 });
    const a = queue.submit([row(1, 10), row(2, 11)]);
    const b = queue.submit([row(3, 12)]);
    const c = queue.submit([row(4, 9), row(5, 10)]);
    await Promise.all([a, b, c]);
    expect(batches.map((x) => ({ rows: x.rows, calls: x.calls }))).toEqual([{ rows: 5, calls: 3 }]);
  });

  it('when the queue is longer than a batch, then the oldest row goes in the first batch', async () => {
    const pool = fakePool();
    const { queue } = queueWith(pool.run, { concurrency: 1, maxBatchSize: 4, maxBatchTokens: 10_000 });
    const rows = [row(1, 90), ...Array.from({ length: 20 }, (_, i) => row(10 + i, 5))];
    const done = queue.submit(rows);
    await settle();
    const first = pool.runs[0] as Run;
    const firstIds: number[] = [];
    let at = 0;
    first.lengths.forEach((len) => {
      firstIds.push(first.ids[at] as number);
      at += len;
    });
    expect(firstIds).toContain(1);
    while (pool.runs.some((r) => r.resolve !== undefined)) {
      const open = pool.runs.shift();
      if (!open) break;
      open.resolve();
      await settle();
    }
    await expect(done).resolves.toHaveLength(rows.length);
  });

  it('when a call is aborted while its rows wait, then they are never run and the other calls complete', async () => {
    const pool = fakePool();
    const { queue, depths } = queueWith(pool.run, { concurrency: 1, maxBatchSize: 2 });
    const keep = queue.submit([row(1, 5), row(2, 5)]);
    const controller = new AbortController();
    const dropped = queue.submit([row(3, 5), row(4, 5), row(5, 5)], { signal: controller.signal });
    await settle();
    expect(pool.runs.length).toBe(1);
    const reason = new Error('timed out');
    controller.abort(reason);
    await expect(dropped).rejects.toBe(reason);
    (pool.runs[0] as Run).resolve();
    await expect(keep).resolves.toHaveLength(2);
    await settle();
    expect(pool.runs.length).toBe(1);
    expect(depths[depths.length - 1]).toBe(0);
  });

  it('when a micro-batch fails, then the calls it held rows of fail and a call it did not hold completes', async () => {
    const pool = fakePool();
    const { queue } = queueWith(pool.run, { concurrency: 1, maxBatchSize: 2, maxBatchTokens: 10_000, maxWaitMs: 20 });
    const a = queue.submit([row(1, 5)]);
    const b = queue.submit([row(2, 5)]);
    const c = queue.submit([row(3, 50)]);
    await settle();
    expect(pool.runs.map((r) => r.lengths.length)).toEqual([2]);
    const boom = new Error('worker died');
    (pool.runs[0] as Run).reject(boom);
    await expect(a).rejects.toBe(boom);
    await expect(b).rejects.toBe(boom);
    await new Promise((r) => setTimeout(r, 30));
    (pool.runs[1] as Run).resolve();
    await expect(c).resolves.toEqual(new Float32Array([3]));
  });

  it('when a progress hook rejects, then its call fails with that error and no more of its rows run', async () => {
    const pool = fakePool();
    const { queue } = queueWith(pool.run, { concurrency: 1, maxBatchSize: 1 });
    const stop = new Error('lost the partition');
    const seen: number[] = [];
    const call = queue.submit([row(1, 5), row(2, 5), row(3, 5)], {
      onProgress: ({ done }) => {
        seen.push(done);
        throw stop;
      },
    });
    await settle();
    (pool.runs[0] as Run).resolve();
    await expect(call).rejects.toBe(stop);
    await settle();
    expect(seen).toEqual([1]);
    expect(pool.runs.length).toBeLessThanOrEqual(2);
  });

  it('when the queue is closed, then waiting calls are rejected and new ones refused', async () => {
    const pool = fakePool();
    const { queue } = queueWith(pool.run, { concurrency: 1, maxBatchSize: 1 });
    const first = queue.submit([row(1, 5)]);
    const waiting = queue.submit([row(2, 5)]);
    await settle();
    const closed = new Error('closed');
    queue.close(closed);
    await expect(waiting).rejects.toBe(closed);
    await expect(queue.submit([row(3, 5)])).rejects.toBe(closed);
    (pool.runs[0] as Run).resolve();
    await expect(first).resolves.toEqual(new Float32Array([1]));
  });
});
