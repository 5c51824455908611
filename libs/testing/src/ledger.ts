import { headerText, type ReadMessage } from './read-topic';

/** Identity of an input message: where it sits in the input topic. */
export interface SourceRef {
  topic?: string;
  partition: number;
  /** int64 as a decimal string. */
  offset: string;
}

export type OutcomeKind = 'result' | 'deadLetter';

export interface LedgerReport {
  inputs: number;
  results: number;
  deadLetters: number;
  /** Inputs with neither a result nor a dead letter. */
  lost: SourceRef[];
  /** Inputs accounted for more than once (two results, or a result and a dead letter, ...). */
  duplicates: Array<{ source: SourceRef; results: number; deadLetters: number }>;
  /** Outputs whose source is unreadable or names no known input (a wrong topic, partition or offset). */
  unknown: Array<{ kind: OutcomeKind; source: SourceRef | undefined; at: string }>;
  /** No loss, no duplicate, nothing unknown. */
  ok: boolean;
}

/**
 * The reliability ledger: every input message must end up exactly once either as a result
 * (value JSON carrying `source: {topic, partition, offset}`) or as a dead letter (headers
 * `x-source-partition` / `x-source-offset`, optionally `x-source-topic`).
 */
export class Ledger {
  private readonly inputTopic: string | undefined;
  private readonly outcomes = new Map<string, { source: SourceRef; results: number; deadLetters: number }>();
  private readonly unknown: LedgerReport['unknown'] = [];
  private resultCount = 0;
  private deadLetterCount = 0;

  /** With `inputTopic`, an outcome whose source names another topic counts as unknown. */
  constructor(inputTopic?: string) {
    this.inputTopic = inputTopic;
  }

  /** Inputs by position: produce results (ProducedRef) or messages read from the input topic. */
  addInputs(inputs: Iterable<SourceRef>): this {
    for (const input of inputs) {
      const source: SourceRef = { partition: input.partition, offset: String(input.offset) };
      const topic = input.topic ?? this.inputTopic;
      if (topic !== undefined) source.topic = topic;
      const key = refKey(source);
      if (!this.outcomes.has(key)) this.outcomes.set(key, { source, results: 0, deadLetters: 0 });
    }
    return this;
  }

  /** Result messages read from the output topic. */
  addResults(messages: Iterable<ReadMessage>): this {
    for (const m of messages) this.record('result', resultSource(m), at(m));
    return this;
  }

  /**
   * Dead letters read from the DLQ topic. A refused record batch's dead letter stands for every
   * offset of its range (`x-source-first-offset` .. `x-source-last-offset`): each input in it is
   * accounted for once, and its count in `deadLetters` is one per message.
   */
  addDeadLetters(messages: Iterable<ReadMessage>): this {
    for (const m of messages) {
      const range = deadLetterRange(m);
      if (!range) {
        this.record('deadLetter', deadLetterSource(m), at(m));
        continue;
      }
      this.deadLetterCount++;
      for (const source of range) {
        const entry = this.sameTopic(source) ? this.outcomes.get(refKey(source)) : undefined;
        if (entry) entry.deadLetters++;
      }
    }
    return this;
  }

  /** Records one outcome whose source is already known (for outputs that are not Kafka messages). */
  record(kind: OutcomeKind, source: SourceRef | undefined, where = '?'): this {
    if (kind === 'result') this.resultCount++;
    else this.deadLetterCount++;
    const entry = source && this.sameTopic(source) ? this.outcomes.get(refKey(source)) : undefined;
    if (!entry) {
      this.unknown.push({ kind, source, at: where });
      return this;
    }
    if (kind === 'result') entry.results++;
    else entry.deadLetters++;
    return this;
  }

  report(): LedgerReport {
    const lost: SourceRef[] = [];
    const duplicates: LedgerReport['duplicates'] = [];
    for (const entry of this.outcomes.values()) {
      const total = entry.results + entry.deadLetters;
      if (total === 0) lost.push(entry.source);
      else if (total > 1) duplicates.push({ ...entry });
    }
    return {
      inputs: this.outcomes.size,
      results: this.resultCount,
      deadLetters: this.deadLetterCount,
      lost,
      duplicates,
      unknown: [...this.unknown],
      ok: lost.length === 0 && duplicates.length === 0 && this.unknown.length === 0,
    };
  }

  private sameTopic(source: SourceRef): boolean {
    return source.topic === undefined || this.inputTopic === undefined || source.topic === this.inputTopic;
  }
}

/** `source` of a result message (JSON value), or undefined when missing or malformed. */
export function resultSource(message: Pick<ReadMessage, 'value'>): SourceRef | undefined {
  if (!message.value) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.value.toString('utf8'));
  } catch {
    return undefined;
  }
  const source = (parsed as { source?: unknown } | null)?.source;
  if (typeof source !== 'object' || source === null) return undefined;
  const { topic, partition, offset } = source as Record<string, unknown>;
  const p = toPartition(partition);
  const o = toOffset(offset);
  if (p === undefined || o === undefined) return undefined;
  return typeof topic === 'string' ? { topic, partition: p, offset: o } : { partition: p, offset: o };
}

/** Source of a dead letter, from its `x-source-*` headers, or undefined when they are missing. */
export function deadLetterSource(message: Pick<ReadMessage, 'headers'>): SourceRef | undefined {
  const p = toPartition(headerText(message, 'x-source-partition'));
  const o = toOffset(headerText(message, 'x-source-offset'));
  if (p === undefined || o === undefined) return undefined;
  const topic = headerText(message, 'x-source-topic');
  return topic === undefined ? { partition: p, offset: o } : { topic, partition: p, offset: o };
}

/** The inputs a refused batch's dead letter stands for: its headers' offset range, known inputs only. */
export function deadLetterRange(message: Pick<ReadMessage, 'headers'>): SourceRef[] | undefined {
  const first = toOffset(headerText(message, 'x-source-first-offset'));
  const last = toOffset(headerText(message, 'x-source-last-offset'));
  const p = toPartition(headerText(message, 'x-source-partition'));
  if (first === undefined || last === undefined || p === undefined) return undefined;
  const topic = headerText(message, 'x-source-topic');
  const refs: SourceRef[] = [];
  // A record batch holds at most a few thousand records; the guard keeps a forged header harmless.
  for (let o = BigInt(first); o <= BigInt(last) && refs.length < 1_000_000; o++) {
    refs.push(topic === undefined ? { partition: p, offset: o.toString() } : { topic, partition: p, offset: o.toString() });
  }
  return refs;
}

/** A one-paragraph summary for assertion messages. */
export function describeLedgerReport(report: LedgerReport, limit = 10): string {
  const refs = (list: SourceRef[]): string =>
    list
      .slice(0, limit)
      .map((r) => `${r.partition}/${r.offset}`)
      .join(', ') + (list.length > limit ? `, ... (${list.length})` : '');
  return [
    `inputs=${report.inputs} results=${report.results} deadLetters=${report.deadLetters}`,
    `lost=${report.lost.length}${report.lost.length ? ` [${refs(report.lost)}]` : ''}`,
    `duplicates=${report.duplicates.length}${report.duplicates.length ? ` [${refs(report.duplicates.map((d) => d.source))}]` : ''}`,
    `unknown=${report.unknown.length}${report.unknown.length ? ` [${report.unknown.slice(0, limit).map((u) => `${u.kind}@${u.at}`).join(', ')}]` : ''}`,
  ].join('; ');
}

function refKey(ref: SourceRef): string {
  return `${ref.partition}/${ref.offset}`;
}

function at(m: ReadMessage): string {
  return `${m.topic}/${m.partition}/${m.offset}`;
}

function toPartition(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

function toOffset(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return BigInt(v.trim()).toString();
  if (typeof v === 'bigint' && v >= 0n) return v.toString();
  return undefined;
}
