import { DeadLetterHeaders, isReplayableReason } from '@sentiment/events';
import { restoreOriginalTrace } from '@sentiment/observability';
import type { ReplayOptions } from './replay-options';

/** Header on a replayed input naming the dead letter it came from: `<dlq topic>/<partition>/<offset>`. */
export const REPLAYED_FROM_HEADER = 'x-replayed-from';

export type HeaderValue = Buffer | string | null | undefined | (Buffer | string | null)[];

/** A record read from the dead-letter topic. */
export interface DeadLetterRecordRead {
  partition: number;
  offset: string;
  /** Record timestamp (ms since epoch, as text): when it was dead-lettered. */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, HeaderValue>;
}

/** A dead letter turned back into the input it was. */
export interface ReplayMessage {
  topic: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, HeaderValue>;
  /** Header names that were null on the input (restored as null). */
  nullHeaders: string[];
}

export type ReplayDecision =
  | { action: 'replay'; reason: string; message: ReplayMessage }
  /** Not this run's business (another reason than asked for): the letter's own progress group is untouched. */
  | { action: 'ignore'; reason: string }
  /** Handled for good by this run without publishing: counted, and the reason's progress moves past it. */
  | { action: 'skip'; reason: string; why: SkipWhy }
  /** --until reached: this partition's pass ends here, nothing after it is decided. */
  | { action: 'stop'; reason: string };

export type SkipWhy = 'truncated' | 'not-replayable' | 'before-since' | 'no-source-topic';

const WORKER_HEADERS: ReadonlySet<string> = new Set(Object.values(DeadLetterHeaders));

function text(value: HeaderValue): string | undefined {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : v.toString('utf8');
}

/** The reason code of a dead letter (`x-dlq-reason`), or `UNKNOWN` for a record that has none. */
export function reasonOf(letter: DeadLetterRecordRead): string {
  return text(letter.headers[DeadLetterHeaders.reason]) ?? 'UNKNOWN';
}

/**
 * What to do with one dead letter, given the run's options. `reasons` is the resolved set of
 * reasons this run replays. Pure: the same letter and options always give the same decision.
 */
export function decideReplay(
  letter: DeadLetterRecordRead,
  options: Pick<ReplayOptions, 'since' | 'until' | 'force'>,
  reasons: ReadonlySet<string>,
  fallbackTopic: string,
  dlqTopic: string,
): ReplayDecision {
  const reason = reasonOf(letter);
  if (!reasons.has(reason)) return { action: 'ignore', reason };
  const at = Number(letter.timestamp);
  if (options.until !== undefined && at > options.until) return { action: 'stop', reason };
  if (options.since !== undefined && at < options.since) return { action: 'skip', reason, why: 'before-since' };
  // A cut value is not the input any more: replaying it would only dead-letter it again, differently.
  if (text(letter.headers[DeadLetterHeaders.truncated]) === 'true') return { action: 'skip', reason, why: 'truncated' };
  if (!options.force && !isReplayableReason(reason)) return { action: 'skip', reason, why: 'not-replayable' };
  const topic = text(letter.headers[DeadLetterHeaders.sourceTopic]) ?? fallbackTopic;
  if (!topic) return { action: 'skip', reason, why: 'no-source-topic' };
  return { action: 'replay', reason, message: toReplayMessage(letter, topic, dlqTopic) };
}

/**
 * The input as it was consumed: original key, bytes and headers (the worker's own x-dlq-* and
 * x-source-* headers removed, null header values and the input's trace context restored), plus
 * provenance in `x-replayed-from`.
 */
export function toReplayMessage(letter: DeadLetterRecordRead, topic: string, dlqTopic: string): ReplayMessage {
  const headers: Record<string, HeaderValue> = {};
  let nullHeaders: string[] = [];
  const listed = text(letter.headers[DeadLetterHeaders.nullHeaders]);
  if (listed) {
    try {
      const parsed: unknown = JSON.parse(listed);
      if (Array.isArray(parsed)) nullHeaders = parsed.filter((n): n is string => typeof n === 'string');
    } catch {
      // A malformed list restores nothing; the headers go out as the dead letter has them.
    }
  }
  for (const [name, value] of Object.entries(letter.headers)) {
    if (WORKER_HEADERS.has(name) || name === REPLAYED_FROM_HEADER) continue;
    headers[name] = value;
  }
  restoreOriginalTrace(headers);
  for (const name of nullHeaders) {
    const value = headers[name];
    // The dead letter carried them empty; only empty values were nulls.
    if (Array.isArray(value)) headers[name] = value.map((v) => (v === null || v.length === 0 ? null : v));
    else if (value === undefined || value === null || value.length === 0) headers[name] = null;
  }
  headers[REPLAYED_FROM_HEADER] = `${dlqTopic}/${letter.partition}/${letter.offset}`;
  return { topic, key: letter.key, value: letter.value, headers, nullHeaders };
}

/** Progress group of one reason: each reason has its own, so replaying one reason never passes over another's letters. */
export function progressGroup(base: string, reason: string): string {
  return `${base}.${reason}`;
}
