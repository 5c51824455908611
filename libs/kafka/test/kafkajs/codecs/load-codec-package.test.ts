import { describe, expect, it } from '@jest/globals';
import { CompressionCodecUnavailableError } from '../../../src/shared/codec-errors';
import { loadCodecPackage } from '../../../src/kafkajs/codecs/load-codec-package';

describe('loadCodecPackage', () => {
  it('when the package loads, then its module is returned', () => {
    const module = { compress: 'fn' };
    expect(loadCodecPackage('zstd', 'some-zstd', () => module)).toBe(module);
  });

  it('when the package cannot load (no binary for this platform), then a typed, non-retriable error names codec and package and keeps the cause', () => {
    const cause = new Error('Cannot find native binding');
    let caught: unknown;
    try {
      loadCodecPackage('zstd', 'lz4-napi', () => {
        throw cause;
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CompressionCodecUnavailableError);
    const error = caught as CompressionCodecUnavailableError;
    expect(error.code).toBe('COMPRESSION_CODEC_UNAVAILABLE');
    expect(error.retriable).toBe(false);
    expect(error.message).toBe('Compression codec zstd unavailable: cannot load package lz4-napi');
    expect(error.cause).toBe(cause);
  });
});
