/**
 * The Confluent wire format that registry serializers write: magic byte 0, the schema id as a
 * 4-byte big-endian integer, then the encoded payload (for Protobuf, a list of message indexes
 * comes first). Framing is checked here without the registry, so a value that is not framed
 * costs one byte comparison.
 */
export const MAGIC_BYTE = 0;
export const FRAME_HEADER_BYTES = 5;

/**
 * Whether a value looks registry-framed. A JSON text never starts with a NUL byte, which is what
 * lets INPUT_FORMAT=auto tell the two apart with certainty.
 */
export function isRegistryFramed(value: Buffer | null): boolean {
  return value !== null && value.length >= FRAME_HEADER_BYTES && value[0] === MAGIC_BYTE;
}

/** The schema id of a framed value (call only after isRegistryFramed). */
export function frameSchemaId(value: Buffer): number {
  return value.readInt32BE(1);
}

/**
 * Message indexes at the start of a Protobuf payload: which message of the schema file was
 * written. Confluent writes a zig-zag varint count, then that many zig-zag varint indexes; the
 * common case, the file's first message, is the single byte 0 (meaning [0]). Returns the indexes
 * and where the message bytes start, or undefined when the bytes are not a valid index list.
 */
export function readProtobufMessageIndexes(payload: Buffer): { indexes: number[]; offset: number } | undefined {
  let offset = 0;
  const next = (): number | undefined => {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (offset >= payload.length) return undefined;
      const byte = payload[offset++] as number;
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return (result >>> 1) ^ -(result & 1);
    }
    return undefined;
  };
  const count = next();
  if (count === undefined || count < 0 || count > 100) return undefined;
  if (count === 0) return { indexes: [0], offset };
  const indexes: number[] = [];
  for (let i = 0; i < count; i++) {
    const index = next();
    if (index === undefined || index < 0) return undefined;
    indexes.push(index);
  }
  return { indexes, offset };
}
