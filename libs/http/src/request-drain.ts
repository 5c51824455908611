import type { IncomingMessage } from 'node:http';

/**
 * Reads and throws away what is left of a request body, up to `maxBytes` and `maxWaitMs`.
 * Answering an error before the client has finished uploading makes many clients (Node's
 * http among them) fail with EPIPE instead of reading the answer; draining a bounded amount
 * first lets them see the 413/415. Resolves true when the body was read to its end.
 */
export function discardRequestBody(req: IncomingMessage, maxBytes: number, maxWaitMs: number): Promise<boolean> {
  if (req.complete || req.readableEnded) return Promise.resolve(true);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve(false);
  return new Promise((resolve) => {
    let seen = 0;
    let settled = false;
    const finish = (drained: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
      resolve(drained);
    };
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen > maxBytes) finish(false);
    };
    const onEnd = (): void => finish(true);
    const onClose = (): void => finish(req.complete);
    const timer = setTimeout(() => finish(false), maxWaitMs);
    timer.unref();
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onClose);
    req.resume();
  });
}
