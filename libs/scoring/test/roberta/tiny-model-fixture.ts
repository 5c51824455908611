import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeTinyModelDir } from '@sentiment/onnx-builder';
import { writeOnnxFile } from './onnx-test-models';

/**
 * A temporary copy of the tiny known-answer model directory (tokenizer helper's builder);
 * `replaceOnnx` swaps both ONNX files for a faulty graph or garbage bytes.
 */
export async function tinyModelDir(): Promise<{
  dir: string;
  replaceOnnx: (bytes: Buffer) => Promise<void>;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tiny-model-'));
  await writeTinyModelDir(dir);
  return {
    dir,
    replaceOnnx: async (bytes) => {
      await writeOnnxFile(dir, bytes, 'model.onnx');
      await writeOnnxFile(dir, bytes, 'model_quantized.onnx');
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
