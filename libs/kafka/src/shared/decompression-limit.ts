import { KafkaError } from '@sentiment/errors';
import { decodeXerialFrame, isXerialFramed } from './xerial-snappy-framing';

/**
 * A record batch would inflate past the limit, so it was not (or not fully) decompressed. The
 * consumer hands its offset range to the application as one placeholder instead of failing.
 * `refusedBatch` marks it for the patched clients, which must recognise it without importing us.
 */
export class BatchDecompressionRefusedError extends KafkaError {
  readonly refusedBatch = true as const;
  readonly codec: string;
  readonly limitBytes: number;

  constructor(codec: string, limitBytes: number, detail: string) {
    super('DECOMPRESSION_LIMIT', `${codec} record batch not decompressed: ${detail} (limit ${limitBytes} bytes)`, {
      retriable: false,
      details: { codec, limitBytes },
    });
    this.codec = codec;
    this.limitBytes = limitBytes;
  }
}

/** Whether zlib stopped because the output passed `maxOutputLength` (not because the data is corrupt). */
export function isZlibOutputLimit(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
}

/** The uncompressed length a raw snappy block declares in its leading varint. */
export function snappyDeclaredLength(block: Buffer): number {
  let result = 0;
  for (let i = 0, shift = 0; i < 5 && i < block.length; i++, shift += 7) {
    const byte = block[i] as number;
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return result;
  }
  return Number.POSITIVE_INFINITY; // unterminated: let the codec report the corruption
}

/** What a snappy payload (raw, or xerial-framed as the Java producer writes it) will inflate to. */
export function snappyInflatedLength(payload: Buffer): number {
  if (!isXerialFramed(payload)) return snappyDeclaredLength(payload);
  return decodeXerialFrame(payload).reduce((sum, block) => sum + snappyDeclaredLength(block), 0);
}

const LZ4_MAGIC = 0x184d2204;
const LZ4_SKIPPABLE_MIN = 0x184d2a50;
const LZ4_SKIPPABLE_MAX = 0x184d2a5f;
const LZ4_BLOCK_MAX: Readonly<Record<number, number>> = { 4: 64 * 1024, 5: 256 * 1024, 6: 1024 * 1024, 7: 4 * 1024 * 1024 };

/**
 * An upper bound of what an LZ4 frame (or a sequence of frames) inflates to, read from the frame
 * headers without decompressing: block count times the block maximum (a block never inflates
 * past it; a declared content size is not trusted, it could lie). It overestimates by less than
 * one block. Infinity when the headers cannot be read: the codec then reports the corruption.
 */
export function lz4InflatedBound(payload: Buffer): number {
  let offset = 0;
  let total = 0;
  while (offset < payload.length) {
    if (offset + 4 > payload.length) return Number.POSITIVE_INFINITY;
    const magic = payload.readUInt32LE(offset);
    if (magic >= LZ4_SKIPPABLE_MIN && magic <= LZ4_SKIPPABLE_MAX) {
      if (offset + 8 > payload.length) return Number.POSITIVE_INFINITY;
      offset += 8 + payload.readUInt32LE(offset + 4);
      continue;
    }
    if (magic !== LZ4_MAGIC || offset + 7 > payload.length) return Number.POSITIVE_INFINITY;
    const flg = payload[offset + 4] as number;
    const bd = payload[offset + 5] as number;
    const blockMax = LZ4_BLOCK_MAX[(bd >> 4) & 0x07];
    if (blockMax === undefined) return Number.POSITIVE_INFINITY;
    const hasBlockChecksum = (flg & 0x10) !== 0;
    const hasContentSize = (flg & 0x08) !== 0;
    const hasContentChecksum = (flg & 0x04) !== 0;
    const hasDictId = (flg & 0x01) !== 0;
    let cursor = offset + 6;
    if (hasContentSize) cursor += 8;
    if (hasDictId) cursor += 4;
    cursor += 1; // header checksum
    let blocks = 0;
    for (;;) {
      if (cursor + 4 > payload.length) return Number.POSITIVE_INFINITY;
      const size = payload.readUInt32LE(cursor);
      cursor += 4;
      if (size === 0) break; // end mark
      cursor += (size & 0x7fffffff) + (hasBlockChecksum ? 4 : 0);
      blocks++;
    }
    if (hasContentChecksum) cursor += 4;
    total += blocks * blockMax;
    offset = cursor;
  }
  return total;
}
