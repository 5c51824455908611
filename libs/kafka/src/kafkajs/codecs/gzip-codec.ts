import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { BatchDecompressionRefusedError, isZlibOutputLimit } from '../../shared/decompression-limit';
import { withCodecFailure } from './codec-failure';
import type { DecompressionLimit, KafkaCompressionCodec } from './kafka-compression-codec';

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

/**
 * gzip through node:zlib on libuv's thread pool. Replaces kafkajs' built-in codec, which
 * inflates without a bound: zlib stops at `maxOutputLength`, so a bomb costs at most the limit.
 */
export function createGzipCodec(limit: DecompressionLimit): KafkaCompressionCodec {
  return {
    compress: ({ buffer }) => withCodecFailure('gzip', 'compress', () => gzip(buffer)),
    decompress: (payload) =>
      withCodecFailure('gzip', 'decompress', async () => {
        const max = limit();
        try {
          return await gunzip(payload, { maxOutputLength: max });
        } catch (err) {
          if (isZlibOutputLimit(err)) throw new BatchDecompressionRefusedError('gzip', max, 'it inflates past the limit');
          throw err;
        }
      }),
  };
}
