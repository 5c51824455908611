/**
 * Writes a full-size RoBERTa-base sentiment classifier with seeded random weights as a complete
 * model directory: the real model's size and compute, for benchmarks (answers are meaningless).
 *
 *   npm run model:full -- --dtype fp32|int8|both [--out .cache/models/roberta-base-random] [--seed 42] [--bench]
 *
 * fp32 goes to onnx/model.onnx (~500 MB), int8 to onnx/model_quantized.onnx (~125 MB). --bench
 * then times raw onnxruntime inference (batch 1 x 64 tokens) of what was written.
 */
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { writeRandomRobertaModelDir } from '@sentiment/onnx-builder';

interface Args {
  dtypes: Array<'fp32' | 'int8'>;
  out: string;
  seed: number;
  bench: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
  };
  const dtype = value('--dtype') ?? 'fp32';
  if (!['fp32', 'int8', 'both'].includes(dtype)) throw new Error(`--dtype must be fp32, int8 or both (got ${dtype})`);
  const seed = Number(value('--seed') ?? '42');
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  return {
    dtypes: dtype === 'both' ? ['fp32', 'int8'] : [dtype as 'fp32' | 'int8'],
    out: path.resolve(value('--out') ?? '.cache/models/roberta-base-random'),
    seed,
    bench: argv.includes('--bench'),
  };
}

/** Median ms of raw session.run for one batch of `seq` tokens (after warm-up runs). */
async function benchInference(file: string, batch: number, seq: number, runs: number): Promise<{ median: number; p90: number }> {
  const session = await ort.InferenceSession.create(file, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const ids = new BigInt64Array(batch * seq).map((_, i) => BigInt(i % seq === 0 ? 0 : i % seq === seq - 1 ? 2 : 100 + ((i * 7919) % 40000)));
  const feeds = {
    input_ids: new ort.Tensor('int64', ids, [batch, seq]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(batch * seq).fill(1n), [batch, seq]),
  };
  for (let i = 0; i < 3; i += 1) await session.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t);
  }
  await session.release();
  times.sort((x, y) => x - y);
  return { median: times[Math.floor(runs / 2)] as number, p90: times[Math.floor(runs * 0.9)] as number };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  for (const dtype of args.dtypes) {
    const result = await writeRandomRobertaModelDir(args.out, { dtype, seed: args.seed });
    console.log(`${dtype}: wrote ${result.onnxFile} (${(result.bytes / 1e6).toFixed(1)} MB) in ${(result.millis / 1000).toFixed(1)} s`);
    if (args.bench) {
      const { median, p90 } = await benchInference(result.onnxFile, 1, 64, 30);
      console.log(`${dtype}: raw inference batch 1 x 64 tokens, 1 intra-op thread: median ${median.toFixed(1)} ms, p90 ${p90.toFixed(1)} ms`);
    }
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
