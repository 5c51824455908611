/**
 * Model throughput at batch 1, 8, 32 x sequence length 32, 64, 128 (sequences per second,
 * median of several runs), three ways:
 *   raw      one onnxruntime session on the main thread (onnxruntime's default intra-op threads)
 *   pool     RobertaScorer, one call at a time (tokenizing and inference in the worker pool)
 *   pool xN  RobertaScorer, N calls in flight at once (N = its worker count), as a busy consumer
 *
 *   npm run bench:model-raw -- [modelDir] [--model-file onnx/model.onnx] [--threads 2] [--intra 1]
 *                              [--raw-intra 1] [--runs 5] [--budget-ms 4000] [--shapes 1x32,8x64]
 *
 * Without a model dir it uses .cache/models/roberta-base-random, generating the full-size random
 * RoBERTa-base there first (`npm run model:full -- --dtype int8`) if it is missing.
 * `benchShape` is exported so other benchmarks (e.g. the Kafka pipeline) can add columns.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  createRobertaScorer,
  inspectModelDir,
  loadRobertaTokenizer,
  type RobertaScorer,
  type RobertaTokenizer,
} from '@sentiment/scoring';
import { rawFeeds } from './lib/graph-throughput';

export interface Shape {
  batch: number;
  seqLen: number;
}

export interface Measurement {
  /** Median wall time of one batch (or of one round of concurrent batches), ms. */
  medianMs: number;
  /** Sequences per second at that median. */
  seqPerSec: number;
  runs: number;
}

export interface ShapeResult extends Shape {
  raw: Measurement;
  pool: Measurement;
  poolConcurrent: Measurement;
}

export interface BenchContext {
  session: ort.InferenceSession;
  scorer: RobertaScorer;
  tokenizer: RobertaTokenizer;
  minRuns: number;
  budgetMs: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

/** Times `once` (after one warm-up) at least `minRuns` times and until `budgetMs` is spent. */
export async function measure(sequences: number, minRuns: number, budgetMs: number, once: () => Promise<unknown>): Promise<Measurement> {
  await once();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minRuns || (performance.now() - start < budgetMs && times.length < 50)) {
    const t = performance.now();
    await once();
    times.push(performance.now() - t);
  }
  const m = median(times);
  return { medianMs: m, seqPerSec: (sequences * 1000) / m, runs: times.length };
}

/** A text that encodes to exactly `seqLen` tokens (<s> and </s> included), checked with the real tokenizer. */
export function textOfTokens(tokenizer: RobertaTokenizer, seqLen: number, variant = 0): string {
  const words = ['the', 'service', 'was', 'good', 'and', 'call', 'today', 'thanks'];
  const parts = Array.from({ length: seqLen - 2 }, (_, i) => words[(i + variant) % words.length]);
  const text = parts.join(' ');
  const got = tokenizer.encode(text).length;
  if (got !== seqLen) throw new Error(`synthetic text encodes to ${got} tokens, wanted ${seqLen}`);
  return text;
}

/** Runs one shape all three ways. */
export async function benchShape(ctx: BenchContext, shape: Shape): Promise<ShapeResult> {
  const { batch, seqLen } = shape;
  const feeds = rawFeeds(batch, seqLen);
  const raw = await measure(batch, ctx.minRuns, ctx.budgetMs, () => ctx.session.run(feeds));
  const texts = Array.from({ length: batch }, (_, i) => textOfTokens(ctx.tokenizer, seqLen, i));
  const pool = await measure(batch, ctx.minRuns, ctx.budgetMs, () => ctx.scorer.score(texts));
  const n = ctx.scorer.settings.threads;
  const poolConcurrent = await measure(batch * n, ctx.minRuns, ctx.budgetMs, () =>
    Promise.all(Array.from({ length: n }, () => ctx.scorer.score(texts))),
  );
  return { batch, seqLen, raw, pool, poolConcurrent };
}

interface Args {
  modelDir: string;
  modelFile: string | undefined;
  threads: number;
  intra: number;
  /** Intra-op threads of the raw session; undefined = onnxruntime's default (all cores). */
  rawIntra: number | undefined;
  minRuns: number;
  budgetMs: number;
  shapes: Shape[];
}

function parseArgs(argv: readonly string[]): Args {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a.startsWith('--')) flags.set(a.slice(2), argv[++i] ?? '');
    else positional.push(a);
  }
  const shapes = (flags.get('shapes') ?? '1x32,1x64,1x128,8x32,8x64,8x128,32x32,32x64,32x128').split(',').map((s) => {
    const [b, l] = s.split('x').map(Number);
    if (!b || !l) throw new Error(`bad shape ${s} (want BATCHxSEQ)`);
    return { batch: b, seqLen: l };
  });
  return {
    modelDir: path.resolve(positional[0] ?? '.cache/models/roberta-base-random'),
    modelFile: flags.get('model-file'),
    threads: Number(flags.get('threads') ?? os.availableParallelism()),
    intra: Number(flags.get('intra') ?? 1),
    rawIntra: flags.has('raw-intra') ? Number(flags.get('raw-intra')) : undefined,
    minRuns: Number(flags.get('runs') ?? 5),
    budgetMs: Number(flags.get('budget-ms') ?? 4000),
    shapes,
  };
}

export function ensureModel(args: { modelDir: string }): void {
  if (existsSync(path.join(args.modelDir, 'config.json')) && existsSync(path.join(args.modelDir, 'onnx'))) return;
  console.log(`no model in ${args.modelDir}: generating the full-size random RoBERTa-base (int8)...`);
  execFileSync('npm', ['run', 'model:full', '--', '--dtype', 'int8', '--out', args.modelDir], { stdio: 'inherit' });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  ensureModel(args);
  const info = inspectModelDir(args.modelDir, args.modelFile);
  const session = await ort.InferenceSession.create(info.modelPath, {
    graphOptimizationLevel: 'all',
    ...(args.rawIntra !== undefined && { intraOpNumThreads: args.rawIntra }),
  });
  const scorer = await createRobertaScorer({
    modelDir: args.modelDir,
    ...(args.modelFile !== undefined && { modelFile: args.modelFile }),
    threads: args.threads,
    intraOpNumThreads: args.intra,
    maxBatchSize: 32,
    maxBatchTokens: 32 * 128,
    timeoutMs: 600_000,
  });
  const tokenizer = await loadRobertaTokenizer(args.modelDir);
  const ctx: BenchContext = { session, scorer, tokenizer, minRuns: args.minRuns, budgetMs: args.budgetMs };

  console.log(`model ${path.relative(process.cwd(), info.modelPath)}; ${os.availableParallelism()} CPUs`);
  const rawThreads = args.rawIntra === undefined ? 'onnxruntime default threads' : `${args.rawIntra} intra-op thread(s)`;
  console.log(`raw: 1 session, main thread, ${rawThreads}; pool: ${args.threads} workers x ${args.intra} intra-op thread(s)`);
  console.log('batch x seq | raw seq/s (ms)      | pool seq/s (ms)     | pool x' + args.threads + ' seq/s (ms)');
  const results: ShapeResult[] = [];
  for (const shape of args.shapes) {
    const r = await benchShape(ctx, shape);
    results.push(r);
    const cell = (m: Measurement): string => `${m.seqPerSec.toFixed(1).padStart(7)} (${m.medianMs.toFixed(0).padStart(6)})`.padEnd(19);
    console.log(`${`${r.batch} x ${r.seqLen}`.padEnd(11)} | ${cell(r.raw)} | ${cell(r.pool)} | ${cell(r.poolConcurrent)}`);
  }
  await scorer.close();
  await session.release();
  if (process.env['BENCH_JSON']) console.log(JSON.stringify(results));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  });
}
