import type * as Snappy from 'snappy';
import { BatchDecompressionRefusedError, snappyInflatedLength } from '../../shared/decompression-limit';
import { decodeXerialFrame, encodeXerialFrame, isXerialFramed, splitIntoChunks } from '../../shared/xerial-snappy-framing';
import { withCodecFailure } from './codec-failure';
import type { DecompressionLimit, KafkaCompressionCodec } from './kafka-compression-codec';

type SnappyBlockCodec = Pick<typeof Snappy, 'compress' | 'uncompress'>;

/**
 * Snappy as Kafka uses it: writes xerial-framed 32 KiB chunks like the Java producer,
 * reads both framed (Java) and raw (librdkafka, kafkajs-snappy) payloads.
 * Blocks go through the package's async API, so large batches are (de)compressed on
 * libuv's thread pool instead of the event loop. Each raw block declares its inflated
 * length up front, so a payload past the limit is refused before anything is inflated.
 */
export function createSnappyCodec(snappy: SnappyBlockCodec, limit: DecompressionLimit): KafkaCompressionCodec {
  const uncompressBlock = async (block: Buffer): Promise<Buffer> => {
    const out = await snappy.uncompress(block, { asBuffer: true });
    return typeof out === 'string' ? Buffer.from(out) : out;
  };

  return {
    compress: ({ buffer }) =>
      withCodecFailure('snappy', 'compress', async () => {
        const blocks = await Promise.all(splitIntoChunks(buffer).map((chunk) => snappy.compress(chunk)));
        return encodeXerialFrame(blocks);
      }),

    decompress: (payload) =>
      withCodecFailure('snappy', 'decompress', async () => {
        const max = limit();
        const inflated = snappyInflatedLength(payload);
        if (inflated > max && Number.isFinite(inflated)) throw new BatchDecompressionRefusedError('snappy', max, `it declares ${inflated} bytes`);
        if (!isXerialFramed(payload)) return uncompressBlock(payload);
        const blocks = await Promise.all(decodeXerialFrame(payload).map(uncompressBlock));
        return blocks.length === 1 && blocks[0] ? blocks[0] : Buffer.concat(blocks);
      }),
  };
}
