import { describe, expect, it } from '@jest/globals';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { registerCompressionCodecs } from '../../../src/kafkajs/codecs/register-compression-codecs';

type CodecTable = Record<number, () => unknown>;
const table = CompressionCodecs as CodecTable;
const extraTypes = [CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD] as const;

// Jest gives each test file its own module registry: kafkajs starts here with only gzip.
describe('registerCompressionCodecs', () => {
  it('when nothing is registered yet, then kafkajs 2.2.4 refuses snappy, lz4 and zstd (the bug this fixes)', () => {
    expect(() => table[CompressionTypes.Snappy]?.()).toThrow('Snappy compression not implemented');
    expect(() => table[CompressionTypes.LZ4]?.()).toThrow('LZ4 compression not implemented');
    expect(() => table[CompressionTypes.ZSTD]?.()).toThrow('ZSTD compression not implemented');
  });

  it('when registered, then kafkajs hands out a codec with compress and decompress for each', () => {
    registerCompressionCodecs();
    for (const type of extraTypes) {
      const codec = table[type]?.() as { compress?: unknown; decompress?: unknown };
      expect(typeof codec.compress).toBe('function');
      expect(typeof codec.decompress).toBe('function');
    }
  });

  it('when registered twice, then the same codec instances stay installed and gzip is untouched', () => {
    const gzipBefore = table[CompressionTypes.GZIP]?.();
    registerCompressionCodecs();
    const first = extraTypes.map((type) => table[type]?.());
    registerCompressionCodecs();
    expect(extraTypes.map((type) => table[type]?.())).toEqual(first);
    expect(table[CompressionTypes.GZIP]?.()).toBe(gzipBefore);
  });

  it('when something replaced a codec in between, then registering again restores ours', () => {
    registerCompressionCodecs();
    const ours = table[CompressionTypes.ZSTD]?.();
    table[CompressionTypes.ZSTD] = () => ({ impostor: true });
    registerCompressionCodecs();
    expect(table[CompressionTypes.ZSTD]?.()).toBe(ours);
  });
});
