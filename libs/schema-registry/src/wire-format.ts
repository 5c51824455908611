/**
 * The Confluent wire format that registry serializers write: magic byte 0, the schema id as a
 * 4-byte big-endian integer, then the encoded payload. Framing is checked here without the registry, so a value that is not framed
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
