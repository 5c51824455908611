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

/**
 * What one compressed LZ4 block inflates to, counted from its sequences (literal and match
 * lengths) without writing any output. Infinity when the block is malformed.
 */
function lz4BlockInflatedLength(buf: Buffer, start: number, end: number): number {
  let pos = start;
  let total = 0;
  while (pos < end) {
    const token = buf[pos++] as number;
    let literals = token >> 4;
    if (literals === 15) {
      for (let b = 255; b === 255; ) {
        if (pos >= end) return Number.POSITIVE_INFINITY;
        b = buf[pos++] as number;
        literals += b;
      }
    }
    total += literals;
    pos += literals;
    if (pos > end) return Number.POSITIVE_INFINITY;
    if (pos === end) return total; // the last sequence has literals only
    pos += 2; // match offset
    let match = token & 0x0f;
    if (match === 15) {
      for (let b = 255; b === 255; ) {
        if (pos >= end) return Number.POSITIVE_INFINITY;
        b = buf[pos++] as number;
        match += b;
      }
    }
    total += match + 4;
  }
  return total;
}

/**
 * What an LZ4 frame (or a sequence of frames) inflates to, read from the frames without
 * decompressing: each block's sequences are counted (a declared content size is not trusted, it
 * could lie). Infinity when the frame cannot be read: the codec then reports the corruption.
 */
export function lz4InflatedLength(payload: Buffer): number {
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
    const hasBlockChecksum = (flg & 0x10) !== 0;
    let cursor = offset + 6 + ((flg & 0x08) !== 0 ? 8 : 0) + ((flg & 0x01) !== 0 ? 4 : 0) + 1;
    for (;;) {
      if (cursor + 4 > payload.length) return Number.POSITIVE_INFINITY;
      const word = payload.readUInt32LE(cursor);
      cursor += 4;
      if (word === 0) break; // end mark
      const size = word & 0x7fffffff;
      if (cursor + size > payload.length) return Number.POSITIVE_INFINITY;
      total += (word & 0x80000000) !== 0 ? size : lz4BlockInflatedLength(payload, cursor, cursor + size);
      cursor += size + (hasBlockChecksum ? 4 : 0);
    }
    if ((flg & 0x04) !== 0) cursor += 4; // content checksum
    offset = cursor;
  }
  return total;
}
