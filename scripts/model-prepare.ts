/**
 * Prepares a model directory for the worker: for each plain ONNX export (int8 and/or fp32), saves
 * the graph with onnxruntime's fusions applied as onnx/<name>_optimized.onnx, checks its logits
 * against the plain export, and keeps it only within the tolerance (docs/model.md, "Prepared model").
 * `npm run model:download` runs this after downloading.
 *
 *   npm run model:prepare [-- --dir DIR] [--file onnx/model_quantized.onnx|onnx/model.onnx|all]
 *                         [--parity-ids FILE.jsonl|synthetic] [--tolerance 1e-3] [--force]
 *                         [--reference all|disabled]   (the plain export as the worker runs it, default; or unfused)
 *
 * DIR defaults to MODEL_DIR, then models/twitter-roberta-base-sentiment-latest. Parity defaults to
 * the 2,000 TweetEval validation tweets (libs/scoring/test/fixtures/roberta/val_token_ids.jsonl)
 * when the checkout has them, else 256 seeded random sequences (the image's model stage).
 * Exit 0 when every file was prepared, is current, or was rejected (the plain file then serves);
 * 1 on errors. `runModelPreparation` is also what model:download calls.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '@sentiment/errors';
import {
  DEFAULT_ONNX_CANDIDATES,
  prepareOptimizedModel,
  readParitySet,
  readRobertaModelConfig,
  syntheticParitySet,
  type ParitySet,
  type PrepareModelResult,
} from '@sentiment/scoring';
import { repoRoot } from './lib/repo-files';
import { flag, runMain } from './lib/cli-args';

/** The 2,000 TweetEval validation tweets as token ids: present in a checkout, not in the image build. */
export const tweetEvalValTokenIds = path.join(repoRoot, 'libs', 'scoring', 'test', 'fixtures', 'roberta', 'val_token_ids.jsonl');

export interface ModelPreparationOptions {
  modelDir: string;
  /** A plain export relative to modelDir (a bare name is looked up in onnx/), or "all" (every plain export present). */
  file: string;
  /** A JSON-lines file of `{"ids": [...]}`, "synthetic", or undefined (the TweetEval ids when present, else synthetic). */
  parityIds: string | undefined;
  tolerance?: number;
  force?: boolean;
  referenceLevel?: 'all' | 'disabled';
  log: (line: string) => void;
}

export function paritySetFor(choice: string | undefined): ParitySet {
  if (choice === 'synthetic') return syntheticParitySet();
  if (choice !== undefined) return readParitySet(path.resolve(choice), path.basename(choice));
  return existsSync(tweetEvalValTokenIds) ? readParitySet(tweetEvalValTokenIds, 'tweeteval-val') : syntheticParitySet();
}

function plainFiles(modelDir: string, file: string): string[] {
  // Bare model.onnx at the top level is a hand-made layout; it is served as is, not prepared.
  const candidates = DEFAULT_ONNX_CANDIDATES.filter((f) => f.startsWith('onnx/'));
  if (file === 'all' || file === 'auto') {
    const present = candidates.filter((f) => existsSync(path.join(modelDir, f)));
    if (present.length === 0) throw new ConfigError(`no ONNX export to prepare in ${modelDir} (looked for ${candidates.join(', ')})`);
    return present;
  }
  const named = file.includes('/') ? file : `onnx/${file}`;
  if (!existsSync(path.join(modelDir, named))) throw new ConfigError(`${named} is not in ${modelDir}`);
  return [named];
}

export async function runModelPreparation(options: ModelPreparationOptions): Promise<PrepareModelResult[]> {
  if (options.tolerance !== undefined && !(options.tolerance > 0)) throw new ConfigError(`--tolerance must be a positive number (got ${options.tolerance})`);
  const files = plainFiles(options.modelDir, options.file);
  const parity = paritySetFor(options.parityIds);
  const { padTokenId } = readRobertaModelConfig(options.modelDir);
  const results: PrepareModelResult[] = [];
  for (const plainFile of files) {
    results.push(
      await prepareOptimizedModel({
        modelDir: options.modelDir,
        plainFile,
        parity,
        padId: padTokenId,
        ...(options.tolerance !== undefined && { tolerance: options.tolerance }),
        ...(options.force !== undefined && { force: options.force }),
        ...(options.referenceLevel !== undefined && { referenceLevel: options.referenceLevel }),
        log: options.log,
      }),
    );
  }
  return results;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const modelDir = path.resolve(flag(argv, '--dir') ?? process.env['MODEL_DIR'] ?? 'models/twitter-roberta-base-sentiment-latest');
  const tolerance = flag(argv, '--tolerance');
  const reference = flag(argv, '--reference') ?? 'all';
  if (reference !== 'all' && reference !== 'disabled') throw new ConfigError(`--reference must be all or disabled (got ${reference})`);
  await runModelPreparation({
    modelDir,
    file: flag(argv, '--file') ?? 'all',
    parityIds: flag(argv, '--parity-ids'),
    ...(tolerance !== undefined && { tolerance: Number(tolerance) }),
    force: argv.includes('--force'),
    referenceLevel: reference,
    log: (line) => console.log(line),
  });
  return 0;
}

if (require.main === module) {
  runMain(main);
}
