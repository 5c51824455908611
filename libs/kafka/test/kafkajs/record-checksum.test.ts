import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';

// kafkajs' record batch checksum as patched (patches/kafkajs+2.2.4.patch: native CRC32C), and its own JavaScript table loop.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const patched = require('kafkajs/src/protocol/recordBatch/crc32C') as (buffer: Buffer) => number;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tableLoop = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C') as (buffer: Buffer) => number;

describe('kafkajs record batch checksum (patched)', () => {
  it('when the standard check string is summed, then it is the CRC32C check value', () => {
    expect(patched(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('when buffers of every size up to a produce request are summed, then the native and the JavaScript checksums agree', () => {
    for (const size of [0, 1, 7, 8, 9, 63, 64, 1000, 65_536, 196_608]) {
      const buffer = randomBytes(size);
      expect(patched(buffer)).toBe(tableLoop(buffer) >>> 0);
    }
    // A view into a larger buffer, as kafkajs passes slices of its encoder's buffer.
    const big = randomBytes(4096);
    expect(patched(big.subarray(100, 3000))).toBe(tableLoop(big.subarray(100, 3000)) >>> 0);
  });
});
