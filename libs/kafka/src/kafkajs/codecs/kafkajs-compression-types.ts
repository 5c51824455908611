import { CompressionTypes } from 'kafkajs';
import { type CompressionName } from '../../shared/compression-name';

const TYPE_BY_NAME: Readonly<Record<CompressionName, CompressionTypes>> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

/** The kafkajs compression type of a codec name; snappy, lz4 and zstd only work once registerCompressionCodecs() ran. */
export function kafkajsCompression(name: CompressionName): CompressionTypes {
  return TYPE_BY_NAME[name];
}
