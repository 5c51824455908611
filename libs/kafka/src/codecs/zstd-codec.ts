import type * as Zstd from '@toondepauw/node-zstd';
import { withCodecFailure } from './codec-failure';
import type { KafkaCompressionCodec } from './kafka-compression-codec';

/** zstd's default level, and the Java producer's default `compression.zstd.level`. */
export const ZSTD_DEFAULT_LEVEL = 3;

type ZstdModule = Pick<typeof Zstd, 'Encoder' | 'Decoder'>;

/**
 * Plain zstd frames. Decoding streams (zstd::stream::Decoder), so frames written by a
 * streaming encoder without a content size in their header, as the Java client's
 * ZstdOutputStream writes them, decode at any size.
 */
export function createZstdCodec(zstd: ZstdModule, level: number = ZSTD_DEFAULT_LEVEL): KafkaCompressionCodec {
  const encoder = new zstd.Encoder(level);
  const decoder = new zstd.Decoder();
  return {
    compress: ({ buffer }) => withCodecFailure('zstd', 'compress', () => encoder.encode(buffer)),
    decompress: (payload) => withCodecFailure('zstd', 'decompress', () => decoder.decode(payload)),
  };
}
