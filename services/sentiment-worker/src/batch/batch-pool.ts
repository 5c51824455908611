/**
 * The batch pool: worker threads that turn a consumed batch's message values into the bytes of
 * its results (decode, validate, score with VADER, build and serialise), so the main thread keeps
 * only the Kafka client, the producer hand-off, commits and HTTP. The main thread packs the values
 * into one transferred buffer, and makes record values as views of the one buffer that comes back.
 */
import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import type { ConsumedBatch, InputMessage } from '@sentiment/kafka';
import { extractTraceContext, type TraceContext } from '@sentiment/observability';
import { yieldIfTurnOver } from '@sentiment/scoring';
import type { Outcome, PreparedOutcomes, ResultOutcome } from './batch-types';
import { completeOutcomes, deadLetterOutcome, resultContext, type OutcomeOptions } from './build-outcomes';
import { PoolOutcomeKind, type BatchPoolResult, type BatchPoolTask, type BatchPoolWorkerConfig } from './batch-pool-protocol';
import { refusedBatchRejection } from './decode-inputs';
import { traceHeaders } from './result-record';
import { CHECK_EVERY } from './time-slice';

/** piscina derives its transferList type from MessagePort.postMessage's last overload, an options object under @types/node 26. */
type PiscinaTransferList = NonNullable<NonNullable<Parameters<Piscina['run']>[1]>['transferList']>;

export interface PoolOutcomes extends PreparedOutcomes {
  /** Why scoring failed for the whole batch, if it did (its inputs are dead-lettered SCORING_FAILED). */
  scoringError?: string;
}

/** Threads when BATCH_POOL_THREADS is 0: every core but one, which the main thread (the Kafka client) keeps. */
export function defaultBatchPoolThreads(cores = os.availableParallelism()): number {
  return Math.max(1, cores - 1);
}

export class BatchPool {
  readonly threads: number;
  private readonly piscina: Piscina<BatchPoolTask, BatchPoolResult>;
  private closing: Promise<void> | undefined;

  constructor(config: BatchPoolWorkerConfig, threads: number) {
    this.threads = Math.max(1, Math.floor(threads));
    this.piscina = new Piscina<BatchPoolTask, BatchPoolResult>({
      // The service runs the compiled tree, so the worker's .js sits next to this file.
      filename: path.join(__dirname, 'batch-pool-worker.js'),
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: Infinity,
      // In-flight batches (MAX_IN_FLIGHT_BATCHES) bound what waits here.
      maxQueue: Infinity,
      concurrentTasksPerWorker: 1,
      workerData: config,
    });
  }

  /**
   * One outcome per input of `batch`, in input order, as the main-thread steps would build them.
   * Rejects when a worker fails (it died, say): the caller then processes the batch itself.
   */
  async outcomes(batch: ConsumedBatch, options: OutcomeOptions): Promise<PoolOutcomes> {
    const outcomes: (Outcome | undefined)[] = new Array(batch.messages.length);
    const sent: number[] = [];
    let bytes = 0;
    batch.messages.forEach((message, index) => {
      if (message.refusedBatch) {
        const r = refusedBatchRejection(index, message);
        outcomes[index] = deadLetterOutcome(batch, index, message, r.reason, r.detail, options);
        return;
      }
      sent.push(index);
      bytes += message.value?.length ?? 0;
    });

    // One copy out of the client's fetch buffers into a buffer of our own, which is then moved.
    const values = new ArrayBuffer(bytes);
    const view = new Uint8Array(values);
    const ends = new Int32Array(sent.length);
    const offsets: string[] = new Array<string>(sent.length);
    const timestamps: string[] = new Array<string>(sent.length);
    const traces: (TraceContext | undefined)[] = new Array<TraceContext | undefined>(sent.length);
    let at = 0;
    for (let i = 0; i < sent.length; i++) {
      if (i > 0 && i % CHECK_EVERY === 0) await yieldIfTurnOver();
      const message = batch.messages[sent[i] as number] as InputMessage;
      if (message.value) {
        view.set(message.value, at);
        at += message.value.length;
      }
      ends[i] = at;
      offsets[i] = message.offset;
      timestamps[i] = message.timestamp;
      traces[i] = extractTraceContext(message.headers);
    }
    const ctx = resultContext(batch, 0, options);
    const task: BatchPoolTask = {
      topic: batch.topic,
      partition: batch.partition,
      receivedAt: batch.receivedAt,
      batchSize: batch.messages.length,
      outputLimit: ctx.outputLimit,
      values,
      ends,
      offsets,
      timestamps,
      traces: traces.map((t) => (t ? { traceparent: t.traceparent, ...(t.tracestate ? { tracestate: t.tracestate } : {}) } : null)),
    };
    const result = await this.piscina.run(task, { transferList: [values, ends.buffer] as unknown as PiscinaTransferList });
    // Results of several batches can arrive in one turn (a port delivers what is queued at once):
    // each continues in a turn of its own once the current one has run its slice.
    await yieldIfTurnOver();

    for (const r of result.rejections) {
      const index = sent[r.at] as number;
      outcomes[index] = deadLetterOutcome(batch, index, batch.messages[index] as InputMessage, r.reason, r.detail, options);
    }
    const json = Buffer.from(result.json);
    for (let i = 0; i < sent.length; i++) {
      if (i > 0 && i % CHECK_EVERY === 0) await yieldIfTurnOver();
      if (result.kinds[i] !== PoolOutcomeKind.result) continue;
      const index = sent[i] as number;
      const message = batch.messages[index] as InputMessage;
      const trace = traces[i];
      const headers = traceHeaders(trace);
      const start = i === 0 ? 0 : (result.ends[i - 1] as number);
      const callId = result.callIds[i] as string;
      const outcome: ResultOutcome = {
        kind: 'result',
        index,
        message,
        // A view of the returned buffer: the producer encodes it as it is.
        record: { key: callId, value: json.subarray(start, result.ends[i] as number), ...(headers ? { headers } : {}) },
        callId,
        label: result.labels[i] as string,
        model: result.models[i] as string,
        trace,
        truncated: result.truncated[i] === 1,
      };
      outcomes[index] = outcome;
    }
    return {
      outcomes: completeOutcomes(batch, outcomes, options),
      scored: result.scored,
      scoringMs: result.scoringMs,
      scorer: result.scorer,
      ...(result.scoringError !== undefined ? { scoringError: result.scoringError } : {}),
    };
  }

  /**
   * Starts every thread and loads its modules (decoder, schemas, VADER lexicons) with one empty
   * task each, so the first batches do not pay for it while the consumer already runs.
   */
  async warmUp(): Promise<void> {
    const empty = (): BatchPoolTask => ({ topic: '', partition: 0, receivedAt: 0, batchSize: 0, outputLimit: 0, values: new ArrayBuffer(0), ends: new Int32Array(0), offsets: [], timestamps: [], traces: [] });
    await Promise.all(Array.from({ length: this.threads }, () => this.piscina.run(empty())));
  }

  /** Waits for running tasks, then ends the threads. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.piscina.close();
    return this.closing;
  }
}
