/**
 * Batch pool worker: decode + validate + score (VADER) + build and serialise the result of every
 * message of one batch, off the main thread. Uses the same functions as the main-thread steps
 * (decodeCallEvent, analyzeEvents, resultRecord), so both paths give the same bytes.
 */
import { decodeCallEvent, type CallTranscribedEvent } from '@sentiment/events';
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import { vaderAnalysisOptions } from '../vader-analysis';
import { PoolOutcomeKind, type BatchPoolResult, type BatchPoolTask, type BatchPoolWorkerConfig, type PoolRejection } from './batch-pool-protocol';
import { resultRecord, type ResultTrace } from './result-record';
import { analyzeEvents } from './score-inputs';

const config = workerData as BatchPoolWorkerConfig;
/** Nothing else runs on this thread: long slices, few yields. */
const WORKER_SLICE_MS = 100;
const analysis = vaderAnalysisOptions(config.vaderLowConfidenceThreshold, WORKER_SLICE_MS);

interface Valid {
  at: number;
  event: CallTranscribedEvent;
  trace: ResultTrace | undefined;
}

export default async function handle(task: BatchPoolTask): Promise<unknown> {
  const n = task.ends.length;
  const values = Buffer.from(task.values);
  const rejections: PoolRejection[] = [];
  const valid: Valid[] = [];
  let start = 0;
  for (let at = 0; at < n; at++) {
    const end = task.ends[at] as number;
    // An empty range is a null or empty value: decodeCallEvent answers EMPTY_MESSAGE to both.
    const decoded = decodeCallEvent(end > start ? values.subarray(start, end) : null, config.decodeLimits);
    start = end;
    if (decoded.ok) valid.push({ at, event: decoded.event, trace: task.traces[at] ?? undefined });
    else rejections.push({ at, reason: decoded.reason, detail: decoded.message });
  }

  const scored = await analyzeEvents(
    valid.map((v) => v.event),
    analysis,
  );
  for (const f of scored.failures) rejections.push({ at: (valid[f.at] as Valid).at, reason: f.reason, detail: f.detail });

  const kinds = new Uint8Array(n).fill(PoolOutcomeKind.deadLetter);
  const truncated = new Uint8Array(n);
  const callIds = new Array<string>(n).fill('');
  const labels = new Array<string>(n).fill('');
  const models = new Array<string>(n).fill('');
  const jsons = new Array<string>(n).fill('');
  const ctx = {
    topic: task.topic,
    partition: task.partition,
    receivedAt: task.receivedAt,
    batchSize: task.batchSize,
    scoringMs: scored.scoringMs,
    workerVersion: config.workerVersion,
    instanceId: config.instanceId,
    outputTopic: config.outputTopic,
    outputLimit: task.outputLimit,
    recordOverheadBytes: config.recordOverheadBytes,
  };
  for (let i = 0; i < valid.length; i++) {
    const result = scored.analyses[i];
    if (!result?.ok) continue;
    const { at, event, trace } = valid[i] as Valid;
    const record = resultRecord(event, result.analysis, { offset: task.offsets[at] as string, timestamp: task.timestamps[at] as string }, trace, ctx);
    if (!record.ok) {
      rejections.push({ at, reason: 'RESULT_TOO_LARGE', detail: record.detail });
      continue;
    }
    kinds[at] = PoolOutcomeKind.result;
    truncated[at] = record.truncated ? 1 : 0;
    callIds[at] = event.call_id;
    labels[at] = record.label;
    models[at] = record.model;
    jsons[at] = record.json;
  }

  const ends = new Int32Array(n);
  let total = 0;
  for (let at = 0; at < n; at++) {
    total += Buffer.byteLength(jsons[at] as string);
    ends[at] = total;
  }
  const json = new ArrayBuffer(total);
  const out = Buffer.from(json);
  for (let at = 0; at < n; at++) out.write(jsons[at] as string, at === 0 ? 0 : (ends[at - 1] as number));

  const result: BatchPoolResult = {
    kinds,
    ends,
    json,
    callIds,
    labels,
    models,
    truncated,
    rejections,
    scored: valid.length,
    scoringMs: scored.scoringMs,
    scorer: analysis.scorer.name,
    ...(scored.error !== undefined ? { scoringError: scored.error instanceof Error ? scored.error.message : String(scored.error) } : {}),
  };
  return move({
    get [transferableSymbol]() {
      return [json, ends.buffer, kinds.buffer, truncated.buffer];
    },
    get [valueSymbol]() {
      return result;
    },
  });
}
