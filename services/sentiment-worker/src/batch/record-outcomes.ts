import type { ConsumedBatch } from '@sentiment/kafka';
import { extractTraceContext, type Logger, type WorkerMetrics } from '@sentiment/observability';
import type { Outcome } from './batch-types';

/** Step 5: metrics and log lines for what was delivered. */
export function recordOutcomes(batch: ConsumedBatch, outcomes: readonly Outcome[], metrics: WorkerMetrics, log: Logger): void {
  const { topic, partition } = batch;
  const now = Date.now();
  let results = 0;
  let deadLetters = 0;
  // Counted per (label, scorer) pair, not per message: a labelled inc costs a label hash, and a
  // batch holds thousands of results.
  const counts = new Map<string, { label: string; scorer: string; n: number }>();
  const reasons = new Map<string, number>();
  const debug = log.isDebugEnabled();
  for (const o of outcomes) {
    if (o.kind === 'dead-letter') {
      deadLetters++;
      reasons.set(o.reason, (reasons.get(o.reason) ?? 0) + 1);
      if (o.message.refusedBatch) metrics.refusedBatches.inc({ codec: o.message.refusedBatch.codec });
      const trace = extractTraceContext(o.message.headers);
      log.warn('message dead-lettered', { topic, partition, offset: o.message.offset, reason: o.reason, detail: o.detail, ...(trace ? { trace_id: trace.traceId } : {}) });
      continue;
    }
    results++;
    const key = `${o.label}\u0000${o.model}`;
    const entry = counts.get(key);
    if (entry) entry.n++;
    else counts.set(key, { label: o.label, scorer: o.model, n: 1 });
    if (o.truncated) metrics.resultsTruncated.inc();
    const ts = Number(o.message.timestamp);
    if (Number.isFinite(ts) && ts > 0) metrics.endToEndLatency.observe(Math.max(0, now - ts) / 1000);
    // Per message, so debug only (info would be thousands of lines a second); the trace id
    // links the line to the caller's trace.
    if (debug) {
      log.debug('result produced', { call_id: o.callId, topic, partition, offset: o.message.offset, ...(o.trace ? { trace_id: o.trace.traceId } : {}), label: o.label, model: o.model });
    }
  }
  for (const { label, scorer, n } of counts.values()) metrics.results.inc({ label, scorer }, n);
  for (const [reason, n] of reasons) metrics.deadLetters.inc({ reason }, n);
  if (results > 0) metrics.messagesProcessed.inc({ outcome: 'result' }, results);
  if (deadLetters > 0) metrics.messagesProcessed.inc({ outcome: 'dead_letter' }, deadLetters);
}
