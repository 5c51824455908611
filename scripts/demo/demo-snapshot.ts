import { histogramQuantileDetail, parseExposition, sumBy, sumOf } from './prometheus-exposition';

/** A quantile in seconds; `overflow`: beyond the histogram's last finite bucket (a lower bound). */
export type Quantile = { value: number; overflow: boolean } | undefined;

/** What the demo shows, read from one scrape of the worker's /metrics. */
export interface DemoSnapshot {
  at: number;
  processed: number;
  results: number;
  deadLetters: number;
  byLabel: Array<[string, number]>;
  byScorer: Array<[string, number]>;
  byLabelAndScorer: Array<[string, number]>;
  byReason: Array<[string, number]>;
  lag: number;
  latencyP50: Quantile;
  latencyP99: Quantile;
  scoringP50: Quantile;
  scoringP99: Quantile;
  batches: number;
}

export function snapshotFromMetrics(exposition: string, at = Date.now()): DemoSnapshot {
  const s = parseExposition(exposition);
  return {
    at,
    processed: sumOf(s, 'sentiment_messages_processed_total'),
    results: sumOf(s, 'sentiment_messages_processed_total', { outcome: 'result' }),
    deadLetters: sumOf(s, 'sentiment_messages_processed_total', { outcome: 'dead_letter' }),
    byLabel: sumBy(s, 'sentiment_results_total', ['label']),
    byScorer: sumBy(s, 'sentiment_results_total', ['scorer']),
    byLabelAndScorer: sumBy(s, 'sentiment_results_total', ['label', 'scorer']),
    byReason: sumBy(s, 'sentiment_dead_letters_total', ['reason']),
    lag: sumOf(s, 'sentiment_consumer_lag'),
    latencyP50: histogramQuantileDetail(s, 'sentiment_end_to_end_latency_seconds', 0.5),
    latencyP99: histogramQuantileDetail(s, 'sentiment_end_to_end_latency_seconds', 0.99),
    scoringP50: histogramQuantileDetail(s, 'sentiment_scoring_duration_seconds', 0.5),
    scoringP99: histogramQuantileDetail(s, 'sentiment_scoring_duration_seconds', 0.99),
    batches: sumOf(s, 'sentiment_batch_size_count'),
  };
}

const list = (pairs: Array<[string, number]>) => (pairs.length === 0 ? '-' : pairs.map(([k, v]) => `${k} ${v}`).join(', '));
const seconds = (q: Quantile) => {
  if (q === undefined) return 'n/a';
  const text = q.value < 1 ? `${(q.value * 1000).toFixed(0)} ms` : `${q.value.toFixed(2)} s`;
  return q.overflow ? `> ${text}` : text;
};

/** The one-line live view. `rate` is outcomes per second since the previous snapshot. */
export function progressLine(snap: DemoSnapshot, expected: number, rate: number): string {
  return (
    `${snap.processed}/${expected} done  ${rate.toFixed(0)}/s  ` +
    `labels: ${list(snap.byLabel)}  scorer: ${list(snap.byScorer)}  ` +
    `dead letters: ${snap.deadLetters}  lag: ${snap.lag}`
  );
}

export interface FinalReport {
  snapshot: DemoSnapshot;
  expected: number;
  sent: { valid: number; malformed: number };
  elapsedMs: number;
  health: { status: number; body: unknown };
}

/** The final report, several lines; the last one is always `demo: done ...` (tests wait for it). */
export function formatReport(r: FinalReport): string {
  const s = r.snapshot;
  const throughput = r.elapsedMs > 0 ? (s.processed / r.elapsedMs) * 1000 : 0;
  const body = r.health.body as { status?: string; reasons?: string[] } | undefined;
  const healthStatus = `${body?.status ?? 'unknown'}${body?.reasons?.length ? ` (${body.reasons.join('; ')})` : ''}`;
  const complete = s.processed >= r.expected;
  return [
    '',
    '==================== demo report ====================',
    `sent:            ${r.sent.valid} valid + ${r.sent.malformed} malformed = ${r.expected}`,
    `accounted for:   ${s.processed} (${s.results} results, ${s.deadLetters} dead letters)${complete ? '' : '  << INCOMPLETE'}`,
    `results by label:   ${list(s.byLabel)}`,
    `results by scorer:  ${list(s.byScorer)}`,
    `label x scorer:     ${list(s.byLabelAndScorer)}`,
    `dead letters by reason: ${list(s.byReason)}`,
    `throughput:      ${throughput.toFixed(1)} events/s over ${(r.elapsedMs / 1000).toFixed(1)} s (from first send to last outcome)`,
    `end-to-end latency: p50 ${seconds(s.latencyP50)}, p99 ${seconds(s.latencyP99)}  (histogram estimate)`,
    `scoring per batch:  p50 ${seconds(s.scoringP50)}, p99 ${seconds(s.scoringP99)} over ${s.batches} batches`,
    `consumer lag:    ${s.lag}`,
    `/health:         HTTP ${r.health.status}, status ${healthStatus}`,
    '======================================================',
    `demo: done ${complete ? 'ok' : 'incomplete'} processed=${s.processed} expected=${r.expected}`,
  ].join('\n');
}
