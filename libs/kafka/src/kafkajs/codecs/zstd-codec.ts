import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { BatchDecompressionRefusedError, isZlibOutputLimit } from '../../shared/decompression-limit';
import { withCodecFailure } from './codec-failure';
import type { DecompressionLimit, KafkaCompressionCodec } from './kafka-compression-codec';

/** zstd's default level, and the Java producer's default `compression.zstd.level`. */
export const ZSTD_DEFAULT_LEVEL = 3;

const zstdCompress = promisify(zlib.zstdCompress);
const zstdDecompress = promisify(zlib.zstdDecompress);

/**
 * Plain zstd frames through node:zlib (Node 22.15+), on libuv's thread pool. Decoding streams,
 * so frames written by a streaming encoder without a content size in their header (the Java
 * client's ZstdOutputStream) decode at any size, and it stops at `maxOutputLength`.
 */
export function createZstdCodec(limit: DecompressionLimit, level: number = ZSTD_DEFAULT_LEVEL): KafkaCompressionCodec {
  const params = { [zlib.constants.ZSTD_c_compressionLevel]: level };
  return {
    compress: ({ buffer }) => withCodecFailure('zstd', 'compress', () => zstdCompress(buffer, { params })),
    decompress: (payload) =>
      withCodecFailure('zstd', 'decompress', async () => {
        const max = limit();
        try {
          return await zstdDecompress(payload, { maxOutputLength: max });
        } catch (err) {
          if (isZlibOutputLimit(err)) throw new BatchDecompressionRefusedError('zstd', max, 'it inflates past the limit');
          throw err;
        }
      }),
  };
}
