/**
 * Writes the tiny known-answer sentiment model as a complete model directory (usable as MODEL_DIR).
 *
 *   npm run model:tiny -- <dir>        (default .cache/models/tiny-known-answer)
 */
import path from 'node:path';
import { writeTinyModelDir } from '@sentiment/onnx-builder';

async function main(): Promise<void> {
  const dir = path.resolve(process.argv[2] ?? '.cache/models/tiny-known-answer');
  await writeTinyModelDir(dir);
  console.log(`tiny known-answer model written to ${dir}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
