import type { IHeaders } from 'kafkajs';
import type { OutgoingHeaders } from '../port/outgoing-message';

/**
 * Kafka headers may have a null value (Java's `new RecordHeader(k, null)`, `kcat -H name`), and
 * kafkajs 2.2.4 reads them as null but throws when asked to produce one (it takes the byte length
 * of the value before checking for null). Null values go out empty instead, and `listHeader`
 * (when given) names them, so a reader can restore the nulls.
 */
export function toKafkajsHeaders(headers: OutgoingHeaders | undefined, listHeader: string | undefined): IHeaders | undefined {
  if (!headers) return undefined;
  let nullValued: string[] | undefined;
  const out: IHeaders = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (Array.isArray(raw)) {
      if (raw.some((v) => v === null)) (nullValued ??= []).push(name);
      out[name] = raw.map((v) => v ?? Buffer.alloc(0));
    } else if (raw === null || raw === undefined) {
      (nullValued ??= []).push(name);
      out[name] = Buffer.alloc(0);
    } else {
      out[name] = raw;
    }
  }
  if (nullValued && listHeader) out[listHeader] = JSON.stringify(nullValued);
  return out;
}
