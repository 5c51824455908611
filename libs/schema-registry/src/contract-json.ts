/**
 * A decoded Avro/Protobuf/JSON value as JSON text for our own event contract (decodeCallEvent),
 * so framed and plain events pass exactly the same checks. Avro writes an optional field as a
 * union with null and Protobuf has no "absent" for a nested message: a null is an absent field.
 */
export function toContractJson(decoded: unknown): Buffer {
  return Buffer.from(JSON.stringify(decoded, (_key, value: unknown) => (value === null ? undefined : typeof value === 'bigint' ? Number(value) : value)), 'utf8');
}
