import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ModelError } from '@sentiment/errors';
import type { ModelManifestFile } from './model-manifest';

export interface ModelDownloadOptions {
  /** Hub base URL (HF_ENDPOINT), e.g. https://huggingface.co. */
  endpoint: string;
  repo: string;
  /** Branch, tag or (best) commit sha. */
  revision: string;
  modelDir: string;
  files: readonly ModelManifestFile[];
  /** Hashes from the manifest apply only when it describes this repo and revision. */
  pinned: boolean;
  /** Bearer token for gated/private repos (HF_TOKEN). */
  token?: string;
  /** Attempts per file for transient failures (network, 5xx, 429). Default 5. */
  attempts?: number;
  /** First retry delay; doubles each time. Default 1000 ms. */
  retryDelayMs?: number;
  /** Abort a transfer that receives nothing for this long. Default 60 s. */
  idleTimeoutMs?: number;
  log?: (line: string) => void;
}

export type DownloadOutcome = 'downloaded' | 'already-present' | 'not-in-repo';

export interface DownloadedFile {
  path: string;
  outcome: DownloadOutcome;
  sha256?: string;
  bytes?: number;
  /** True when the hash was checked against a pinned manifest value (or a recorded one). */
  verified: boolean;
}

/** Hashes recorded by the last download, next to the files: trust on first use for unpinned entries. */
export const CHECKSUMS_FILE = 'checksums.json';

interface RecordedChecksums {
  repo: string;
  revision: string;
  files: Record<string, string>;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** `<endpoint>/<repo>/resolve/<revision>/<file>`, the hub's raw-file URL scheme. */
export function resolveFileUrl(endpoint: string, repo: string, revision: string, file: string): string {
  const base = endpoint.replace(/\/+$/u, '');
  const encodePath = (p: string): string => p.split('/').map(encodeURIComponent).join('/');
  return `${base}/${encodePath(repo)}/resolve/${encodeURIComponent(revision)}/${encodePath(file)}`;
}

async function fileSize(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}

export async function readRecordedChecksums(modelDir: string): Promise<RecordedChecksums | undefined> {
  try {
    return JSON.parse(await readFile(path.join(modelDir, CHECKSUMS_FILE), 'utf8')) as RecordedChecksums;
  } catch {
    return undefined;
  }
}

class TransientError extends Error {}

/** The hash a file must have: the manifest's when pinned, else the one recorded for this repo@revision. */
function expectedHash(file: ModelManifestFile, options: ModelDownloadOptions, recorded: RecordedChecksums | undefined): string | undefined {
  if (options.pinned && file.sha256 !== null) return file.sha256;
  if (recorded && recorded.repo === options.repo && recorded.revision === options.revision) return recorded.files[file.path];
  return undefined;
}

/**
 * Fetches one URL into `part`, appending (HTTP Range) when a partial file is already there.
 * Returns false for 404 (file not in the repo). Throws TransientError for what a retry can fix.
 */
async function transfer(url: string, part: string, options: ModelDownloadOptions): Promise<boolean> {
  const have = (await fileSize(part)) ?? 0;
  const controller = new AbortController();
  const idleMs = options.idleTimeoutMs ?? 60_000;
  let idle = setTimeout(() => controller.abort(), idleMs);
  const headers: Record<string, string> = { 'user-agent': 'sentiment-worker-model-download' };
  if (have > 0) headers['range'] = `bytes=${have}-`;
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  try {
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: controller.signal, redirect: 'follow' });
    } catch (cause) {
      throw new TransientError(`request failed: ${(cause as Error).message}`);
    }
    if (response.status === 404) return false;
    if (response.status === 416 && have > 0) return true; // the partial file is already complete
    if (response.status === 429 || response.status >= 500) throw new TransientError(`HTTP ${response.status}`);
    if (response.status !== 200 && response.status !== 206) {
      throw new ModelError('MODEL_DOWNLOAD_FAILED', `GET ${url}: HTTP ${response.status}`, { retriable: false, details: { url, status: response.status } });
    }
    // 206: the server resumed at our offset; 200: it sent the whole file, so start over.
    const handle = await open(part, response.status === 206 ? 'a' : 'w');
    try {
      if (response.body === null) throw new TransientError('empty response body');
      for await (const chunk of response.body) {
        clearTimeout(idle);
        idle = setTimeout(() => controller.abort(), idleMs);
        await handle.write(chunk as Uint8Array);
      }
      await handle.sync();
    } catch (cause) {
      if (cause instanceof ModelError) throw cause;
      throw new TransientError(`transfer interrupted: ${(cause as Error).message}`);
    } finally {
      await handle.close();
    }
    return true;
  } finally {
    clearTimeout(idle);
  }
}

async function downloadOne(file: ModelManifestFile, options: ModelDownloadOptions, recorded: RecordedChecksums | undefined): Promise<DownloadedFile> {
  const log = options.log ?? (() => undefined);
  const target = path.join(options.modelDir, file.path);
  const part = `${target}.part`;
  const expected = expectedHash(file, options, recorded);

  if ((await fileSize(target)) !== undefined && expected !== undefined) {
    const actual = await sha256File(target);
    if (actual === expected) return { path: file.path, outcome: 'already-present', sha256: actual, bytes: await fileSize(target), verified: true };
    log(`${file.path}: present but its sha256 differs from the expected one; downloading again`);
  }

  await mkdir(path.dirname(target), { recursive: true });
  const url = resolveFileUrl(options.endpoint, options.repo, options.revision, file.path);
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const resumed = ((await fileSize(part)) ?? 0) > 0;
      if (!(await transfer(url, part, options))) {
        if (file.required) {
          throw new ModelError('MODEL_DOWNLOAD_FAILED', `${file.path} not found at ${url}`, { retriable: false, details: { url } });
        }
        log(`${file.path}: not in ${options.repo}@${options.revision} (optional)`);
        return { path: file.path, outcome: 'not-in-repo', verified: false };
      }
      const actual = await sha256File(part);
      if (expected !== undefined && actual !== expected) {
        await rm(part, { force: true });
        // A resumed file may have been corrupted by an earlier, different upload: one clean retry.
        if (resumed && attempt < attempts) throw new TransientError('checksum mismatch after resuming');
        throw new ModelError('MODEL_CHECKSUM_MISMATCH', `${file.path}: sha256 ${actual}, expected ${expected}`, {
          retriable: false,
          details: { file: file.path, actual, expected, url },
        });
      }
      await rename(part, target);
      const bytes = await fileSize(target);
      log(`${file.path}: downloaded ${bytes ?? 0} bytes, sha256 ${actual}${expected === undefined ? ' (not pinned: recorded)' : ' (verified)'}`);
      return { path: file.path, outcome: 'downloaded', sha256: actual, bytes, verified: expected !== undefined };
    } catch (err) {
      if (!(err instanceof TransientError)) throw err;
      if (attempt >= attempts) {
        throw new ModelError('MODEL_DOWNLOAD_FAILED', `${file.path}: giving up after ${attempt} attempts (${err.message})`, {
          retriable: true,
          details: { url },
        });
      }
      const delay = (options.retryDelayMs ?? 1000) * 2 ** (attempt - 1);
      log(`${file.path}: ${err.message}; retry ${attempt}/${attempts - 1} in ${delay} ms (keeping the partial file)`);
      await sleep(delay);
    }
  }
}

/**
 * Downloads the selected files of `repo@revision` into `modelDir`: each into `<file>.part`
 * (resumed with HTTP Range after an interruption), checked against its sha256, then renamed
 * into place, so a model directory never holds a half-written file under its real name.
 * Records every hash in checksums.json for later verification.
 */
export async function downloadModelFiles(options: ModelDownloadOptions): Promise<DownloadedFile[]> {
  await mkdir(options.modelDir, { recursive: true });
  const recorded = await readRecordedChecksums(options.modelDir);
  const results: DownloadedFile[] = [];
  for (const file of options.files) results.push(await downloadOne(file, options, recorded));

  const hasTokenizer = results.some((r) => r.path === 'tokenizer.json' && r.outcome !== 'not-in-repo') ||
    ['vocab.json', 'merges.txt'].every((p) => results.some((r) => r.path === p && r.outcome !== 'not-in-repo'));
  if (!hasTokenizer) {
    throw new ModelError('MODEL_DOWNLOAD_FAILED', `${options.repo}@${options.revision} has neither tokenizer.json nor vocab.json + merges.txt`, {
      retriable: false,
    });
  }
  const files: Record<string, string> = { ...(recorded?.repo === options.repo && recorded.revision === options.revision ? recorded.files : {}) };
  for (const r of results) if (r.sha256 !== undefined) files[r.path] = r.sha256;
  const record: RecordedChecksums = { repo: options.repo, revision: options.revision, files };
  await writeFile(path.join(options.modelDir, CHECKSUMS_FILE), `${JSON.stringify(record, null, 2)}\n`);
  return results;
}

export type VerifyStatus = 'ok' | 'mismatch' | 'missing' | 'unpinned';

export interface VerifiedFile {
  path: string;
  status: VerifyStatus;
  sha256?: string;
  expected?: string;
}

/**
 * Checks files already in `modelDir` against the pinned manifest hashes, or the hashes recorded
 * at download time. Required files that are absent are `missing`; files with no known hash are
 * `unpinned` (reported, not failed).
 */
export async function verifyModelFiles(
  options: Pick<ModelDownloadOptions, 'modelDir' | 'files' | 'pinned' | 'repo' | 'revision'>,
): Promise<VerifiedFile[]> {
  const recorded = await readRecordedChecksums(options.modelDir);
  const results: VerifiedFile[] = [];
  for (const file of options.files) {
    const full = path.join(options.modelDir, file.path);
    if ((await fileSize(full)) === undefined) {
      if (file.required) results.push({ path: file.path, status: 'missing' });
      continue;
    }
    const sha256 = await sha256File(full);
    const expected = expectedHash(file, { ...options, endpoint: '' }, recorded);
    const status: VerifyStatus = expected === undefined ? 'unpinned' : expected === sha256 ? 'ok' : 'mismatch';
    results.push({ path: file.path, status, sha256, ...(expected !== undefined ? { expected } : {}) });
  }
  return results;
}
