import { describe, expect, it } from '@jest/globals';
import { frameSchemaId, isRegistryFramed } from '../src';

describe('Confluent wire format', () => {
  it('when a value starts with magic byte 0 and has a schema id, then it is framed and the id is read big-endian', () => {
    const value = Buffer.from([0, 0, 0, 1, 2, 0x7b]);
    expect(isRegistryFramed(value)).toBe(true);
    expect(frameSchemaId(value)).toBe(258);
  });

  it.each([
    ['null', null],
    ['empty', Buffer.alloc(0)],
    ['JSON text', Buffer.from('{"call_id":"a"}')],
    ['a NUL byte too short for an id', Buffer.from([0, 0, 0, 1])],
    ['whitespace before JSON', Buffer.from(' {}')],
  ])('when the value is %s, then it is not framed', (_name, value) => {
    expect(isRegistryFramed(value)).toBe(false);
  });
});
