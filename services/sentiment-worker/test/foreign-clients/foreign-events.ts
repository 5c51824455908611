/** One input event as a foreign producer writes it: a `key<TAB>value` line, key = call_id. */
export interface ForeignEvent {
  callId: string;
  value: string;
  /** Set on the events that carry a W3C traceparent header. */
  traceparent?: string;
}

export const TRACESTATE = 'vendor=opaque';

const TEXTS = [
  'Thank you so much, the agent was wonderful and fixed it fast.',
  'I have been waiting for an hour, this is awful and I am angry.',
  'Please update the billing address on my account.',
  'Café déjà vu: naïve question ☕ but great service 😀',
];

/** A valid traceparent whose trace id encodes the producer and codec (readable in failures). */
export function traceparentFor(producer: string, codec: string, seq = 0): string {
  const hex = Buffer.from(`${producer}:${codec}:${seq}`).toString('hex').padEnd(32, '0').slice(0, 32);
  return `00-${hex}-00f067aa0ba902b7-01`;
}

/** `count` call events from one producer and codec; values are single-line JSON without tabs. */
export function foreignEvents(producer: string, codec: string, count: number): ForeignEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const callId = `${producer}-${codec}-${i}`;
    const value =
      i % 3 === 2
        ? JSON.stringify({
            call_id: callId,
            segments: [
              { speaker: 'customer', text: TEXTS[i % TEXTS.length], start_ms: 0, end_ms: 4000 },
              { speaker: 'agent', text: TEXTS[(i + 1) % TEXTS.length], start_ms: 4000, end_ms: 9000 },
            ],
          })
        : JSON.stringify({ call_id: callId, text: TEXTS[i % TEXTS.length] });
    return { callId, value };
  });
}

/** `key<TAB>value` lines for kcat -K '\t' (its -H headers apply to every line of a run). */
export function kcatLines(events: readonly ForeignEvent[]): string {
  return events.map((e) => `${e.callId}\t${e.value}\n`).join('');
}

/**
 * Lines for the Java console producer with parse.headers=true and parse.key=true:
 * `name:value,name:value<TAB>key<TAB>value`. Every line needs a header part, so untraced
 * events carry an unrelated header.
 */
export function javaLines(events: readonly ForeignEvent[]): string {
  return events
    .map((e) => {
      const headers = e.traceparent ? `traceparent:${e.traceparent},tracestate:${TRACESTATE}` : 'origin:java-console-producer';
      return `${headers}\t${e.callId}\t${e.value}\n`;
    })
    .join('');
}
