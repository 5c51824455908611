import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ModelError } from '@sentiment/errors';
import { writeTinyModelDir } from '@sentiment/onnx-builder';
import { loadRobertaTokenizer } from '../../../src/roberta/tokenizer/load-roberta-tokenizer';
import { robertaTokenizerAssetsDir } from '../../../src/roberta/tokenizer/tokenizer-assets';
import { CHECKSUMS_FILE, downloadModelFiles, resolveFileUrl, verifyModelFiles, type ModelDownloadOptions } from '../../../src/roberta/model-files/model-download';
import { readModelManifest, selectManifestFiles, type ModelManifestFile } from '../../../src/roberta/model-files/model-manifest';

const REPO = 'onnx-community/twitter-roberta-base-sentiment-ONNX';
const REVISION = 'main';
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

interface Behaviour {
  /** Answer 500 to this many requests first. */
  failFirst?: number;
  /** Close the connection after this many bytes, once. */
  cutAfter?: number;
}

/** A fake hub: GET /<repo>/resolve/<revision>/<file> with Range support and injectable failures. */
class FakeHub {
  readonly files = new Map<string, Buffer>();
  readonly behaviour = new Map<string, Behaviour>();
  readonly requests: Array<{ url: string; range: string | undefined }> = [];
  private server = http.createServer((req, res) => this.handle(req, res));
  endpoint = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = decodeURIComponent(req.url ?? '');
    this.requests.push({ url, range: req.headers.range });
    const prefix = `/${REPO}/resolve/${REVISION}/`;
    const file = url.startsWith(prefix) ? url.slice(prefix.length) : undefined;
    const body = file === undefined ? undefined : this.files.get(file);
    if (file === undefined || body === undefined) {
      res.writeHead(404).end('Entry not found');
      return;
    }
    const behaviour = this.behaviour.get(file) ?? {};
    if ((behaviour.failFirst ?? 0) > 0) {
      behaviour.failFirst = (behaviour.failFirst ?? 0) - 1;
      res.writeHead(500).end('try again');
      return;
    }
    const range = /^bytes=(\d+)-$/u.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    if (start >= body.length && range) {
      res.writeHead(416).end();
      return;
    }
    const slice = body.subarray(start);
    res.writeHead(range ? 206 : 200, { 'content-length': slice.length, 'content-type': 'application/octet-stream' });
    if (behaviour.cutAfter !== undefined) {
      const cut = behaviour.cutAfter;
      delete behaviour.cutAfter;
      // Drop the connection a moment after the first bytes left, so the client has them on disk to
      // resume from: destroying at once raced the client's first read on a loaded machine.
      res.write(slice.subarray(0, cut), () => setTimeout(() => res.destroy(), 200));
      return;
    }
    res.end(slice);
  }
}

describe('model download (against a local fake hub)', () => {
  const hub = new FakeHub();
  let tmp: string;
  let files: ModelManifestFile[];
  let dirCount = 0;
  const assets = robertaTokenizerAssetsDir();
  const onnx = randomBytes(300_000);

  const options = (overrides: Partial<ModelDownloadOptions> = {}): ModelDownloadOptions => ({
    endpoint: hub.endpoint,
    repo: REPO,
    revision: REVISION,
    modelDir: path.join(tmp, `model-${dirCount++}`),
    files,
    pinned: false,
    retryDelayMs: 5,
    attempts: 4,
    ...overrides,
  });

  beforeAll(async () => {
    await hub.start();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'model-download-'));
    files = selectManifestFiles(await readModelManifest(), 'onnx/model_quantized.onnx');
  });
  beforeEach(() => {
    hub.files.clear();
    hub.behaviour.clear();
    hub.requests.length = 0;
    // The hub layout of an ONNX repo that ships only the legacy tokenizer files.
    for (const f of ['config.json', 'vocab.json', 'merges.txt', 'special_tokens_map.json']) hub.files.set(f, readFileSync(path.join(assets, f)));
    hub.files.set('onnx/model_quantized.onnx', onnx);
  });
  afterAll(async () => {
    await hub.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('when the manifest selects the int8 export, then the non-ONNX files and only that ONNX file are fetched', () => {
    expect(files.map((f) => f.path)).toEqual([
      'config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.json', 'merges.txt', 'onnx/model_quantized.onnx',
    ]);
  });

  it('when MODEL_FILE is auto or a bare file name, then it selects the matching export', async () => {
    const manifest = await readModelManifest();
    expect(selectManifestFiles(manifest, 'auto').at(-1)?.path).toBe('onnx/model_quantized.onnx');
    expect(selectManifestFiles(manifest, 'model.onnx').at(-1)?.path).toBe('onnx/model.onnx');
    expect(selectManifestFiles(manifest, 'all').filter((f) => f.onnx === true)).toHaveLength(2);
    expect(() => selectManifestFiles(manifest, 'model_fp16.onnx')).toThrow(/not in the manifest/u);
  });

  it('when a revision has slashes, then it is URL-encoded like the hub expects', () => {
    expect(resolveFileUrl('https://hub.example/', 'org/name', 'refs/pr/1', 'onnx/model.onnx')).toBe(
      'https://hub.example/org/name/resolve/refs%2Fpr%2F1/onnx/model.onnx',
    );
  });

  it('when the repo is served, then the directory gets every file, records hashes, keeps no .part and loads as a tokenizer', async () => {
    const opts = options();
    const results = await downloadModelFiles(opts);
    expect(results.filter((r) => r.outcome === 'downloaded').map((r) => r.path).sort()).toEqual(
      ['config.json', 'merges.txt', 'onnx/model_quantized.onnx', 'special_tokens_map.json', 'vocab.json'].sort(),
    );
    expect(results.filter((r) => r.outcome === 'not-in-repo').map((r) => r.path).sort()).toEqual(['tokenizer.json', 'tokenizer_config.json']);
    expect((await readFile(path.join(opts.modelDir, 'onnx', 'model_quantized.onnx'))).equals(onnx)).toBe(true);
    expect(await readdir(path.join(opts.modelDir, 'onnx'))).toEqual(['model_quantized.onnx']);
    const recorded = JSON.parse(await readFile(path.join(opts.modelDir, CHECKSUMS_FILE), 'utf8')) as { files: Record<string, string> };
    expect(recorded.files['onnx/model_quantized.onnx']).toBe(sha(onnx));
    expect((await loadRobertaTokenizer(opts.modelDir)).encode('hello world')).toEqual([0, 42891, 232, 2]);
  });

  it('when the manifest pins the right hash, then the file is reported verified', async () => {
    const pinnedFiles = files.map((f) => (f.path === 'onnx/model_quantized.onnx' ? { ...f, sha256: sha(onnx) } : f));
    const results = await downloadModelFiles(options({ files: pinnedFiles, pinned: true }));
    expect(results.find((r) => r.path === 'onnx/model_quantized.onnx')?.verified).toBe(true);
  });

  it('when the served bytes do not match the pinned hash, then it fails with MODEL_CHECKSUM_MISMATCH and leaves nothing under the real name', async () => {
    const pinnedFiles = files.map((f) => (f.path === 'onnx/model_quantized.onnx' ? { ...f, sha256: 'a'.repeat(64) } : f));
    const opts = options({ files: pinnedFiles, pinned: true });
    const error = await downloadModelFiles(opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).code).toBe('MODEL_CHECKSUM_MISMATCH');
    expect(await readdir(path.join(opts.modelDir, 'onnx'))).toEqual([]);
  });

  it('when the hub answers 500 twice, then the download retries and succeeds', async () => {
    hub.behaviour.set('config.json', { failFirst: 2 });
    const results = await downloadModelFiles(options());
    expect(results.find((r) => r.path === 'config.json')?.outcome).toBe('downloaded');
    expect(hub.requests.filter((r) => r.url.endsWith('/config.json'))).toHaveLength(3);
  });

  it('when the connection drops mid-file, then the next attempt resumes with a Range request and the file is intact', async () => {
    hub.behaviour.set('onnx/model_quantized.onnx', { cutAfter: 100_000 });
    const opts = options();
    await downloadModelFiles(opts);
    const onnxRequests = hub.requests.filter((r) => r.url.endsWith('model_quantized.onnx'));
    expect(onnxRequests).toHaveLength(2);
    expect(onnxRequests[1]?.range).toMatch(/^bytes=\d+-$/u);
    expect(Number(/\d+/u.exec(onnxRequests[1]?.range ?? '')?.[0])).toBeGreaterThan(0);
    expect((await readFile(path.join(opts.modelDir, 'onnx', 'model_quantized.onnx'))).equals(onnx)).toBe(true);
  });

  it('when a required file is missing from the repo, then it fails without retrying', async () => {
    hub.files.delete('onnx/model_quantized.onnx');
    const error = await downloadModelFiles(options()).catch((e: unknown) => e);
    expect((error as ModelError).code).toBe('MODEL_DOWNLOAD_FAILED');
    expect((error as ModelError).retriable).toBe(false);
    expect(hub.requests.filter((r) => r.url.endsWith('model_quantized.onnx'))).toHaveLength(1);
  });

  it('when the hub keeps failing, then it gives up after the configured attempts with a retriable error', async () => {
    hub.behaviour.set('config.json', { failFirst: 100 });
    const error = await downloadModelFiles(options()).catch((e: unknown) => e);
    expect((error as ModelError).code).toBe('MODEL_DOWNLOAD_FAILED');
    expect((error as ModelError).retriable).toBe(true);
    expect(hub.requests.filter((r) => r.url.endsWith('/config.json'))).toHaveLength(4);
  });

  it('when run again on a complete directory, then recorded hashes skip the transfers', async () => {
    const opts = options();
    await downloadModelFiles(opts);
    hub.requests.length = 0;
    const again = await downloadModelFiles(opts);
    expect(again.find((r) => r.path === 'onnx/model_quantized.onnx')?.outcome).toBe('already-present');
    expect(hub.requests.filter((r) => r.url.endsWith('model_quantized.onnx'))).toHaveLength(0);
  });

  it('when a downloaded file is altered, then verification reports the mismatch', async () => {
    const opts = options();
    await downloadModelFiles(opts);
    const verify = { modelDir: opts.modelDir, files, pinned: false, repo: REPO, revision: REVISION };
    expect((await verifyModelFiles(verify)).every((r) => r.status === 'ok')).toBe(true);
    await writeFile(path.join(opts.modelDir, 'config.json'), '{}');
    expect((await verifyModelFiles(verify)).find((r) => r.path === 'config.json')?.status).toBe('mismatch');
  });

  it('when the CLI runs with HF_ENDPOINT and MODEL_DIR, then it downloads and prepares the model, and --verify fails once a file is altered', async () => {
    const run = promisify(execFile);
    const script = path.resolve(__dirname, '..', '..', '..', '..', '..', 'scripts', 'model-download.js');
    const modelDir = path.join(tmp, 'cli');
    // A real graph this time: the download is followed by preparation, which loads and runs it.
    const tiny = path.join(tmp, 'tiny-source');
    await writeTinyModelDir(tiny);
    const tinyOnnx = await readFile(path.join(tiny, 'onnx', 'model_quantized.onnx'));
    hub.files.set('onnx/model_quantized.onnx', tinyOnnx);
    const env = { ...process.env, HF_ENDPOINT: hub.endpoint, MODEL_DIR: modelDir, MODEL_FILE: 'model_quantized.onnx' };
    const { stdout } = await run(process.execPath, [script, '--parity-ids', 'synthetic'], { env });
    expect(stdout).toContain('model ready');
    expect(stdout).toContain(`"onnx/model_quantized.onnx": "${sha(tinyOnnx)}"`);
    expect(stdout).toMatch(/model_quantized_optimized\.onnx: prepared \(max \|Δlogit\| 0\.00e\+0, labels agree 100\.00% on synthetic/u);
    expect(await readdir(path.join(modelDir, 'onnx'))).toEqual(
      expect.arrayContaining(['model_quantized.onnx', 'model_quantized_optimized.onnx', 'model_quantized_optimized.json']),
    );
    await expect(run(process.execPath, [script, '--verify'], { env })).resolves.toBeDefined();
    await writeFile(path.join(modelDir, 'onnx', 'model_quantized.onnx'), 'tampered');
    const failed = await run(process.execPath, [script, '--verify'], { env }).catch((e: unknown) => e as { code: number; stdout: string });
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stdout: string }).stdout).toContain('mismatch onnx/model_quantized.onnx');
  });
});
