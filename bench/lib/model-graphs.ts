/**
 * The graphs `npm run bench:model` compares, all computing RoBERTa-base with the same seeded
 * random weights, and how each is made on demand:
 *
 *   project-*   libs/onnx-builder's graph (npm run model:full), .cache/models/roberta-base-random
 *   hub-*       PyTorch's ONNX export of the same weights + quantize_dynamic as the hub's files
 *               are made (scripts/dev/hub-style-export.py, in a venv under .cache/pyexport)
 *   fused-*     hub-* through onnxruntime's transformer optimizer (Attention, SkipLayerNormalization,
 *               BiasGelu), quantized after fusing for int8 (same script)
 *   prepared-*  hub-* after `npm run model:prepare`: what model:download leaves for the worker
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ModelDirFiles, preparedModelFile } from '@sentiment/scoring';
import { repoRoot } from './bench-broker';

export const PROJECT_MODEL_DIR = path.join(repoRoot, '.cache', 'models', 'roberta-base-random');
export const HUB_MODEL_DIR = path.join(repoRoot, '.cache', 'models', 'roberta-base-random-hub');

export interface BenchGraph {
  id: string;
  precision: 'fp32' | 'int8';
  modelDir: string;
  /** Relative to modelDir. */
  file: string;
  /** One line on how the file was made. */
  how: string;
}

const HUB_FUSED_FP32 = 'onnx/model_fused.onnx';
const HUB_FUSED_INT8 = 'onnx/model_fused_quantized.onnx';

export const ALL_GRAPHS: readonly BenchGraph[] = [
  { id: 'project-int8', precision: 'int8', modelDir: PROJECT_MODEL_DIR, file: ModelDirFiles.onnxInt8, how: 'libs/onnx-builder, DynamicQuantizeLinear + MatMulInteger' },
  { id: 'hub-int8', precision: 'int8', modelDir: HUB_MODEL_DIR, file: ModelDirFiles.onnxInt8, how: 'torch.onnx.export + quantize_dynamic (transformers.js q8 recipe)' },
  { id: 'fused-int8', precision: 'int8', modelDir: HUB_MODEL_DIR, file: HUB_FUSED_INT8, how: 'hub fp32 -> onnxruntime.transformers optimizer -> quantize_dynamic' },
  { id: 'prepared-int8', precision: 'int8', modelDir: HUB_MODEL_DIR, file: preparedModelFile(ModelDirFiles.onnxInt8), how: 'hub-int8 -> npm run model:prepare' },
  { id: 'project-fp32', precision: 'fp32', modelDir: PROJECT_MODEL_DIR, file: ModelDirFiles.onnxFp32, how: 'libs/onnx-builder' },
  { id: 'hub-fp32', precision: 'fp32', modelDir: HUB_MODEL_DIR, file: ModelDirFiles.onnxFp32, how: 'torch.onnx.export (opset 14)' },
  { id: 'fused-fp32', precision: 'fp32', modelDir: HUB_MODEL_DIR, file: HUB_FUSED_FP32, how: 'hub fp32 -> onnxruntime.transformers optimizer' },
  { id: 'prepared-fp32', precision: 'fp32', modelDir: HUB_MODEL_DIR, file: preparedModelFile(ModelDirFiles.onnxFp32), how: 'hub-fp32 -> npm run model:prepare' },
];

const graphPath = (g: BenchGraph): string => path.join(g.modelDir, g.file);
const mtime = (file: string): number => (existsSync(file) ? statSync(file).mtimeMs : 0);

function run(what: string, command: string, args: string[]): void {
  process.stdout.write(`${what}: ${command} ${args.join(' ')}\n`);
  execFileSync(command, args, { stdio: 'inherit', cwd: repoRoot });
}

/** Makes every missing graph; returns a note per family that could not be made (the bench then leaves it out). */
export function ensureGraphs(options: { hub: boolean }): string[] {
  const notes: string[] = [];
  const projectFp32 = path.join(PROJECT_MODEL_DIR, ModelDirFiles.onnxFp32);
  const projectInt8 = path.join(PROJECT_MODEL_DIR, ModelDirFiles.onnxInt8);
  if (!existsSync(projectFp32) || !existsSync(projectInt8)) {
    run('generating the full-size random RoBERTa-base', process.execPath, [path.join(repoRoot, 'dist', 'scripts', 'model-full.js'), '--dtype', 'both', '--out', PROJECT_MODEL_DIR]);
  }
  if (!options.hub) return ['hub-*, fused-*, prepared-*: skipped (--no-hub)'];

  const hubFiles = [ModelDirFiles.onnxFp32, ModelDirFiles.onnxInt8, HUB_FUSED_FP32, HUB_FUSED_INT8].map((f) => path.join(HUB_MODEL_DIR, f));
  // The export copies the project's fp32 weights: redo it when those were regenerated.
  if (hubFiles.some((f) => mtime(f) < mtime(projectFp32))) {
    const setup = spawnSync('bash', [path.join(repoRoot, 'scripts', 'dev', 'setup-export-venv.sh')], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const python = setup.stdout.trim().split('\n').pop() ?? '';
    if (setup.status !== 0 || python === '') {
      notes.push(`hub-*, fused-*, prepared-*: left out (scripts/dev/setup-export-venv.sh failed with ${setup.status}; needs python3 -m venv and PyPI)`);
      return notes;
    }
    run('exporting the same weights the hub way', python, [path.join(repoRoot, 'scripts', 'dev', 'hub-style-export.py'), '--model-dir', PROJECT_MODEL_DIR, '--out', HUB_MODEL_DIR]);
  }
  const preparedStale = [ModelDirFiles.onnxFp32, ModelDirFiles.onnxInt8].some(
    (f) => mtime(path.join(HUB_MODEL_DIR, preparedModelFile(f))) < mtime(path.join(HUB_MODEL_DIR, f)),
  );
  if (preparedStale) run('preparing the hub-style export as model:download does', process.execPath, [path.join(repoRoot, 'dist', 'scripts', 'model-prepare.js'), '--dir', HUB_MODEL_DIR]);
  return notes;
}

/** The graphs whose files exist, filtered by id (`--graphs a,b`); order as in ALL_GRAPHS. */
export function availableGraphs(ids?: readonly string[]): BenchGraph[] {
  return ALL_GRAPHS.filter((g) => (ids === undefined || ids.includes(g.id)) && existsSync(graphPath(g)));
}

export { graphPath };
