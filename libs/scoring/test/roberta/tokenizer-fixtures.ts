import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A reference encoding written by scripts/dev/tokenizer-reference.py (HF RobertaTokenizerFast). */
export interface ReferenceEncoding {
  i: number;
  text: string;
  ids: number[];
}

/** The repo's libs/scoring/test/fixtures, found from src (ts-node) or dist alike. */
export function scoringFixturesDir(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'libs', 'scoring', 'test', 'fixtures');
    if (existsSync(path.join(candidate, 'roberta'))) return candidate;
  }
  throw new Error(`cannot find libs/scoring/test/fixtures above ${__dirname}`);
}

export function readReferenceEncodings(file: string): ReferenceEncoding[] {
  return readFileSync(path.join(scoringFixturesDir(), 'roberta', file), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as ReferenceEncoding);
}
