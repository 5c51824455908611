import { UnknownCompressionCodecError } from './codec-errors';

/** Kafka's own codec names (the Java client's `compression.type` values), usable as a zod enum. */
export const CompressionNames = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CompressionName = (typeof CompressionNames)[number];

export function isCompressionName(value: string): value is CompressionName {
  return (CompressionNames as readonly string[]).includes(value);
}

/**
 * A configured codec name (case and surrounding blanks ignored, so `ZSTD` from an
 * environment variable works).
 * @throws UnknownCompressionCodecError listing the accepted names.
 */
export function parseCompressionName(name: string): CompressionName {
  const normalized = name.trim().toLowerCase();
  if (!isCompressionName(normalized)) throw new UnknownCompressionCodecError(name, CompressionNames);
  return normalized;
}
