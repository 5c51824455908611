import type { IncomingMessage } from 'node:http';
import { HttpError } from '@sentiment/errors';
import { jsonDepthExceeds } from '@sentiment/events';
import { parseMediaType } from './media-type';

export interface JsonBodyLimits {
  maxBodyBytes: number;
  maxJsonDepth: number;
}

const MAX_PARSE_MESSAGE_CHARS = 160;

/** 415 unless the body is declared `application/json` (charset, when given, utf-8) and not compressed. */
export function assertJsonContentType(req: IncomingMessage): void {
  const header = req.headers['content-type'];
  const media = parseMediaType(header);
  if (media === null || media.essence !== 'application/json') {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'content-type must be application/json');
  }
  const charset = media.params.get('charset');
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'charset must be utf-8');
  }
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'content-encoding is not supported; send the body uncompressed');
  }
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'PAYLOAD_TOO_LARGE', `request body is larger than ${limit} bytes`);
}

/** Buffers the body, refusing (413) as soon as it passes `maxBodyBytes`. */
export function readBodyBytes(req: IncomingMessage, maxBodyBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBodyBytes) return Promise.reject(tooLarge(maxBodyBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (err: HttpError | undefined): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onError);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        // Stop buffering; the error path decides how much more to read and discard.
        req.pause();
        settle(tooLarge(maxBodyBytes));
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = (): void => settle(undefined);
    const incomplete = (): HttpError => new HttpError(400, 'BAD_REQUEST', 'request body was not received completely');
    const onClose = (): void => settle(req.complete ? undefined : incomplete());
    const onError = (): void => settle(incomplete());
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onError);
  });
}

/** Strict UTF-8: invalid byte sequences are an error, not U+FFFD. A leading BOM is dropped. */
export function decodeUtf8Strict(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'INVALID_UTF8', 'request body is not valid UTF-8');
  }
}

/** UTF-8, emptiness, depth (scanned on the bytes, before parsing), then JSON.parse; every failure is a 400 with its own code. */
export function parseJsonBody(bytes: Uint8Array, maxJsonDepth: number): unknown {
  const text = decodeUtf8Strict(bytes);
  if (text.trim() === '') throw new HttpError(400, 'EMPTY_MESSAGE', 'request body is empty');
  if (jsonDepthExceeds(bytes, maxJsonDepth)) {
    throw new HttpError(400, 'NESTING_TOO_DEEP', `JSON nests deeper than ${maxJsonDepth} levels`);
  }
  try {
    // JSON.parse defines `__proto__` as a plain own key (it never sets a prototype), and the
    // validator then rejects every key it does not know.
    return JSON.parse(text) as unknown;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    const short = detail.length > MAX_PARSE_MESSAGE_CHARS ? `${detail.slice(0, MAX_PARSE_MESSAGE_CHARS)}...` : detail;
    throw new HttpError(400, 'INVALID_JSON', `invalid JSON: ${short}`);
  }
}

/** Content type, size, UTF-8, depth, syntax: everything before the body's shape is looked at. */
export async function readJsonBody(req: IncomingMessage, limits: JsonBodyLimits): Promise<unknown> {
  assertJsonContentType(req);
  const bytes = await readBodyBytes(req, limits.maxBodyBytes);
  return parseJsonBody(bytes, limits.maxJsonDepth);
}
