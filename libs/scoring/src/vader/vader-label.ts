import type { SentimentLabel } from '../scorer';

/** The customary VADER cut-offs (Hutto & Gilbert): |compound| under 0.05 is neutral. */
export const VADER_POSITIVE_THRESHOLD = 0.05;
export const VADER_NEGATIVE_THRESHOLD = -0.05;

export function vaderLabel(compound: number): SentimentLabel {
  if (compound >= VADER_POSITIVE_THRESHOLD) return 'positive';
  if (compound <= VADER_NEGATIVE_THRESHOLD) return 'negative';
  return 'neutral';
}
