import zlib from 'node:zlib';
import { BatchDecompressionRefusedError, isZlibOutputLimit, lz4InflatedLength, snappyInflatedLength } from './decompression-limit';

/**
 * The extension point our patches add to the Kafka clients (patches/*.patch, docs/dependencies.md):
 * they look this object up on `globalThis` so that the clients, which cannot import us, apply one
 * decompression limit defined here. Without it the patched clients behave as upstream.
 */
export interface RecordBatchHooks {
  readonly version: 1;
  /** Largest size one record batch may inflate to, and what one partition's fetch may inflate to in total. */
  maxDecompressedBytes: number;
  /** Synchronous decompression with the limit applied; `inflate` is the client's own codec. */
  decompressSync(codec: string, payload: Buffer, inflate: (payload: Buffer) => Buffer): Buffer;
}

export const RECORD_BATCH_HOOKS_KEY = Symbol.for('@sentiment/kafka:record-batch-hooks');

function refuseIfOver(codec: string, limit: number, inflated: number): void {
  if (inflated > limit) throw new BatchDecompressionRefusedError(codec, limit, `it declares ${inflated} bytes`);
}

function createHooks(maxDecompressedBytes: number): RecordBatchHooks {
  const hooks: RecordBatchHooks = {
    version: 1,
    maxDecompressedBytes,
    decompressSync(codec, payload, inflate) {
      const limit = hooks.maxDecompressedBytes;
      try {
        switch (codec) {
          case 'gzip':
            return zlib.gunzipSync(payload, { maxOutputLength: limit });
          case 'zstd':
            return zlib.zstdDecompressSync(payload, { maxOutputLength: limit });
          case 'snappy':
            refuseIfOver(codec, limit, snappyInflatedLength(payload));
            return inflate(payload);
          case 'lz4':
            refuseIfOver(codec, limit, lz4InflatedLength(payload));
            return inflate(payload);
          default:
            return inflate(payload);
        }
      } catch (err) {
        if (isZlibOutputLimit(err)) throw new BatchDecompressionRefusedError(codec, limit, 'it inflates past the limit');
        throw err;
      }
    },
  };
  return hooks;
}

/** Installs (or updates the limit of) the process-wide hooks; returns them. */
export function installRecordBatchHooks(maxDecompressedBytes: number): RecordBatchHooks {
  const global = globalThis as Record<symbol, RecordBatchHooks | undefined>;
  const existing = global[RECORD_BATCH_HOOKS_KEY];
  if (existing) {
    existing.maxDecompressedBytes = maxDecompressedBytes;
    return existing;
  }
  const hooks = createHooks(maxDecompressedBytes);
  global[RECORD_BATCH_HOOKS_KEY] = hooks;
  return hooks;
}

export function recordBatchHooks(): RecordBatchHooks | undefined {
  return (globalThis as Record<symbol, RecordBatchHooks | undefined>)[RECORD_BATCH_HOOKS_KEY];
}
