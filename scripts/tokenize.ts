/**
 * Prints the model input ids of each stdin line as a JSON array, one per line, through the same
 * code path as the scorer (tweet preprocessing, <s> ... </s>, truncation at the model limit).
 *
 *   echo "I love it @bob" | npm run tokenize
 *   npm run tokenize -- --model-dir ./models/roberta < texts.txt     (or MODEL_DIR=...)
 *
 * Defaults to the in-repo tokenizer files (libs/scoring/assets/roberta-tokenizer).
 */
import { once } from 'node:events';
import readline from 'node:readline';
import { loadRobertaTokenizer, robertaTokenizerAssetsDir } from '@sentiment/scoring';

function modelDirFromArgs(argv: readonly string[]): string | undefined {
  const index = argv.findIndex((a) => a === '--model-dir' || a.startsWith('--model-dir='));
  if (index < 0) return undefined;
  const arg = argv[index] as string;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
}

async function main(): Promise<void> {
  const modelDir = modelDirFromArgs(process.argv.slice(2)) ?? process.env['MODEL_DIR'] ?? robertaTokenizerAssetsDir();
  const tokenizer = await loadRobertaTokenizer(modelDir);
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!process.stdout.write(`${JSON.stringify(tokenizer.encode(line))}\n`)) await once(process.stdout, 'drain');
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
