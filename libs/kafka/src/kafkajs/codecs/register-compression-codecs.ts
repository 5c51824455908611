import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import type * as Lz4 from 'lz4-napi';
import type * as Snappy from 'snappy';
import { recordBatchHooks } from '../../shared/record-batch-hooks';
import { createGzipCodec } from './gzip-codec';
import type { DecompressionLimit, KafkaCompressionCodec } from './kafka-compression-codec';
import { loadCodecPackage as load } from './load-codec-package';
import { createLz4Codec } from './lz4-codec';
import { createSnappyCodec } from './snappy-codec';
import { createZstdCodec } from './zstd-codec';

interface Codecs {
  gzip: KafkaCompressionCodec;
  snappy: KafkaCompressionCodec;
  lz4: KafkaCompressionCodec;
  zstd: KafkaCompressionCodec;
}

let codecs: Codecs | undefined;

/** The limit the process installed (record-batch-hooks); unbounded until the consumer installs one. */
const currentLimit: DecompressionLimit = () => recordBatchHooks()?.maxDecompressedBytes ?? Number.MAX_SAFE_INTEGER;

// The packages are required here, not imported at the top: a platform without one of their
// prebuilt binaries then fails registration with a typed error instead of every import of
// @sentiment/kafka failing with a module-load error.
/* eslint-disable @typescript-eslint/no-require-imports */
function createCodecs(): Codecs {
  return {
    gzip: createGzipCodec(currentLimit),
    snappy: createSnappyCodec(load('snappy', 'snappy', () => require('snappy') as typeof Snappy), currentLimit),
    lz4: createLz4Codec(load('lz4', 'lz4-napi', () => require('lz4-napi') as typeof Lz4), currentLimit),
    zstd: createZstdCodec(currentLimit),
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Installs our codecs into kafkajs 2.2.4 (which only ships an unbounded gzip): snappy, lz4 and
 * zstd for consuming batches from Java, librdkafka or Python producers and producing with
 * them, and all four with the decompression limit. Calling again is harmless (it re-installs
 * the same codec instances, also over anything installed in between).
 * @throws CompressionCodecUnavailableError when a codec package cannot load on this platform.
 */
export function registerCompressionCodecs(): void {
  codecs ??= createCodecs();
  const { gzip, snappy, lz4, zstd } = codecs;
  CompressionCodecs[CompressionTypes.GZIP] = () => gzip;
  CompressionCodecs[CompressionTypes.Snappy] = () => snappy;
  CompressionCodecs[CompressionTypes.LZ4] = () => lz4;
  CompressionCodecs[CompressionTypes.ZSTD] = () => zstd;
}
