/**
 * W3C trace context (https://www.w3.org/TR/trace-context/) carried from an input's headers
 * onto its result and dead letter. Headers arrive as bytes (kafkajs gives Buffers, or null for
 * a header without a value); we only accept well-formed ASCII values, never decode anything
 * else, and pass accepted values on unchanged.
 */

// version-traceid-parentid-flags, lowercase hex only (the spec's HEXDIGLC); a future version may
// append fields after a '-', which we keep but do not interpret.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** Larger values are dropped rather than carried: the spec allows at most 32 list members of 256 chars. */
const MAX_TRACESTATE_CHARS = 8192;

export interface TraceContext {
  traceparent: string;
  tracestate?: string;
  /** trace-id part of traceparent, for log lines. */
  traceId: string;
}

export type HeaderValue = Buffer | string | null | readonly (Buffer | string | null)[] | undefined;

/** Printable ASCII as a string, or undefined for a missing/null value or any other byte. */
function asciiText(value: Buffer | string | null | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const buf = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  for (const byte of buf) if (byte < 0x20 || byte > 0x7e) return undefined;
  return buf.toString('latin1');
}

function parseTraceparent(value: HeaderValue): { traceparent: string; traceId: string } | undefined {
  // Two traceparent headers contradict each other: the spec says to ignore both.
  if (Array.isArray(value) && value.length !== 1) return undefined;
  const text = asciiText(Array.isArray(value) ? value[0] : value)?.trim();
  const match = text === undefined ? null : TRACEPARENT.exec(text);
  if (!text || !match) return undefined;
  const [, version, traceId = '', parentId = '', , rest] = match;
  if (version === 'ff') return undefined;
  // Version 00 has exactly four fields; only later versions may add more.
  if (version === '00' && rest !== undefined) return undefined;
  if (/^0+$/.test(traceId) || /^0+$/.test(parentId)) return undefined;
  return { traceparent: text, traceId };
}

function parseTracestate(value: HeaderValue): string | undefined {
  // Several tracestate headers form one list (as in HTTP): join them in order.
  const parts = (Array.isArray(value) ? value : [value]).map(asciiText);
  if (parts.some((p) => p === undefined)) return undefined;
  const joined = (parts as string[]).map((p) => p.trim()).filter((p) => p.length > 0).join(',');
  return joined.length > 0 && joined.length <= MAX_TRACESTATE_CHARS ? joined : undefined;
}

/**
 * The trace context of a Kafka message, or undefined when it has none or an invalid one.
 * tracestate is only kept with a valid traceparent (the spec forbids using it alone).
 */
export function extractTraceContext(headers: Readonly<Record<string, HeaderValue>> | undefined): TraceContext | undefined {
  if (!headers) return undefined;
  const parent = parseTraceparent(headers['traceparent']);
  if (!parent) return undefined;
  const tracestate = parseTracestate(headers['tracestate']);
  return { ...parent, ...(tracestate ? { tracestate } : {}) };
}
