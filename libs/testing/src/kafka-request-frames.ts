/**
 * Just enough of Kafka's request encoding to tell requests apart and read the group membership a
 * TxnOffsetCommit carries (KIP-447). A frame is the int32 size prefix followed by the request.
 */

/** The part of a request header every version shares (header v1 and v2 both start like this). */
export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  /** null when the client sent none. */
  clientId: string | null;
}

/** The fields KIP-447 added to TxnOffsetCommit (v3+); older versions carry only the group id. */
export interface TxnOffsetCommitMembership {
  apiVersion: number;
  transactionalId: string;
  groupId: string;
  /** -1 when the request has no such field (v0-v2) or the client sent the default. */
  generationId: number;
  /** '' when absent. */
  memberId: string;
  groupInstanceId: string | null;
}

// size(4) api_key(2) api_version(2) correlation_id(4) client_id(int16 length + bytes)
const HEADER_FIXED = 4 + 2 + 2 + 4;

/** The header of one request frame, or undefined when the frame is too short to hold one. */
export function parseRequestHeader(frame: Buffer): RequestHeader | undefined {
  if (frame.length < HEADER_FIXED + 2) return undefined;
  const clientIdLength = frame.readInt16BE(HEADER_FIXED);
  const clientIdEnd = HEADER_FIXED + 2 + Math.max(0, clientIdLength);
  if (clientIdEnd > frame.length) return undefined;
  return {
    apiKey: frame.readInt16BE(4),
    apiVersion: frame.readInt16BE(6),
    correlationId: frame.readInt32BE(8),
    clientId: clientIdLength < 0 ? null : frame.toString('utf8', HEADER_FIXED + 2, clientIdEnd),
  };
}

const TXN_OFFSET_COMMIT = 28;
/** TxnOffsetCommit is a flexible version (compact strings, tagged fields) from v3, the version that added the membership. */
const TXN_OFFSET_COMMIT_FLEXIBLE = 3;

class FrameReader {
  constructor(
    private readonly buf: Buffer,
    public pos: number,
  ) {}

  int16(): number {
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  int64(): bigint {
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.buf.readUInt8(this.pos++);
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value >>> 0;
    }
    throw new RangeError('varint too long');
  }

  string(): string {
    const length = this.int16();
    return this.bytes(length);
  }

  /** Compact (nullable) string: uvarint length + 1, 0 for null. */
  compactString(): string | null {
    const lengthPlusOne = this.uvarint();
    if (lengthPlusOne === 0) return null;
    return this.bytes(lengthPlusOne - 1);
  }

  /** Skips tagged fields: a count, then (tag, size, bytes) per field. */
  taggedFields(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint();
      this.pos += this.uvarint();
    }
  }

  private bytes(length: number): string {
    const s = this.buf.toString('utf8', this.pos, this.pos + length);
    this.pos += length;
    return s;
  }
}

/** The transactional id, group and membership a TxnOffsetCommit request frame carries; undefined for any other request. */
export function txnOffsetCommitMembership(frame: Buffer): TxnOffsetCommitMembership | undefined {
  const header = parseRequestHeader(frame);
  if (!header || header.apiKey !== TXN_OFFSET_COMMIT) return undefined;
  const flexible = header.apiVersion >= TXN_OFFSET_COMMIT_FLEXIBLE;
  const r = new FrameReader(frame, HEADER_FIXED);
  r.string(); // client id
  if (flexible) {
    // Request header v2 ends with tagged fields; the body uses compact strings.
    r.taggedFields();
    const transactionalId = r.compactString() ?? '';
    const groupId = r.compactString() ?? '';
    r.int64(); // producer id
    r.int16(); // producer epoch
    const generationId = r.int32();
    const memberId = r.compactString() ?? '';
    const groupInstanceId = r.compactString();
    return { apiVersion: header.apiVersion, transactionalId, groupId, generationId, memberId, groupInstanceId };
  }
  const transactionalId = r.string();
  const groupId = r.string();
  return { apiVersion: header.apiVersion, transactionalId, groupId, generationId: -1, memberId: '', groupInstanceId: null };
}
