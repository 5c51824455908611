import { CompressionFailedError } from './codec-errors';

/**
 * Kafka's Java client wraps snappy in snappy-java's ("xerial") stream framing:
 * an 8-byte magic, two big-endian int32 version fields, then chunks of
 * `int32 compressed length + raw snappy block`. Other clients (kafkajs-snappy,
 * librdkafka, kafka-python) accept both this and a bare raw snappy block.
 *
 * A raw block can never be mistaken for the magic: its first element would be a
 * copy tag (0x4e), which is invalid at the start of a snappy block.
 */
export const XERIAL_MAGIC: Buffer = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);

/** Magic + version + minimum compatible version. */
export const XERIAL_HEADER_LENGTH = 16;

/** snappy-java writes version 1, compatible with readers of version 1 and later. */
const XERIAL_VERSION = 1;
const XERIAL_COMPATIBLE_VERSION = 1;

/** snappy-java's default block size: keeping it makes our frames look exactly like the Java producer's. */
export const XERIAL_CHUNK_SIZE = 32 * 1024;

const CHUNK_LENGTH_BYTES = 4;

export function isXerialFramed(payload: Buffer): boolean {
  return payload.length >= XERIAL_HEADER_LENGTH && payload.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC);
}

/** Cuts `input` into views of at most `chunkSize` bytes (no copies). An empty input gives no chunks. */
export function splitIntoChunks(input: Buffer, chunkSize: number = XERIAL_CHUNK_SIZE): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < input.length; offset += chunkSize) {
    chunks.push(input.subarray(offset, Math.min(offset + chunkSize, input.length)));
  }
  return chunks;
}

/** Header followed by each already-compressed block with its length prefix. */
export function encodeXerialFrame(compressedBlocks: readonly Buffer[]): Buffer {
  const bodyLength = compressedBlocks.reduce((sum, block) => sum + CHUNK_LENGTH_BYTES + block.length, 0);
  const out = Buffer.allocUnsafe(XERIAL_HEADER_LENGTH + bodyLength);
  XERIAL_MAGIC.copy(out, 0);
  out.writeInt32BE(XERIAL_VERSION, 8);
  out.writeInt32BE(XERIAL_COMPATIBLE_VERSION, 12);
  let offset = XERIAL_HEADER_LENGTH;
  for (const block of compressedBlocks) {
    out.writeUInt32BE(block.length, offset);
    offset += CHUNK_LENGTH_BYTES;
    block.copy(out, offset);
    offset += block.length;
  }
  return out;
}

/**
 * The compressed blocks of a framed payload, as views into it. Throws on a truncated
 * length prefix or a block running past the end (a corrupt batch must not decode to
 * silently shortened records).
 */
export function decodeXerialFrame(payload: Buffer): Buffer[] {
  if (!isXerialFramed(payload)) {
    throw new CompressionFailedError('snappy', 'decompress', 'payload has no xerial snappy header');
  }
  const blocks: Buffer[] = [];
  let offset = XERIAL_HEADER_LENGTH;
  while (offset < payload.length) {
    if (offset + CHUNK_LENGTH_BYTES > payload.length) {
      throw new CompressionFailedError('snappy', 'decompress', `truncated chunk length at byte ${offset} of ${payload.length}`);
    }
    const length = payload.readUInt32BE(offset);
    offset += CHUNK_LENGTH_BYTES;
    if (offset + length > payload.length) {
      throw new CompressionFailedError(
        'snappy',
        'decompress',
        `chunk of ${length} bytes at byte ${offset} runs past the end of the ${payload.length}-byte payload`,
      );
    }
    blocks.push(payload.subarray(offset, offset + length));
    offset += length;
  }
  return blocks;
}
