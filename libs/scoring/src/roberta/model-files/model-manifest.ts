import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '@sentiment/errors';
import { robertaTokenizerAssetsDir } from '../tokenizer/tokenizer-assets';

const ManifestFileSchema = z.object({
  path: z.string().min(1).refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'must be a relative path inside the model directory'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/u).nullable(),
  required: z.boolean(),
  onnx: z.boolean().optional(),
});

const ManifestSchema = z.object({
  repo: z.string().min(1),
  revision: z.string().min(1),
  files: z.array(ManifestFileSchema).min(1),
});

/** One file of a model repository; `sha256: null` means "not pinned yet" (trust on first download). */
export type ModelManifestFile = z.infer<typeof ManifestFileSchema>;
export type ModelManifest = z.infer<typeof ManifestSchema>;

/** The manifest shipped in the repo: libs/scoring/assets/model-manifest.json. */
export function defaultModelManifestPath(): string {
  return path.join(path.dirname(robertaTokenizerAssetsDir()), 'model-manifest.json');
}

export async function readModelManifest(file = defaultModelManifestPath()): Promise<ModelManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (cause) {
    throw new ConfigError(`cannot read model manifest ${file}`, { cause });
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`model manifest ${file} is invalid: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * The files to fetch: every non-ONNX file, plus the ONNX file(s) named by `onnxFile`: a manifest
 * path (onnx/model.onnx), a bare name as MODEL_FILE takes it (model.onnx), "auto" (the int8
 * export, as the worker prefers) or "all".
 */
export function selectManifestFiles(manifest: ModelManifest, onnxFile: string): ModelManifestFile[] {
  const onnx = manifest.files.filter((f) => f.onnx === true);
  const wanted = onnxFile === 'auto' ? 'onnx/model_quantized.onnx' : onnxFile;
  const chosen = wanted === 'all' ? onnx : onnx.filter((f) => f.path === wanted || f.path === `onnx/${wanted}`);
  if (chosen.length === 0) {
    throw new ConfigError(`MODEL_FILE ${onnxFile} is not in the manifest (choose ${[...onnx.map((f) => f.path), 'all'].join(', ')})`);
  }
  return [...manifest.files.filter((f) => f.onnx !== true), ...chosen];
}
