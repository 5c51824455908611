/**
 * Checks a model directory before any thread is started, so a missing or half-copied model
 * fails fast with MODEL_NOT_FOUND / MODEL_LOAD_FAILED instead of inside a worker.
 */
import path from 'node:path';
import { ModelError } from '@sentiment/errors';
import type { SentimentLabel } from '../scorer';
import { modelFileExists, resolveOnnxModelPath } from './model-files/model-dir-files';
import { isPreparedModelFile, ModelDirFiles, plainModelFileOf } from './model-files/model-dir-layout';
import { readRobertaModelConfig } from './model-files/roberta-model-config';

export interface ModelDirInfo {
  modelDir: string;
  /** Absolute path of the plain .onnx export (see selectModelFile for the file that is loaded). */
  modelPath: string;
  /** `labels[i]` is the label of logit column i (from config.json's id2label). */
  labels: SentimentLabel[];
  padId: number;
}

/**
 * Validates `modelDir` (config.json, tokenizer files, the plain .onnx export) and reads what the
 * scorer needs from config.json. `modelFile` is relative to `modelDir` (a bare name is looked up in
 * onnx/); by default the int8 export is used when present, else the fp32 one. A prepared file name
 * resolves to the plain export it is made from: which of the two runs is model-file-selection.ts's call.
 */
export function inspectModelDir(modelDir: string, modelFile?: string): ModelDirInfo {
  const dir = path.resolve(modelDir);
  if (!modelFileExists(dir, ModelDirFiles.config)) {
    throw new ModelError('MODEL_NOT_FOUND', `model directory ${dir}: config.json is missing`, {
      retriable: false,
      details: { modelDir: dir },
    });
  }
  const config = readRobertaModelConfig(dir);
  const hasTokenizer =
    modelFileExists(dir, ModelDirFiles.tokenizerJson) ||
    (modelFileExists(dir, ModelDirFiles.vocab) && modelFileExists(dir, ModelDirFiles.merges));
  if (!hasTokenizer) {
    throw new ModelError('MODEL_NOT_FOUND', `model directory ${dir}: no tokenizer.json, nor vocab.json + merges.txt`, {
      retriable: false,
      details: { modelDir: dir },
    });
  }
  const modelPath = resolveOnnxModelPath(dir, modelFile !== undefined && isPreparedModelFile(modelFile) ? plainModelFileOf(modelFile) : modelFile);
  return { modelDir: dir, modelPath, labels: config.labels, padId: config.padTokenId };
}
