import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeTinyModelDir } from '@sentiment/onnx-builder';
import { requestedFile, startFakeHub, type FakeHub } from '../../../../scripts/container/fake-hub-server';
import { repoPath } from '../deploy/helpers/deploy-files';

const run = promisify(execFile);
const REPO = 'local/tiny-known-answer';
const REVISION = 'main';

// The fake hub the image's model stage downloads from in the container test (scripts/container/build-images.sh).
// Runs in the default unit suite: no podman needed to see that it serves what the downloader asks for.
describe('fake hub (scripts/container/fake-hub-server.ts) and the model-download CLI', () => {
  let tmp: string;
  let modelDir: string;
  let hub: FakeHub;
  const lines: string[] = [];

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'fake-hub-'));
    modelDir = path.join(tmp, 'tiny');
    await writeTinyModelDir(modelDir);
    hub = await startFakeHub({ dir: modelDir, repo: REPO, revision: REVISION, log: (line) => lines.push(line) });
  });

  afterAll(async () => {
    await hub.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('when model:download runs with HF_ENDPOINT at the fake hub, then the model directory gets the served files byte for byte', async () => {
    const target = path.join(tmp, 'downloaded');
    const env: NodeJS.ProcessEnv = { ...process.env, HF_ENDPOINT: hub.endpoint, MODEL_REPO: REPO, MODEL_DIR: target, MODEL_FILE: 'model_quantized.onnx' };
    delete env['MODEL_REVISION']; // the manifest's revision, as the Dockerfile's empty MODEL_REVISION means
    const { stdout } = await run(process.execPath, [repoPath('dist/scripts/model-download.js')], { env });
    expect(stdout).toContain(`from ${hub.endpoint}`);
    expect(stdout).toContain('model ready');
    for (const file of ['config.json', 'vocab.json', 'onnx/model_quantized.onnx']) {
      expect((await readFile(path.join(target, file))).equals(await readFile(path.join(modelDir, file)))).toBe(true);
    }
    expect(lines.some((l) => l.includes('/onnx/model_quantized.onnx -> 200'))).toBe(true);
  });

  it('when a download resumes with a Range request, then the hub answers 206 with the rest of the file', async () => {
    const whole = await readFile(path.join(modelDir, 'config.json'));
    const res = await fetch(`${hub.endpoint}/${REPO}/resolve/${REVISION}/config.json`, { headers: { range: 'bytes=10-' } });
    expect(res.status).toBe(206);
    expect(Buffer.from(await res.arrayBuffer()).equals(whole.subarray(10))).toBe(true);
    const past = await fetch(`${hub.endpoint}/${REPO}/resolve/${REVISION}/config.json`, { headers: { range: `bytes=${whole.length}-` } });
    expect(past.status).toBe(416);
  });

  it('when the repo, the revision or the file is not the one served, then the hub answers 404 (the build fails instead of getting something else)', async () => {
    for (const url of [`/other/repo/resolve/${REVISION}/config.json`, `/${REPO}/resolve/v2/config.json`, `/${REPO}/resolve/${REVISION}/missing.json`]) {
      expect({ url, status: (await fetch(`${hub.endpoint}${url}`)).status }).toEqual({ url, status: 404 });
    }
  });

  it('when a path climbs out of the served directory, then it is not a file of the hub', () => {
    const options = { dir: modelDir, repo: REPO, revision: REVISION };
    expect(requestedFile(`/${REPO}/resolve/${REVISION}/onnx/model.onnx`, options)).toBe(path.join(modelDir, 'onnx', 'model.onnx'));
    expect(requestedFile(`/${REPO}/resolve/${REVISION}/../../etc/passwd`, options)).toBeUndefined();
    expect(requestedFile(`/${REPO}/resolve/${REVISION}/%2e%2e/%2e%2e/etc/passwd`, options)).toBeUndefined();
    expect(requestedFile(`/${REPO}/resolve/${REVISION}/..%2F..%2F..%2Fetc%2Fpasswd`, options)).toBeUndefined();
  });

  it('when HF_ENDPOINT is not an http(s) URL, then model:download fails naming the variable', async () => {
    const env = { ...process.env, HF_ENDPOINT: 'huggingface.co', MODEL_DIR: path.join(tmp, 'never') };
    const failed = (await run(process.execPath, [repoPath('dist/scripts/model-download.js')], { env }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('HF_ENDPOINT (or --endpoint) must be an http(s) URL, got "huggingface.co"');
  });
});
