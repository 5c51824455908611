/** Transcripts sent both registry-framed and as plain JSON, so the two paths can be compared. */
export const TRANSCRIPTS = [
  { text: 'I am so happy with this service, thank you very much!' },
  { text: 'This is awful. I have been waiting for an hour and nobody helps me.' },
  {
    segments: [
      { speaker: 'customer', text: 'I was charged twice and I am really frustrated.', start_ms: 0, end_ms: 4200 },
      { speaker: 'agent', text: 'I am sorry. I have issued a refund.', start_ms: 4600, end_ms: 7100 },
      { speaker: 'customer', text: 'Thank you, you have been great.', start_ms: 7500, end_ms: 9300 },
    ],
  },
  { text: 'Can you tell me when the invoice is due?' },
] as const;

export function callEvent(prefix: string, n: number): { call_id: string; language: string; metadata: Record<string, string> } & (typeof TRANSCRIPTS)[number] {
  const transcript = TRANSCRIPTS[n % TRANSCRIPTS.length] as (typeof TRANSCRIPTS)[number];
  return { call_id: `${prefix}-${n}`, language: 'en', metadata: { queue: 'billing' }, ...transcript };
}

/** The parts of a result that depend only on the transcript (not on offsets or timings). */
export function scoredPart(result: Record<string, unknown>): unknown {
  const { label, scores, confidence, model, chunks, segments, speakers, language, metadata } = result;
  return { label, scores, confidence, model, chunks, segments, speakers, language, metadata };
}
