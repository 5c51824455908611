import { describe, expect, it } from '@jest/globals';
import avro from 'avsc';
import { defaultDecodeLimits } from '@sentiment/events';
import { createJsonSchemaCompiler, decodeWithSchema, toContractJson, type ResolvedSchema } from '../src';

const AVRO = avro.Type.forSchema({
  type: 'record',
  name: 'Call',
  fields: [
    { name: 'call_id', type: 'string' },
    { name: 'text', type: ['null', 'string'], default: null },
    { name: 'metadata', type: ['null', { type: 'map', values: 'string' }], default: null },
  ],
});

const frame = (id: number, payload: Buffer): Buffer => {
  const header = Buffer.alloc(5);
  header.writeInt32BE(id, 1);
  return Buffer.concat([header, payload]);
};

const avroSchema: ResolvedSchema = { id: 7, type: 'AVRO', schema: AVRO };

describe('decodeWithSchema', () => {
  it('when an Avro value decodes, then optional nulls become absent fields and our contract accepts it', () => {
    const result = decodeWithSchema(frame(7, AVRO.toBuffer({ call_id: 'c1', text: 'thanks!', metadata: null })), avroSchema, defaultDecodeLimits);
    expect(result).toEqual({ ok: true, event: { call_id: 'c1', text: 'thanks!' } });
  });

  it('when an Avro value decodes to an event without text, then our contract refuses it (SCHEMA_VIOLATION)', () => {
    const result = decodeWithSchema(frame(7, AVRO.toBuffer({ call_id: 'c1', text: null, metadata: { q: 'x' } })), avroSchema, defaultDecodeLimits);
    expect(result).toMatchObject({ ok: false, reason: 'SCHEMA_VIOLATION' });
  });

  it('when the bytes are not Avro of the writer schema, then UNDECODABLE_PAYLOAD', () => {
    const bytes = Buffer.concat([AVRO.toBuffer({ call_id: 'c1', text: 'a', metadata: null }), Buffer.from([1, 2, 3])]);
    expect(decodeWithSchema(frame(7, bytes), avroSchema, defaultDecodeLimits)).toMatchObject({ ok: false, reason: 'UNDECODABLE_PAYLOAD' });
    expect(decodeWithSchema(frame(7, Buffer.from([0xff, 0xff, 0xff])), avroSchema, defaultDecodeLimits)).toMatchObject({ ok: false, reason: 'UNDECODABLE_PAYLOAD' });
  });

  it('when a JSON Schema payload nests deeper than the limit, then NESTING_TOO_DEEP before anything parses it', () => {
    const deep = Buffer.from(`{"call_id":"a","text":"t","metadata":${'['.repeat(50)}${']'.repeat(50)}}`);
    const json: ResolvedSchema = { id: 8, type: 'JSON', schema: { fromBuffer: () => { throw new Error('must not be called'); } } };
    expect(decodeWithSchema(frame(8, deep), json, defaultDecodeLimits)).toMatchObject({ ok: false, reason: 'NESTING_TOO_DEEP' });
  });

  it('when the writer schema is Protobuf, then SCHEMA_UNSUPPORTED (the registry client cannot read Protobuf to our contract)', () => {
    const proto: ResolvedSchema = { id: 9, type: 'PROTOBUF', schema: { fromBuffer: () => { throw new Error('must not be called'); } } };
    expect(decodeWithSchema(frame(9, Buffer.from([0, 0x0a, 0x01, 0x61])), proto, defaultDecodeLimits)).toMatchObject({ ok: false, reason: 'SCHEMA_UNSUPPORTED' });
  });
});

describe('toContractJson', () => {
  it('when a value has nulls and a bigint, then nulls are dropped from objects and the bigint is a number', () => {
    expect(String(toContractJson({ a: null, b: 1n, c: [1, null], d: { e: null } }))).toBe('{"b":1,"c":[1,null],"d":{}}');
  });
});

describe('createJsonSchemaCompiler', () => {
  it('when schemas declare draft-07 and 2020-12, then each compiles with its own draft, and a reused $id does not clash', () => {
    const compiler = createJsonSchemaCompiler();
    const draft7 = compiler.compile({ $schema: 'http://json-schema.org/draft-07/schema#', $id: 'https://example.com/same-id.json', type: 'object', required: ['a'] });
    const draft2020 = compiler.compile({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'https://example.com/same-id.json', type: 'object', required: ['b'], dependentRequired: { b: ['c'] } });
    expect(draft7({ a: 1 })).toBe(true);
    expect(draft7({})).toBe(false);
    // dependentRequired exists from 2019-09 on: applied only if the 2020-12 draft was used.
    expect(draft2020({ b: 1, c: 1 })).toBe(true);
    expect(draft2020({ b: 1 })).toBe(false);
  });
});
