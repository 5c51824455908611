import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@sentiment/errors';
import { CompressionTypes } from 'kafkajs';
import { kafkajsCompression } from '../../src/kafkajs/codecs/kafkajs-compression-types';
import { UnknownCompressionCodecError } from '../../src/shared/codec-errors';
import { CompressionNames, isCompressionName, parseCompressionName } from '../../src/shared/compression-name';

const compressionFromName = (name: string) => kafkajsCompression(parseCompressionName(name));

describe('parseCompressionName', () => {
  it.each([
    ['none', CompressionTypes.None],
    ['gzip', CompressionTypes.GZIP],
    ['snappy', CompressionTypes.Snappy],
    ['lz4', CompressionTypes.LZ4],
    ['zstd', CompressionTypes.ZSTD],
  ])('when the name is %s, then it maps to kafkajs type %d', (name, type) => {
    expect(compressionFromName(name)).toBe(type);
    expect(parseCompressionName(name)).toBe(name);
  });

  it('when the name has other case or blanks (from an environment variable), then it is still accepted', () => {
    expect(compressionFromName(' ZSTD ')).toBe(CompressionTypes.ZSTD);
    expect(compressionFromName('Snappy')).toBe(CompressionTypes.Snappy);
  });

  it('when the name is unknown, then a non-retriable config error lists the allowed names', () => {
    let caught: unknown;
    try {
      compressionFromName('brotli');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UnknownCompressionCodecError);
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as UnknownCompressionCodecError;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.retriable).toBe(false);
    expect(error.codecName).toBe('brotli');
    expect(error.allowed).toEqual(['none', 'gzip', 'snappy', 'lz4', 'zstd']);
    expect(error.message).toBe('Unknown compression codec "brotli"; allowed: none, gzip, snappy, lz4, zstd');
  });

  it('when the name is empty, then it is rejected rather than meaning none', () => {
    expect(() => compressionFromName('')).toThrow(UnknownCompressionCodecError);
  });

  it('when checking names, then only the five Kafka names pass', () => {
    expect(CompressionNames.every(isCompressionName)).toBe(true);
    expect(isCompressionName('lz4hc')).toBe(false);
  });
});
