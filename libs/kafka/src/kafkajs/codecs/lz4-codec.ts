import type * as Lz4 from 'lz4-napi';
import { BatchDecompressionRefusedError, lz4InflatedLength } from '../../shared/decompression-limit';
import { withCodecFailure } from './codec-failure';
import type { DecompressionLimit, KafkaCompressionCodec } from './kafka-compression-codec';

type Lz4FrameCodec = Pick<typeof Lz4, 'compressFrame' | 'decompressFrame'>;

/**
 * LZ4 as Kafka uses it since message format v1 (KIP-57): the standard LZ4 *frame*
 * format with independent blocks, not a bare LZ4 block. lz4-napi's frame functions
 * (lz4_flex) write independent 256 KiB blocks without checksums; Kafka's Java reader
 * accepts 64 KiB to 4 MiB blocks (its own writer uses 64 KiB), and lz4_flex reads any
 * valid frame, including the Java writer's and librdkafka's. A frame whose blocks inflate
 * past the limit (counted from their sequences) is refused before anything is decompressed.
 */
export function createLz4Codec(lz4: Lz4FrameCodec, limit: DecompressionLimit): KafkaCompressionCodec {
  return {
    compress: ({ buffer }) => withCodecFailure('lz4', 'compress', () => lz4.compressFrame(buffer)),
    decompress: (payload) =>
      withCodecFailure('lz4', 'decompress', async () => {
        const max = limit();
        const inflated = lz4InflatedLength(payload);
        if (inflated > max && Number.isFinite(inflated)) throw new BatchDecompressionRefusedError('lz4', max, `its blocks inflate to ${inflated} bytes`);
        return lz4.decompressFrame(payload);
      }),
  };
}
