import { decodeCallEvent, jsonDepthExceeds, type DecodeLimits, type DecodeResult } from '@sentiment/events';
import { errorMessage } from '@sentiment/errors';
import { toContractJson } from './contract-json';
import type { ResolvedSchema, SchemaLookup } from './schema-lookup';
import { SchemaRegistryError } from './schema-registry-errors';
import { FRAME_HEADER_BYTES, frameSchemaId, isRegistryFramed } from './wire-format';

/** `registry`: every value must be framed; `auto`: framed values go through the registry, others are plain JSON. */
export type InputFormat = 'registry' | 'auto';

/**
 * The decode hook of the data path. `decodeBatch` looks at a batch's values and returns
 * undefined at once (no promise) when none needs the registry, so plain JSON costs one byte
 * comparison per message. Otherwise it resolves to one entry per message: a DecodeResult for the
 * values it decoded (or refused), undefined for those left to decodeCallEvent as usual.
 */
export interface InputDecoder {
  decodeBatch(values: readonly { value: Buffer | null }[]): Promise<(DecodeResult | undefined)[]> | undefined;
}

export class RegistryInputDecoder implements InputDecoder {
  constructor(
    private readonly format: InputFormat,
    private readonly lookup: SchemaLookup,
    private readonly limits: DecodeLimits,
  ) {}

  decodeBatch(values: readonly { value: Buffer | null }[]): Promise<(DecodeResult | undefined)[]> | undefined {
    if (this.format === 'registry') return this.decodeFramed(values);
    for (let i = 0; i < values.length; i++) if (isRegistryFramed((values[i] as { value: Buffer | null }).value)) return this.decodeFramed(values);
    return undefined;
  }

  private async decodeFramed(values: readonly { value: Buffer | null }[]): Promise<(DecodeResult | undefined)[]> {
    // One lookup per distinct schema id, all at once; cached ids resolve without the network.
    const ids = new Set<number>();
    for (const { value } of values) if (value !== null && isRegistryFramed(value) && value.length <= this.limits.maxMessageBytes) ids.add(frameSchemaId(value));
    const schemas = new Map<number, ResolvedSchema | SchemaRegistryError>();
    await Promise.all(
      [...ids].map(async (id) => {
        const hit = this.lookup.cached(id);
        if (hit) {
          schemas.set(id, hit);
          return;
        }
        try {
          schemas.set(id, await this.lookup.get(id));
        } catch (err) {
          schemas.set(id, err instanceof SchemaRegistryError ? err : new SchemaRegistryError('SCHEMA_REGISTRY_UNAVAILABLE', errorMessage(err), { cause: err }));
        }
      }),
    );
    return values.map(({ value }) => {
      if (value === null || !isRegistryFramed(value)) {
        // Empty values are left to decodeCallEvent (EMPTY_MESSAGE); anything else is not what registry mode promised.
        if (this.format === 'auto' || value === null || value.length === 0) return undefined;
        return { ok: false, reason: 'NOT_SCHEMA_FRAMED', message: 'INPUT_FORMAT=registry: the value does not start with the magic byte 0 and a schema id' };
      }
      // Too large: decodeCallEvent says MESSAGE_TOO_LARGE without anything being decoded.
      if (value.length > this.limits.maxMessageBytes) return undefined;
      const schema = schemas.get(frameSchemaId(value));
      if (schema === undefined || schema instanceof SchemaRegistryError) {
        const failure = schema ?? new SchemaRegistryError('SCHEMA_REGISTRY_UNAVAILABLE', 'schema lookup did not finish');
        return { ok: false, reason: failure.code as DecodeFailureReason, message: failure.message };
      }
      return decodeWithSchema(value, schema, this.limits);
    });
  }
}

type DecodeFailureReason = 'SCHEMA_NOT_FOUND' | 'SCHEMA_REGISTRY_UNAVAILABLE' | 'SCHEMA_UNSUPPORTED';

/** One framed value through its writer schema, then through our own event contract. Total. */
export function decodeWithSchema(value: Buffer, resolved: ResolvedSchema, limits: DecodeLimits): DecodeResult {
  if (resolved.type === 'PROTOBUF') {
    // The registry client reads only a Protobuf schema's first message and parses it with
    // protobufjs' default of renaming fields to camelCase (call_id -> callId), with no option to
    // change either: Protobuf events would not meet our contract (docs/dependencies.md).
    return { ok: false, reason: 'SCHEMA_UNSUPPORTED', message: `schema ${resolved.id} is Protobuf, which this worker does not read (Avro and JSON Schema only)` };
  }
  const payload = value.subarray(FRAME_HEADER_BYTES);
  // JSON payloads are parsed by the library: bound their nesting first, as for plain JSON.
  if (resolved.type === 'JSON' && jsonDepthExceeds(payload, limits.maxJsonDepth)) {
    return { ok: false, reason: 'NESTING_TOO_DEEP', message: `JSON nesting deeper than ${limits.maxJsonDepth}` };
  }
  let decoded: unknown;
  try {
    decoded = resolved.schema.fromBuffer(payload);
  } catch (err) {
    return { ok: false, reason: 'UNDECODABLE_PAYLOAD', message: `${resolved.type} payload does not decode with schema ${resolved.id}: ${errorMessage(err)}`.slice(0, 300) };
  }
  let json: Buffer;
  try {
    json = toContractJson(decoded);
  } catch (err) {
    return { ok: false, reason: 'UNDECODABLE_PAYLOAD', message: `decoded ${resolved.type} value is not representable as JSON: ${errorMessage(err)}`.slice(0, 300) };
  }
  return decodeCallEvent(json, limits);
}
