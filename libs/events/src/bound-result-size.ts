import type { SentimentResult } from './schemas/sentiment-result.schema';

/** What a result left out to fit its topic: the `truncated` field of the result contract. */
export type ResultTruncation = NonNullable<SentimentResult['truncated']>;

/** `result` is what `json` serialises (for encoders that take the object). */
export type BoundedResult = { ok: true; json: string; result: SentimentResult; truncation?: ResultTruncation } | { ok: false; bytes: number };

const utf8Length = (json: string) => Buffer.byteLength(json, 'utf8');

/**
 * The result as JSON of at most `maxBytes` bytes. Overall, trajectory and source figures are
 * always kept; what grows with the call is given up in this order until it fits: per-segment
 * detail beyond the first segments that fit, the per-speaker breakdown, the input's metadata
 * echoed back. What was left out is stated in `truncated`. `ok: false` when even that is too
 * large (the caller dead-letters the input as RESULT_TOO_LARGE).
 *
 * `reserveBytes` is counted as if it were in the JSON (the reported `bytes` include it): room for a
 * field whose width varies from run to run (a timing), so that what is kept does not.
 */
export function boundResultSize(result: SentimentResult, maxBytes: number, reserveBytes = 0): BoundedResult {
  const byteLength = (json: string) => utf8Length(json) + reserveBytes;
  const full = JSON.stringify(result);
  if (byteLength(full) <= maxBytes) return { ok: true, json: full, result };

  const truncation: ResultTruncation = { reason: 'max_message_bytes', limit_bytes: maxBytes };
  const segments = result.segments ?? [];
  if (segments.length > 0) {
    truncation.segments_total = segments.length;
    // The most leading segments that fit: sizes grow with the count, so a binary search finds it.
    const attempt = (kept: number): SentimentResult => ({ ...result, segments: segments.slice(0, kept), truncated: { ...truncation, segments_kept: kept } });
    let lo = 0;
    let hi = segments.length - 1;
    let best: { json: string; result: SentimentResult } | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const candidate = attempt(mid);
      const json = JSON.stringify(candidate);
      if (byteLength(json) <= maxBytes) {
        best = { json, result: candidate };
        truncation.segments_kept = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (best !== undefined) return { ok: true, ...best, truncation: { ...truncation } };
    truncation.segments_kept = 0;
  }

  const reduced: SentimentResult = { ...result, ...(segments.length > 0 ? { segments: [] } : {}) };
  if (reduced.speakers !== undefined) {
    truncation.speakers_total = Object.keys(reduced.speakers).length;
    delete reduced.speakers;
    const candidate: SentimentResult = { ...reduced, truncated: truncation };
    const json = JSON.stringify(candidate);
    if (byteLength(json) <= maxBytes) return { ok: true, json, result: candidate, truncation };
  }
  if (reduced.metadata !== undefined) {
    truncation.metadata_omitted = true;
    delete reduced.metadata;
  }
  const candidate: SentimentResult = { ...reduced, truncated: truncation };
  const json = JSON.stringify(candidate);
  const bytes = byteLength(json);
  return bytes <= maxBytes ? { ok: true, json, result: candidate, truncation } : { ok: false, bytes };
}
