import { existsSync } from 'node:fs';
import path from 'node:path';

const ASSETS = path.join('libs', 'scoring', 'assets', 'roberta-tokenizer');

/**
 * The in-repo copy of the model's tokenizer files (vocab.json, merges.txt, config.json, ...).
 * Found by walking up from this file, so it works from src/ (ts-node) and from dist/ alike.
 */
export function robertaTokenizerAssetsDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, ASSETS);
    if (existsSync(path.join(candidate, 'vocab.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`cannot find ${ASSETS} above ${__dirname}`);
  }
}
