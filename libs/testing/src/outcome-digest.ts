import type { ReadMessage } from './read-topic';

/**
 * What two workers must agree on for the same input, whichever Kafka client or group protocol
 * they run on: the outcome's kind, key, value and headers, without what legitimately differs
 * between two runs (when and where it was processed, the output topic it was read from).
 */
export interface OutcomeDigest {
  kind: 'result' | 'deadLetter';
  key: string | null;
  /** A result's JSON without its volatile fields; a dead letter's value as text (or base64 when not UTF-8). */
  value: unknown;
  headers: Record<string, string>;
}

/** Result fields that say when and by which process it was made: `timings` (and its batch size), `worker.instance`. */
const VOLATILE_RESULT_FIELDS = ['timings'] as const;
/** Dead-letter headers that carry a processing time. */
const VOLATILE_HEADERS = new Set(['x-dlq-at']);

function text(b: Buffer | null): string | null {
  if (b === null) return null;
  const s = b.toString('utf8');
  return Buffer.from(s, 'utf8').equals(b) ? s : `base64:${b.toString('base64')}`;
}

function resultValue(m: ReadMessage): unknown {
  const parsed = JSON.parse(String(m.value)) as Record<string, unknown>;
  for (const field of VOLATILE_RESULT_FIELDS) delete parsed[field];
  const worker = parsed['worker'] as Record<string, unknown> | undefined;
  if (worker) delete worker['instance'];
  return parsed;
}

function headers(m: ReadMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(m.headers)
      .filter(([name]) => !VOLATILE_HEADERS.has(name))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => [name, text(value) ?? '']),
  );
}

/** Where an outcome's input sits: `partition:offset`, from the result's `source` or the dead letter's headers. */
function sourceOf(m: ReadMessage, kind: OutcomeDigest['kind']): string {
  if (kind === 'result') {
    const source = (JSON.parse(String(m.value)) as { source?: { partition?: number; offset?: string } }).source;
    return `${source?.partition}:${source?.offset}`;
  }
  return `${text(m.headers['x-source-partition'] ?? null)}:${text(m.headers['x-source-offset'] ?? null)}`;
}

/** Every outcome of one run by the input it answers (`partition:offset`), in the order read. */
export function outcomeDigests(results: readonly ReadMessage[], deadLetters: readonly ReadMessage[]): Map<string, OutcomeDigest[]> {
  const out = new Map<string, OutcomeDigest[]>();
  const add = (m: ReadMessage, kind: OutcomeDigest['kind']) => {
    const digest: OutcomeDigest = { kind, key: text(m.key), value: kind === 'result' ? resultValue(m) : text(m.value), headers: headers(m) };
    const source = sourceOf(m, kind);
    out.set(source, [...(out.get(source) ?? []), digest]);
  };
  for (const m of results) add(m, 'result');
  for (const m of deadLetters) add(m, 'deadLetter');
  return out;
}

/** The inputs whose outcomes differ between two runs, each with both sides; empty when they agree. */
export function differingOutcomes(
  a: ReadonlyMap<string, OutcomeDigest[]>,
  b: ReadonlyMap<string, OutcomeDigest[]>,
): Array<{ source: string; a: OutcomeDigest[] | undefined; b: OutcomeDigest[] | undefined }> {
  const sources = [...new Set([...a.keys(), ...b.keys()])].sort();
  return sources
    .filter((s) => JSON.stringify(a.get(s)) !== JSON.stringify(b.get(s)))
    .map((source) => ({ source, a: a.get(source), b: b.get(source) }));
}
