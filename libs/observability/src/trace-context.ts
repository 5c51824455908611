/**
 * W3C trace context (https://www.w3.org/TR/trace-context/) carried from an input's headers
 * onto its result and dead letter. Headers arrive as bytes; we only accept well-formed
 * ASCII values and pass them on byte-for-byte.
 */
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

export interface TraceContext {
  traceparent: string;
  tracestate?: string;
  /** trace-id part of traceparent, for log lines. */
  traceId: string;
}

type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

function headerText(value: HeaderValue): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  const buf = typeof first === 'string' ? Buffer.from(first, 'latin1') : first;
  // Only printable ASCII is legal in both headers; anything else is ignored, never decoded.
  for (const byte of buf) if (byte < 0x20 || byte > 0x7e) return undefined;
  return buf.toString('latin1');
}

export function extractTraceContext(headers: Record<string, HeaderValue> | undefined): TraceContext | undefined {
  if (!headers) return undefined;
  const traceparent = headerText(headers['traceparent'])?.trim().toLowerCase();
  if (!traceparent || !TRACEPARENT.test(traceparent) || traceparent.startsWith('ff')) return undefined;
  const traceId = traceparent.slice(3, 35);
  if (/^0+$/.test(traceId)) return undefined;
  const tracestate = headerText(headers['tracestate']);
  return { traceparent, traceId, ...(tracestate ? { tracestate } : {}) };
}
