/**
 * A local stand-in for the Hugging Face hub's file endpoint, so the image's model stage can be built
 * where the hub is unreachable: serves a model directory (e.g. `npm run model:tiny -- <dir>`) as
 *   GET /<repo>/resolve/<revision>/<path>   (Range: bytes=N- supported, as the downloader resumes with it)
 * Anything else is a 404 (the hub's answer for a missing file), so a wrong repo, revision or
 * URL layout fails the build instead of being served. Command line: fake-hub.ts.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface FakeHubOptions {
  /** Directory whose files are served (paths relative to it, e.g. onnx/model.onnx). */
  dir: string;
  repo: string;
  revision: string;
  host?: string;
  port?: number;
  log?: (line: string) => void;
}

export interface FakeHub {
  endpoint: string;
  close(): Promise<void>;
}

/** The file under `dir` a request asks for, or undefined when the URL is not `/<repo>/resolve/<revision>/<path>` inside it. */
export function requestedFile(url: string, options: Pick<FakeHubOptions, 'dir' | 'repo' | 'revision'>): string | undefined {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://hub.local').pathname);
  } catch {
    return undefined;
  }
  const prefix = `/${options.repo}/resolve/${options.revision}/`;
  if (!pathname.startsWith(prefix)) return undefined;
  const root = path.resolve(options.dir);
  const file = path.resolve(root, pathname.slice(prefix.length));
  return file.startsWith(root + path.sep) ? file : undefined;
}

export async function startFakeHub(options: FakeHubOptions): Promise<FakeHub> {
  const log = options.log ?? (() => undefined);
  const server = http.createServer((req, res) => {
    void answer(req, res).catch((err: unknown) => {
      log(`fake hub: ${req.url ?? ''}: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) res.writeHead(500).end('internal error');
      else res.destroy();
    });
  });

  async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const file = req.method === 'GET' || req.method === 'HEAD' ? requestedFile(req.url ?? '', options) : undefined;
    const info = file ? await stat(file).catch(() => undefined) : undefined;
    if (!file || !info?.isFile()) {
      log(`fake hub: ${req.method ?? ''} ${req.url ?? ''} -> 404`);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    const range = /^bytes=(\d+)-$/u.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    if (range && start >= info.size) {
      log(`fake hub: ${req.method ?? ''} ${req.url ?? ''} (${req.headers.range ?? ''}) -> 416`);
      res.writeHead(416, { 'content-range': `bytes */${info.size}` }).end();
      return;
    }
    const status = range ? 206 : 200;
    log(`fake hub: ${req.method ?? ''} ${req.url ?? ''}${range ? ` (${req.headers.range ?? ''})` : ''} -> ${status}, ${info.size - start} bytes`);
    res.writeHead(status, {
      'content-type': 'application/octet-stream',
      'content-length': info.size - start,
      ...(range ? { 'content-range': `bytes ${start}-${info.size - 1}/${info.size}` } : {}),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file, { start }).on('error', () => res.destroy()).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://${address.address}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
