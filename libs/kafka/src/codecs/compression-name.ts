import { CompressionTypes } from 'kafkajs';
import { UnknownCompressionCodecError } from './codec-errors';

/** Kafka's own codec names (the Java client's `compression.type` values), usable as a zod enum. */
export const CompressionNames = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CompressionName = (typeof CompressionNames)[number];

const TYPE_BY_NAME: Readonly<Record<CompressionName, CompressionTypes>> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

export function isCompressionName(value: string): value is CompressionName {
  return (CompressionNames as readonly string[]).includes(value);
}

/**
 * The kafkajs compression type for a configured codec name (case and surrounding
 * blanks ignored, so `ZSTD` from an environment variable works). snappy, lz4 and zstd
 * only produce once registerCompressionCodecs() has run.
 * @throws UnknownCompressionCodecError listing the accepted names.
 */
export function compressionFromName(name: string): CompressionTypes {
  const normalized = name.trim().toLowerCase();
  if (!isCompressionName(normalized)) throw new UnknownCompressionCodecError(name, CompressionNames);
  return TYPE_BY_NAME[normalized];
}

/** The inverse, for logs and metrics labels. */
export function compressionName(type: CompressionTypes): CompressionName {
  const found = CompressionNames.find((name) => TYPE_BY_NAME[name] === type);
  if (found === undefined) throw new UnknownCompressionCodecError(String(type), CompressionNames);
  return found;
}
