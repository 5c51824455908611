import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { robertaTokenizerAssetsDir } from '../../src/roberta/tokenizer/tokenizer-assets';
import { writeOnnxFile } from './onnx-test-models';

/**
 * A temporary model directory: the real config and tokenizer files (in-repo copies) plus the
 * given ONNX graph as onnx/model.onnx. `cleanup()` removes it.
 */
export async function modelDirWith(onnx: Buffer): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'roberta-test-'));
  const assets = robertaTokenizerAssetsDir();
  for (const file of ['config.json', 'vocab.json', 'merges.txt', 'special_tokens_map.json']) {
    await copyFile(path.join(assets, file), path.join(dir, file));
  }
  await writeOnnxFile(dir, onnx);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
