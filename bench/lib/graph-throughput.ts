/**
 * Raw onnxruntime-node throughput of several graphs on the same inputs and threads: one session
 * per graph on this thread, all loaded at once, timed in interleaved rounds (each round runs every
 * graph once, in a rotated order) so that a noisy neighbour on the shared machine slows all graphs
 * of a round alike instead of whichever happened to run then. Medians per graph and shape, of wall
 * time and of this process's CPU time (user + system, all of onnxruntime's threads): on a machine
 * shared with other jobs the CPU time moves much less than the wall time, so it ranks graphs more
 * reliably, while the wall time is what a caller waits.
 */
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';

export interface Shape {
  batch: number;
  seqLen: number;
}

export interface GraphTiming {
  /** Median ms of one batch. */
  medianMs: number;
  /** Fastest batch, ms (the least disturbed run). */
  bestMs: number;
  seqPerSec: number;
  /** Median CPU time of one batch (all threads of this process), ms. */
  medianCpuMs: number;
  /** Sequences per CPU-second at that median. */
  seqPerCpuSec: number;
  runs: number;
}

export interface ThroughputOptions {
  intraOpNumThreads: number;
  /** Timed rounds per shape (after one warm-up round). */
  rounds: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

/** input_ids/attention_mask of `batch` rows of `seqLen` tokens: <s>, varied ids, </s>; no padding. */
export function rawFeeds(batch: number, seqLen: number): Record<string, ort.Tensor> {
  const ids = new BigInt64Array(batch * seqLen).map((_, i) => {
    const j = i % seqLen;
    return BigInt(j === 0 ? 0 : j === seqLen - 1 ? 2 : 100 + ((i * 7919) % 40000));
  });
  return {
    input_ids: new ort.Tensor('int64', ids, [batch, seqLen]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(batch * seqLen).fill(1n), [batch, seqLen]),
  };
}

export async function openBenchSession(file: string, intraOpNumThreads: number): Promise<{ session: ort.InferenceSession; loadMs: number }> {
  const started = performance.now();
  // As the worker loads its model (inference-worker.ts), with the bench's thread count.
  const session = await ort.InferenceSession.create(file, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads,
    interOpNumThreads: 1,
    logSeverityLevel: 3,
  });
  return { session, loadMs: performance.now() - started };
}

/** Times every session on one shape; returns timings in the order of `sessions`. */
export async function timeShape(sessions: readonly ort.InferenceSession[], shape: Shape, options: ThroughputOptions): Promise<GraphTiming[]> {
  const feeds = rawFeeds(shape.batch, shape.seqLen);
  for (const s of sessions) await s.run(feeds); // warm-up: first runs allocate and pre-pack
  const times: number[][] = sessions.map(() => []);
  const cpu: number[][] = sessions.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < sessions.length; k++) {
      const i = (k + round) % sessions.length;
      const c = process.cpuUsage();
      const t = performance.now();
      await (sessions[i] as ort.InferenceSession).run(feeds);
      (times[i] as number[]).push(performance.now() - t);
      const used = process.cpuUsage(c);
      (cpu[i] as number[]).push((used.user + used.system) / 1000);
    }
  }
  return times.map((xs, i) => {
    const m = median(xs);
    const mc = median(cpu[i] as number[]);
    return { medianMs: m, bestMs: Math.min(...xs), seqPerSec: (shape.batch * 1000) / m, medianCpuMs: mc, seqPerCpuSec: (shape.batch * 1000) / mc, runs: xs.length };
  });
}
