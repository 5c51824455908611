import type { IHeaders } from 'kafkajs';

/**
 * Kafka headers may have a null value (Java's `new RecordHeader(k, null)`, `kcat -H name`), and
 * kafkajs 2.2.4 reads them as null but throws when asked to produce one (it takes the byte length
 * of the value before checking for null). To copy foreign headers onto an outgoing message, null
 * values become empty values and their names are reported, so the caller can record them.
 */
export function withoutNullHeaderValues(headers: IHeaders): { headers: IHeaders; nullValued: string[] } {
  const out: IHeaders = {};
  const nullValued: string[] = [];
  for (const [name, raw] of Object.entries(headers as Record<string, IHeaders[string] | null>)) {
    if (Array.isArray(raw)) {
      const values = raw as (Buffer | string | null)[];
      if (values.some((v) => v === null)) nullValued.push(name);
      out[name] = values.map((v) => v ?? Buffer.alloc(0));
    } else if (raw === null || raw === undefined) {
      nullValued.push(name);
      out[name] = Buffer.alloc(0);
    } else {
      out[name] = raw;
    }
  }
  return { headers: out, nullValued };
}
