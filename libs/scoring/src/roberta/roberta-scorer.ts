/**
 * RoBERTa sentiment over onnxruntime, run entirely in worker threads: tokenizing and the
 * native `session.run()` both happen in the pool; the main thread only plans micro-batches,
 * applies softmax and reorders results.
 */
import { ConfigError, ModelError } from '@sentiment/errors';
import type { Score, Scorer, ScoreOptions, SentimentLabel } from '../scorer';
import { InferencePool } from './inference-pool';
import { InferenceQueue, type InferenceQueueObserver } from './inference-queue';
import { logitsToScore } from './logits-to-score';
import { inspectModelDir, type ModelDirInfo } from './model-dir';
import { selectModelFile } from './model-files/model-file-selection';

export const RobertaScorerName = 'roberta-onnx';

export interface RobertaScorerOptions {
  /** Directory with config.json, the tokenizer files and onnx/<model>.onnx. */
  modelDir: string;
  /**
   * Model file relative to modelDir (a bare name is looked up in onnx/). Default ("auto"): the int8
   * export if present, else the fp32 one, each replaced by its prepared (`*_optimized.onnx`) file
   * when that is current; see model-file-selection.ts.
   */
  modelFile?: string;
  /** Worker threads, one session each. Default: os.availableParallelism(). */
  threads?: number;
  /** onnxruntime intra-op threads per session. Default 1. */
  intraOpNumThreads?: number;
  /** onnxruntime inter-op threads per session. Default 1. */
  interOpNumThreads?: number;
  /** Most texts per model run. Default 32. */
  maxBatchSize?: number;
  /** Most padded tokens (rows x longest row) per model run. Default 8192. */
  maxBatchTokens?: number;
  /** Scores whose confidence is below this are flagged `low_confidence`. Default 0.5. */
  lowConfidenceThreshold?: number;
  /** Deadline of one `score()` call, queueing included; past it the call rejects with MODEL_TIMEOUT. Default 30000. */
  timeoutMs?: number;
  /** onnxruntime's log level, 0 verbose ... 4 fatal. Default 3. */
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
  /** Longest a text waits in the inference queue for its micro-batch to fill. Default 5. */
  maxBatchWaitMs?: number;
  /**
   * `process` (default): one inference queue for every call, so concurrent calls (consumed
   * batches of several partitions) share micro-batches. `call`: each call is cut into micro-batches
   * of its own, sharing only the threads.
   */
  queueScope?: 'process' | 'call';
  /** The inference queue's depth and dispatched micro-batches (for metrics). */
  queueObserver?: InferenceQueueObserver;
}

/** Default longest wait of a text in the inference queue, ms: far below one model run (tens of ms and up). */
export const DEFAULT_MAX_BATCH_WAIT_MS = 5;

/** Texts per tokenizing task: big enough to amortise a message, small enough to spread over workers. */
const EncodeChunk = 64;

export class RobertaScorer implements Scorer {
  readonly name = RobertaScorerName;
  private closed = false;
  private readonly queue: InferenceQueue | undefined;

  /** Use `createRobertaScorer`, which validates the model and loads the sessions first. */
  constructor(
    private readonly pool: InferencePool,
    private readonly labels: readonly SentimentLabel[],
    readonly settings: Readonly<
      Required<Pick<RobertaScorerOptions, 'maxBatchSize' | 'maxBatchTokens' | 'lowConfidenceThreshold' | 'timeoutMs' | 'maxBatchWaitMs' | 'queueScope'>>
    > & {
      readonly modelPath: string;
      readonly threads: number;
      /** True when modelPath is a prepared (pre-optimized) file. */
      readonly preparedModel: boolean;
      /** A prepared file that was not used (stale, unreadable record, or failed to load), and why. */
      readonly skippedModel: { readonly path: string; readonly reason: string } | null;
    },
    private readonly queueObserver?: InferenceQueueObserver,
  ) {
    this.queue = settings.queueScope === 'process' ? this.newQueue(settings.maxBatchWaitMs) : undefined;
  }

  /** Rows waiting in the process-wide inference queue (zero with per-call queues). */
  get queueDepth(): { rows: number; tokens: number } {
    return this.queue?.depth ?? { rows: 0, tokens: 0 };
  }

  async score(texts: readonly string[], options: ScoreOptions = {}): Promise<Score[]> {
    if (this.closed) throw new ModelError('MODEL_INFERENCE_FAILED', 'scorer is closed', { retriable: false });
    if (texts.length === 0) return [];
    // On timeout the call rejects at once and dispatches nothing more; micro-batches already in a
    // worker finish in the background and their results are dropped (see inference-pool.ts).
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new ModelError('MODEL_TIMEOUT', `scoring ${texts.length} texts took longer than ${this.settings.timeoutMs} ms`, {
          details: { texts: texts.length, timeoutMs: this.settings.timeoutMs },
        });
        controller.abort(err);
        reject(err);
      }, this.settings.timeoutMs);
    });
    const work = this.scoreWithin(texts, options, controller.signal);
    work.catch(() => undefined); // a late failure after the deadline is nobody's to handle
    try {
      return await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queue?.close(new ModelError('MODEL_INFERENCE_FAILED', 'scorer is closed', { retriable: false }));
    await this.pool.close();
  }

  private async scoreWithin(texts: readonly string[], options: ScoreOptions, signal: AbortSignal): Promise<Score[]> {
    const chunks: string[][] = [];
    const chunkSize = Math.max(EncodeChunk, Math.ceil(texts.length / this.pool.threads));
    for (let i = 0; i < texts.length; i += chunkSize) chunks.push(texts.slice(i, i + chunkSize));
    const encoded = await Promise.all(chunks.map((chunk) => this.pool.encode(chunk, signal)));

    // Per-text views into the encoded buffers (no copies).
    const rows: Int32Array[] = [];
    for (const { ids, lengths } of encoded) {
      let at = 0;
      for (const len of lengths) {
        rows.push(ids.subarray(at, at + len));
        at += len;
      }
    }
    // A call of its own (queueScope 'call') knows every row is there: nothing to wait for.
    const queue = this.queue ?? this.newQueue(0, true);
    const logits = await queue.submit(rows, { signal, ...(options.onSubBatch ? { onProgress: options.onSubBatch } : {}) });
    const width = this.labels.length;
    return rows.map((_, i) => {
      try {
        return logitsToScore(logits.subarray(i * width, (i + 1) * width), this.labels, this.settings.lowConfidenceThreshold, this.name);
      } catch (err) {
        throw new ModelError('MODEL_INFERENCE_FAILED', (err as Error).message, { cause: err });
      }
    });
  }

  /** A queue of one call reports its micro-batches but not its depth: the gauge is the process queue's. */
  private newQueue(maxWaitMs: number, oneCall = false): InferenceQueue {
    const observer = this.queueObserver && oneCall ? { ...(this.queueObserver.batch ? { batch: this.queueObserver.batch } : {}) } : this.queueObserver;
    return new InferenceQueue({
      maxBatchSize: this.settings.maxBatchSize,
      maxBatchTokens: this.settings.maxBatchTokens,
      maxWaitMs,
      concurrency: this.pool.threads,
      width: this.labels.length,
      // The signal is the call's; a batch holds rows of several calls, so none may cancel it.
      run: async (ids, lengths) => (await this.pool.infer(ids, lengths)).logits,
      ...(observer ? { observer } : {}),
    });
  }
}

/**
 * Validates the model directory, picks the file to load (a current prepared file, else the plain
 * export), starts the worker pool and loads every session, so the returned scorer answers its
 * first call at full speed. A prepared file that fails to load is dropped for the plain export.
 * Throws ModelError MODEL_NOT_FOUND (files missing) or MODEL_LOAD_FAILED (unreadable model).
 */
export async function createRobertaScorer(options: RobertaScorerOptions): Promise<RobertaScorer> {
  checkOptions(options);
  const info = inspectModelDir(options.modelDir, options.modelFile);
  const choice = await selectModelFile(info.modelDir, options.modelFile);
  let skipped = choice.skipped ?? null;
  let modelPath = choice.modelPath;
  let pool: InferencePool;
  try {
    pool = await startPool(options, info, modelPath);
  } catch (err) {
    if (choice.fallbackPath === undefined) throw err;
    skipped = { path: modelPath, reason: err instanceof Error ? err.message : String(err) };
    modelPath = choice.fallbackPath;
    try {
      pool = await startPool(options, info, modelPath);
    } catch (plainErr) {
      // Both failed: name both, so the operator sees that the fallback was tried too.
      throw new ModelError('MODEL_LOAD_FAILED', `${(plainErr as Error).message} (after the prepared file failed: ${skipped.reason})`, {
        retriable: false,
        cause: plainErr,
        details: { modelPath, preparedPath: skipped.path },
      });
    }
  }
  return new RobertaScorer(pool, info.labels, {
    maxBatchSize: options.maxBatchSize ?? 32,
    maxBatchTokens: options.maxBatchTokens ?? 8192,
    lowConfidenceThreshold: options.lowConfidenceThreshold ?? 0.5,
    timeoutMs: options.timeoutMs ?? 30_000,
    maxBatchWaitMs: options.maxBatchWaitMs ?? DEFAULT_MAX_BATCH_WAIT_MS,
    queueScope: options.queueScope ?? 'process',
    modelPath,
    threads: pool.threads,
    preparedModel: choice.prepared && modelPath === choice.modelPath,
    skippedModel: skipped,
  }, options.queueObserver);
}

/** Starts the workers on `modelPath` and loads every session; a failure closes the pool and throws MODEL_LOAD_FAILED. */
async function startPool(options: RobertaScorerOptions, info: ModelDirInfo, modelPath: string): Promise<InferencePool> {
  const pool = new InferencePool({
    modelDir: info.modelDir,
    modelPath,
    padId: info.padId,
    numLabels: info.labels.length,
    ...(options.threads !== undefined && { threads: options.threads }),
    ...(options.intraOpNumThreads !== undefined && { intraOpNumThreads: options.intraOpNumThreads }),
    ...(options.interOpNumThreads !== undefined && { interOpNumThreads: options.interOpNumThreads }),
    ...(options.logSeverityLevel !== undefined && { logSeverityLevel: options.logSeverityLevel }),
  });
  try {
    await pool.load();
    return pool;
  } catch (err) {
    await pool.close().catch(() => undefined);
    if (err instanceof ModelError && err.code === 'MODEL_LOAD_FAILED') {
      throw new ModelError('MODEL_LOAD_FAILED', `cannot load ${modelPath}: ${err.message}`, {
        retriable: false,
        cause: err,
        details: { modelPath },
      });
    }
    throw new ModelError('MODEL_LOAD_FAILED', `cannot start inference workers for ${modelPath}`, {
      retriable: false,
      cause: err,
      details: { modelPath },
    });
  }
}

/** Rejects settings that would make the scorer misbehave rather than fail (config is validated upstream too). */
function checkOptions(o: RobertaScorerOptions): void {
  const positiveInts: Array<[string, number | undefined]> = [
    ['threads', o.threads],
    ['intraOpNumThreads', o.intraOpNumThreads],
    ['interOpNumThreads', o.interOpNumThreads],
    ['maxBatchSize', o.maxBatchSize],
    ['maxBatchTokens', o.maxBatchTokens],
  ];
  for (const [name, value] of positiveInts) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new ConfigError(`RoBERTa scorer: ${name} must be a positive integer (got ${value})`);
    }
  }
  const t = o.lowConfidenceThreshold;
  if (t !== undefined && !(t >= 0 && t <= 1)) throw new ConfigError(`RoBERTa scorer: lowConfidenceThreshold must be in [0, 1] (got ${t})`);
  const wait = o.maxBatchWaitMs;
  if (wait !== undefined && !(wait >= 0 && Number.isFinite(wait))) throw new ConfigError(`RoBERTa scorer: maxBatchWaitMs must be a number >= 0 (got ${wait})`);
  const ms = o.timeoutMs;
  if (ms !== undefined && !(ms > 0 && Number.isFinite(ms))) throw new ConfigError(`RoBERTa scorer: timeoutMs must be a positive number (got ${ms})`);
}
