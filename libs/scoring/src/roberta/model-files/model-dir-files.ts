import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ModelError } from '@sentiment/errors';
import { DEFAULT_ONNX_CANDIDATES } from './model-dir-layout';

/** Reads and parses a JSON file of a model directory; a missing or broken file is a ModelError. */
export function readModelJson(modelDir: string, file: string): unknown {
  const full = path.join(modelDir, file);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (cause) {
    throw new ModelError('MODEL_NOT_FOUND', `cannot read ${file} in model directory ${modelDir}`, {
      retriable: false,
      cause,
      details: { modelDir, file },
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ModelError('MODEL_LOAD_FAILED', `${file} in ${modelDir} is not valid JSON`, {
      retriable: false,
      cause,
      details: { modelDir, file },
    });
  }
}

export function modelFileExists(modelDir: string, file: string): boolean {
  return existsSync(path.join(modelDir, file));
}

/**
 * The ONNX file to load: `file` when given (a path relative to the directory or absolute; a bare
 * name such as MODEL_FILE's `model.onnx` is looked up in onnx/ first, as the hub lays files out),
 * otherwise the first of `candidates` that exists. Throws MODEL_NOT_FOUND naming what was tried.
 */
export function resolveOnnxModelPath(
  modelDir: string,
  file?: string,
  candidates: readonly string[] = DEFAULT_ONNX_CANDIDATES,
): string {
  const named = file !== undefined && file !== '' && file !== 'auto';
  const tried = named ? (file.includes('/') || path.isAbsolute(file) ? [file] : [`onnx/${file}`, file]) : [...candidates];
  for (const candidate of tried) {
    const full = path.resolve(modelDir, candidate);
    if (existsSync(full)) return full;
  }
  throw new ModelError('MODEL_NOT_FOUND', `no ONNX model in ${modelDir} (tried ${tried.join(', ')})`, {
    retriable: false,
    details: { modelDir, tried },
  });
}
