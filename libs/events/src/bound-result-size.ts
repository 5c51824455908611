import type { SentimentResult } from './schemas/sentiment-result.schema';

/** What a result left out to fit its topic: the `truncated` field of the result contract. */
export type ResultTruncation = NonNullable<SentimentResult['truncated']>;

export type BoundedResult = { ok: true; json: string; truncation?: ResultTruncation } | { ok: false; bytes: number };

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
  if (byteLength(full) <= maxBytes) return { ok: true, json: full };

  const truncation: ResultTruncation = { reason: 'max_message_bytes', limit_bytes: maxBytes };
  const segments = result.segments ?? [];
  if (segments.length > 0) {
    truncation.segments_total = segments.length;
    // The most leading segments that fit: sizes grow with the count, so a binary search finds it.
    const attempt = (kept: number) => JSON.stringify({ ...result, segments: segments.slice(0, kept), truncated: { ...truncation, segments_kept: kept } });
    let lo = 0;
    let hi = segments.length - 1;
    let best: string | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const json = attempt(mid);
      if (byteLength(json) <= maxBytes) {
        best = json;
        truncation.segments_kept = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (best !== undefined) return { ok: true, json: best, truncation: { ...truncation } };
    truncation.segments_kept = 0;
  }

  const reduced: SentimentResult = { ...result, ...(segments.length > 0 ? { segments: [] } : {}) };
  if (reduced.speakers !== undefined) {
    truncation.speakers_total = Object.keys(reduced.speakers).length;
    delete reduced.speakers;
    const json = JSON.stringify({ ...reduced, truncated: truncation });
    if (byteLength(json) <= maxBytes) return { ok: true, json, truncation };
  }
  if (reduced.metadata !== undefined) {
    truncation.metadata_omitted = true;
    delete reduced.metadata;
  }
  const json = JSON.stringify({ ...reduced, truncated: truncation });
  const bytes = byteLength(json);
  return bytes <= maxBytes ? { ok: true, json, truncation } : { ok: false, bytes };
}
