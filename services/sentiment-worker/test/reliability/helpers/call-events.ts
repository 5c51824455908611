import type { JsonMessage } from '@sentiment/testing';

const TEXTS = [
  'I am so happy with this service, thank you very much!',
  'This is awful. I have been waiting for an hour and nobody helps me.',
  'Can you tell me when the invoice is due?',
  'Great, that fixed it. You are a star.',
  'I want to cancel. The app crashes every single day and I am angry.',
  'The package arrived on Tuesday.',
];

/** `count` valid call events with keys `<prefix>-<n>`, numbered from `from`. */
export function callEvents(count: number, prefix: string, from = 0, repeat = 1): JsonMessage[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    // `repeat` lengthens the transcript so scoring takes longer (a batch is then in flight for a while).
    const text = Array.from({ length: repeat }, (_, k) => TEXTS[(n + k) % TEXTS.length] as string).join(' ');
    return { key: `${prefix}-${n}`, value: { call_id: `${prefix}-${n}`, text } };
  });
}
