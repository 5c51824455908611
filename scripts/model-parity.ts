/**
 * Logit parity of two ONNX graphs of the same model on the same token ids: max and mean |Δlogit|
 * and label agreement (docs/model.md: a prepared or fused graph against its plain export, int8
 * against fp32).
 *
 *   npm run model:parity -- A.onnx B.onnx [--parity-ids FILE.jsonl|synthetic] [--level-a all] [--level-b all]
 *                            [--pad-id 1] [--tolerance T]
 *
 * Parity ids default to the 2,000 TweetEval validation tweets (libs/scoring/test/fixtures/roberta/val_token_ids.jsonl).
 * Levels: onnxruntime's graph optimization level for each graph (disabled, basic, extended, all; default all,
 * as the worker loads models). With --tolerance, exits 1 when max |Δlogit| exceeds it.
 */
import { ConfigError } from '@sentiment/errors';
import { compareLogits, logitsOf, openSession, type GraphOptimizationLevel } from '@sentiment/scoring';
import { paritySetFor } from './model-prepare';
import { flag, runMain } from './lib/cli-args';

const LEVELS: readonly GraphOptimizationLevel[] = ['disabled', 'basic', 'extended', 'all'];

function level(value: string | undefined, name: string): GraphOptimizationLevel {
  const v = (value ?? 'all') as GraphOptimizationLevel;
  if (!LEVELS.includes(v)) throw new ConfigError(`${name} must be one of ${LEVELS.join(', ')} (got ${value})`);
  return v;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const withValue = new Set(['--parity-ids', '--level-a', '--level-b', '--pad-id', '--tolerance']);
  const files = argv.filter((a, i) => !a.startsWith('--') && !withValue.has(argv[i - 1] ?? ''));
  if (files.length !== 2) throw new ConfigError('usage: model:parity -- A.onnx B.onnx [--parity-ids FILE|synthetic] [--level-a L] [--level-b L] [--tolerance T]');
  const [a, b] = files as [string, string];
  const set = paritySetFor(flag(argv, '--parity-ids'));
  const padId = Number(flag(argv, '--pad-id') ?? 1);
  const tolerance = flag(argv, '--tolerance');
  const levels = [level(flag(argv, '--level-a'), '--level-a'), level(flag(argv, '--level-b'), '--level-b')] as const;
  const rows: Float32Array[][] = [];
  for (const [i, file] of [a, b].entries()) {
    const session = await openSession(file, levels[i] as GraphOptimizationLevel);
    const started = performance.now();
    rows.push(await logitsOf(session, set, padId));
    await session.release();
    console.log(`${file} (level ${levels[i]}): ${set.sequences.length} sequences in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const c = compareLogits(rows[0] as Float32Array[], rows[1] as Float32Array[]);
  const largest = Math.max(...(rows[0] as Float32Array[]).flatMap((r) => Array.from(r, Math.abs)));
  console.log(
    `${set.name}: max |Δlogit| ${c.maxAbsLogitDiff.toExponential(3)}, mean |Δlogit| ${c.meanAbsLogitDiff.toExponential(3)}, ` +
      `labels agree ${(c.labelAgreement * 100).toFixed(2)}% (${Math.round(c.labelAgreement * c.sequences)}/${c.sequences}); largest |logit| of A ${largest.toFixed(3)}`,
  );
  if (tolerance !== undefined && !(c.maxAbsLogitDiff <= Number(tolerance))) {
    console.log(`over the tolerance ${tolerance}`);
    return 1;
  }
  return 0;
}

runMain(main);
