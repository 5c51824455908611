import type { OutgoingMessage, TopicMessages } from '../port/outgoing-message';

/** Bytes a message adds to a produce request: key, value, headers, plus a record's framing. */
export function messageBytes(m: OutgoingMessage): number {
  let n = (m.key?.length ?? 0) + (typeof m.value === 'string' ? Buffer.byteLength(m.value) : m.value.length) + 64;
  if (m.headers) {
    for (const [k, v] of Object.entries(m.headers)) {
      for (const one of Array.isArray(v) ? v : [v]) n += k.length + 8 + (one === null ? 0 : typeof one === 'string' ? Buffer.byteLength(one) : one.length);
    }
  }
  return n;
}

/** Splits the messages into request-sized groups, keeping their order. A message over the limit goes out alone. */
export function splitByBytes(batches: readonly TopicMessages[], maxBytes: number): TopicMessages[][] {
  const requests: TopicMessages[][] = [];
  let current: TopicMessages[] = [];
  let size = 0;
  for (const batch of batches) {
    let part: TopicMessages | undefined;
    for (const message of batch.messages) {
      const bytes = messageBytes(message);
      if (size > 0 && size + bytes > maxBytes) {
        requests.push(current);
        current = [];
        size = 0;
        part = undefined;
      }
      if (!part) {
        part = { topic: batch.topic, messages: [] };
        current.push(part);
      }
      part.messages.push(message);
      size += bytes;
    }
  }
  if (current.length > 0) requests.push(current);
  return requests;
}
