import { describe, expect, it } from '@jest/globals';
import { CompressionFailedError } from '../../src/shared/codec-errors';
import {
  XERIAL_CHUNK_SIZE,
  XERIAL_HEADER_LENGTH,
  XERIAL_MAGIC,
  decodeXerialFrame,
  encodeXerialFrame,
  isXerialFramed,
  splitIntoChunks,
} from '../../src/shared/xerial-snappy-framing';

describe('xerial snappy framing', () => {
  it('when blocks are framed, then the header is snappy-java\'s (magic, version 1, compatible 1) and each block has a big-endian length prefix', () => {
    const framed = encodeXerialFrame([Buffer.from('abc'), Buffer.from('de')]);
    expect(framed.subarray(0, 8)).toEqual(XERIAL_MAGIC);
    expect(framed.readInt32BE(8)).toBe(1);
    expect(framed.readInt32BE(12)).toBe(1);
    expect(framed.subarray(XERIAL_HEADER_LENGTH).toString('hex')).toBe('00000003' + '616263' + '00000002' + '6465');
  });

  it('when a frame is decoded, then the same blocks come back in order', () => {
    const blocks = [Buffer.from('first block'), Buffer.alloc(0), Buffer.from('third')];
    expect(decodeXerialFrame(encodeXerialFrame(blocks))).toEqual(blocks);
  });

  it('when a frame has no blocks, then it is only the header and decodes to none', () => {
    const framed = encodeXerialFrame([]);
    expect(framed).toHaveLength(XERIAL_HEADER_LENGTH);
    expect(isXerialFramed(framed)).toBe(true);
    expect(decodeXerialFrame(framed)).toEqual([]);
  });

  it('when input is two chunks and one byte long, then it is split into three views at the chunk size', () => {
    const input = Buffer.alloc(2 * XERIAL_CHUNK_SIZE + 1, 1);
    expect(splitIntoChunks(input).map((c) => c.length)).toEqual([XERIAL_CHUNK_SIZE, XERIAL_CHUNK_SIZE, 1]);
    expect(splitIntoChunks(Buffer.alloc(0))).toEqual([]);
  });

  it('when a payload is raw snappy or too short, then it is not taken for a framed one', () => {
    expect(isXerialFramed(Buffer.from([0x0b, 0x28, 0x68, 0x65]))).toBe(false);
    expect(isXerialFramed(XERIAL_MAGIC)).toBe(false);
  });

  it('when a chunk length prefix is cut short, then decoding throws CompressionFailedError', () => {
    const framed = encodeXerialFrame([Buffer.from('abc')]);
    const truncated = Buffer.concat([framed, Buffer.from([0, 0])]);
    expect(() => decodeXerialFrame(truncated)).toThrow(CompressionFailedError);
    expect(() => decodeXerialFrame(truncated)).toThrow(/truncated chunk length/);
  });

  it('when a chunk runs past the end of the payload, then decoding throws instead of returning a shorter block', () => {
    const framed = encodeXerialFrame([Buffer.from('abcdef')]);
    expect(() => decodeXerialFrame(framed.subarray(0, framed.length - 1))).toThrow(/runs past the end/);
  });

  it('when the payload lacks the magic, then decoding throws', () => {
    expect(() => decodeXerialFrame(Buffer.alloc(32))).toThrow(CompressionFailedError);
  });
});
