/**
 * Which ONNX file the worker loads. A prepared file (the plain export with onnxruntime's fusions
 * saved, `npm run model:prepare`) is used only when its record names the plain file now in the
 * directory (same SHA-256); the plain export stays the fallback if the prepared one fails to load.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { modelFileExists, resolveOnnxModelPath } from './model-dir-files';
import { isPreparedModelFile, plainModelFileOf, preparedModelFile } from './model-dir-layout';
import { sha256File } from './model-download';
import { readPreparedModelRecord } from './prepared-model-record';

export interface ModelFileChoice {
  /** Absolute path of the file to load first. */
  modelPath: string;
  /** The plain export to load when `modelPath` is a prepared file that fails to load. */
  fallbackPath: string | undefined;
  prepared: boolean;
  /** A prepared file present in the directory that was not chosen, and why. */
  skipped: { path: string; reason: string } | undefined;
}

/**
 * `modelFile` undefined or "auto": the first plain export of DEFAULT_ONNX_CANDIDATES (int8, then
 * fp32), replaced by its prepared file when that is present and current. A named plain file is
 * loaded as named. A named prepared file is loaded when current, with its plain file as fallback.
 * Throws MODEL_NOT_FOUND (from resolveOnnxModelPath) when the plain export is missing.
 */
export async function selectModelFile(modelDir: string, modelFile?: string): Promise<ModelFileChoice> {
  const dir = path.resolve(modelDir);
  const auto = modelFile === undefined || modelFile === '' || modelFile === 'auto';
  if (!auto && !isPreparedModelFile(modelFile)) {
    return { modelPath: resolveOnnxModelPath(dir, modelFile), fallbackPath: undefined, prepared: false, skipped: undefined };
  }
  const plainPath = auto ? resolveOnnxModelPath(dir) : resolveOnnxModelPath(dir, plainModelFileOf(modelFile));
  const plain = path.relative(dir, plainPath).split(path.sep).join('/');
  const prepared = preparedModelFile(plain);
  const preparedPath = path.join(dir, prepared);
  const usePlain = (reason?: string): ModelFileChoice => ({
    modelPath: plainPath,
    fallbackPath: undefined,
    prepared: false,
    skipped: reason === undefined ? undefined : { path: preparedPath, reason },
  });
  if (!modelFileExists(dir, prepared)) return usePlain(auto ? undefined : `${prepared} is missing`);

  const record = await readPreparedModelRecord(dir, plain);
  if ('problem' in record) return usePlain(record.problem);
  if (record.source !== plain) return usePlain(`its record describes ${record.source}, not ${plain}`);
  // Size first (free), then the hash: a plain file replaced by a new version must not run with the old graph.
  const { size } = await stat(plainPath);
  if (size !== record.sourceBytes || (await sha256File(plainPath)) !== record.sourceSha256) {
    return usePlain(`it was prepared from another ${plain} (re-run npm run model:prepare)`);
  }
  return { modelPath: preparedPath, fallbackPath: plainPath, prepared: true, skipped: undefined };
}
