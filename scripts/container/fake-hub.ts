/**
 * `node dist/scripts/container/fake-hub.js --dir <model dir> --repo <owner/name> --revision <rev>
 *       [--host 127.0.0.1] [--port 0] [--url-file <file>]`
 *
 * Serves a model directory as the Hugging Face hub would (fake-hub-server.ts) for the image's model
 * stage: scripts/container/build-images.sh points the HF_ENDPOINT build argument at it. Prints
 * `fake hub: <endpoint> ...` once listening (and writes the endpoint to --url-file), logs each
 * request, and stops on SIGTERM/SIGINT.
 */
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startFakeHub } from './fake-hub-server';

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const dir = flag(argv, '--dir');
  const repo = flag(argv, '--repo');
  const revision = flag(argv, '--revision');
  if (!dir || !repo || !revision) {
    throw new Error('usage: fake-hub --dir <model dir> --repo <owner/name> --revision <rev> [--host H] [--port P] [--url-file F]');
  }
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`fake-hub: --dir ${dir} is not a directory`);
  const port = Number(flag(argv, '--port') ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`fake-hub: --port must be 0-65535, got ${flag(argv, '--port')}`);
  const hub = await startFakeHub({ dir, repo, revision, host: flag(argv, '--host') ?? '127.0.0.1', port, log: (line) => console.log(line) });
  const urlFile = flag(argv, '--url-file');
  if (urlFile) await writeFile(urlFile, `${hub.endpoint}\n`);
  console.log(`fake hub: ${hub.endpoint} serves ${path.resolve(dir)} as ${repo}@${revision}`);
  const stop = (): void => {
    void hub.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
