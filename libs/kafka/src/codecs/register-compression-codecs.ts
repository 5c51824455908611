import type * as Zstd from '@toondepauw/node-zstd';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import type * as Lz4 from 'lz4-napi';
import type * as Snappy from 'snappy';
import type { KafkaCompressionCodec } from './kafka-compression-codec';
import { loadCodecPackage as load } from './load-codec-package';
import { createLz4Codec } from './lz4-codec';
import { createSnappyCodec } from './snappy-codec';
import { createZstdCodec } from './zstd-codec';

interface ExtraCodecs {
  snappy: KafkaCompressionCodec;
  lz4: KafkaCompressionCodec;
  zstd: KafkaCompressionCodec;
}

let codecs: ExtraCodecs | undefined;

// The packages are required here, not imported at the top: a platform without one of their
// prebuilt binaries then fails registration with a typed error instead of every import of
// @sentiment/kafka failing with a module-load error.
/* eslint-disable @typescript-eslint/no-require-imports */
function createCodecs(): ExtraCodecs {
  return {
    snappy: createSnappyCodec(load('snappy', 'snappy', () => require('snappy') as typeof Snappy)),
    lz4: createLz4Codec(load('lz4', 'lz4-napi', () => require('lz4-napi') as typeof Lz4)),
    zstd: createZstdCodec(load('zstd', '@toondepauw/node-zstd', () => require('@toondepauw/node-zstd') as typeof Zstd)),
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Teaches kafkajs 2.2.4 (which only ships gzip) snappy, lz4 and zstd, for consuming
 * batches from Java, librdkafka or Python producers and for producing with them.
 * Call once at start-up, before any consumer runs; calling again is harmless (it
 * re-installs the same codec instances, also over anything installed in between).
 * @throws CompressionCodecUnavailableError when a codec package cannot load on this platform.
 */
export function registerCompressionCodecs(): void {
  codecs ??= createCodecs();
  const { snappy, lz4, zstd } = codecs;
  CompressionCodecs[CompressionTypes.Snappy] = () => snappy;
  CompressionCodecs[CompressionTypes.LZ4] = () => lz4;
  CompressionCodecs[CompressionTypes.ZSTD] = () => zstd;
}
