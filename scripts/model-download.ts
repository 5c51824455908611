/**
 * Downloads the sentiment model (ONNX export + tokenizer + config) from the Hugging Face hub into
 * a model directory, checking SHA-256 hashes from libs/scoring/assets/model-manifest.json.
 *
 *   npm run model:download [-- --repo R --revision REV --dir DIR --file auto|model.onnx|model_quantized.onnx|all --endpoint URL]
 *   npm run model:download -- --verify        (check the files already in DIR; no network)
 *
 * After downloading, each ONNX export fetched is prepared for the worker (npm run model:prepare:
 * onnxruntime's fusions saved as onnx/<name>_optimized.onnx, kept only if its logits match the
 * plain export within 1e-3). --no-prepare or MODEL_PREPARE=false skips that; --parity-ids FILE
 * chooses the token ids it checks (default: the TweetEval validation tweets when the checkout has
 * them, else seeded random sequences).
 *
 * Environment (flags win): MODEL_REPO (default: the manifest's, onnx-community/twitter-roberta-base-sentiment-ONNX),
 * MODEL_REVISION (default: the manifest's), MODEL_DIR (default models/twitter-roberta-base-sentiment-latest),
 * MODEL_FILE (auto = onnx/model_quantized.onnx, model.onnx, model_quantized.onnx or all; a prepared name such as
 * model_quantized_optimized.onnx downloads its plain export; default auto), HF_ENDPOINT (default, also when empty:
 * https://huggingface.co; a mirror, or scripts/container/fake-hub.ts for the image test), MODEL_PREPARE (false: no preparation),
 * HF_TOKEN (gated/private repos), MODEL_MANIFEST (another manifest file).
 */
import path from 'node:path';
import {
  downloadModelFiles,
  isPreparedModelFile,
  plainModelFileOf,
  readModelManifest,
  selectManifestFiles,
  verifyModelFiles,
  defaultModelManifestPath,
} from '@sentiment/scoring';
import { runModelPreparation } from './model-prepare';
import { flag, runMain } from './lib/cli-args';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const env = process.env;
  const manifestPath = flag(argv, '--manifest') ?? env['MODEL_MANIFEST'] ?? defaultModelManifestPath();
  const manifest = await readModelManifest(manifestPath);
  const repo = flag(argv, '--repo') ?? env['MODEL_REPO'] ?? manifest.repo;
  const revision = flag(argv, '--revision') ?? env['MODEL_REVISION'] ?? manifest.revision;
  const modelDir = path.resolve(flag(argv, '--dir') ?? env['MODEL_DIR'] ?? 'models/twitter-roberta-base-sentiment-latest');
  const wantedFile = flag(argv, '--file') ?? env['MODEL_FILE'] ?? 'auto';
  // The worker's MODEL_FILE may name a prepared file: it is made here from its plain export.
  const onnxFile = isPreparedModelFile(wantedFile) ? plainModelFileOf(wantedFile) : wantedFile;
  // Empty counts as unset: the Dockerfile passes HF_ENDPOINT as a build argument, empty unless given.
  const endpoint = flag(argv, '--endpoint') ?? (env['HF_ENDPOINT'] || 'https://huggingface.co');
  if (!/^https?:\/\/[^/]/u.test(endpoint)) throw new Error(`HF_ENDPOINT (or --endpoint) must be an http(s) URL, got ${JSON.stringify(endpoint)}`);
  const files = selectManifestFiles(manifest, onnxFile);
  // Pinned hashes describe the manifest's repo@revision only.
  const pinned = repo === manifest.repo && revision === manifest.revision;

  if (argv.includes('--verify')) {
    const results = await verifyModelFiles({ modelDir, files, pinned, repo, revision });
    for (const r of results) console.log(`${r.status.padEnd(8)} ${r.path}${r.sha256 ? `  ${r.sha256}` : ''}${r.status === 'mismatch' ? `  expected ${r.expected}` : ''}`);
    const bad = results.filter((r) => r.status === 'mismatch' || r.status === 'missing');
    console.log(bad.length === 0 ? `verified ${modelDir}` : `${bad.length} file(s) failed verification in ${modelDir}`);
    return bad.length === 0 ? 0 : 1;
  }

  console.log(`downloading ${repo}@${revision} from ${endpoint} into ${modelDir}`);
  const results = await downloadModelFiles({
    endpoint,
    repo,
    revision,
    modelDir,
    files,
    pinned,
    ...(env['HF_TOKEN'] ? { token: env['HF_TOKEN'] } : {}),
    log: (line) => console.log(line),
  });
  const unpinned = results.filter((r) => r.sha256 !== undefined && !r.verified);
  if (unpinned.length > 0) {
    console.log(`\nnot pinned in ${manifestPath} (recorded in ${path.join(modelDir, 'checksums.json')}); to pin, set revision to a commit and:`);
    for (const r of unpinned) console.log(`  "${r.path}": "${r.sha256}"`);
  }
  if (argv.includes('--no-prepare') || env['MODEL_PREPARE'] === 'false') {
    console.log(`model ready in ${modelDir} (not prepared: --no-prepare / MODEL_PREPARE=false)`);
    return 0;
  }
  for (const file of files.filter((f) => f.onnx === true)) {
    await runModelPreparation({ modelDir, file: file.path, parityIds: flag(argv, '--parity-ids'), log: (line) => console.log(line) });
  }
  console.log(`model ready in ${modelDir}`);
  return 0;
}

runMain(main);
