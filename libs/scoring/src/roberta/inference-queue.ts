/**
 * One inference queue for the whole process (as text-embeddings-inference batches requests):
 * the rows of every scorer call in flight wait here, and micro-batches are cut across calls,
 * bounded by rows and padded tokens (MODEL_MAX_BATCH_SIZE, MODEL_MAX_BATCH_TOKENS) and sorted
 * by length, so the small batches of several partitions fill one micro-batch instead of each
 * paying for its own. A batch that cannot be filled waits at most `maxWaitMs` for more rows.
 * A call completes when all its rows are scored; a failed micro-batch fails the calls it held
 * rows of, and a cancelled call's waiting rows are dropped before they are batched.
 */
import { nextMicroBatch } from './next-micro-batch';

/** What one dispatched micro-batch held (for metrics). */
export interface QueueBatchStats {
  rows: number;
  /** Real tokens, and padded tokens (rows x longest row), the budget MODEL_MAX_BATCH_TOKENS bounds. */
  tokens: number;
  paddedTokens: number;
  /** How long its oldest row waited in the queue, ms. */
  oldestWaitMs: number;
  /** Scorer calls (consumed batches, /analyze requests) it held rows of. */
  calls: number;
}

export interface InferenceQueueObserver {
  /** Rows and tokens waiting, after every change. */
  depth?(rows: number, tokens: number): void;
  /** A micro-batch went to a worker. */
  batch?(stats: QueueBatchStats): void;
}

export interface InferenceQueueOptions {
  maxBatchSize: number;
  maxBatchTokens: number;
  /** Longest a row waits for a micro-batch to fill before it goes as it is. */
  maxWaitMs: number;
  /** Micro-batches in flight at once (the inference threads). */
  concurrency: number;
  /** Logits per row. */
  width: number;
  /** Runs one micro-batch (rows back to back, their lengths) and returns [rows, width] logits. */
  run: (ids: Int32Array, lengths: Int32Array) => Promise<Float32Array>;
  observer?: InferenceQueueObserver;
}

export interface SubmitOptions {
  /** Aborting drops the call's waiting rows and rejects it with the signal's reason. */
  signal?: AbortSignal;
  /** Awaited (serialised) after each micro-batch that scored some of the call's rows, until the last; a rejection fails the call. */
  onProgress?: (progress: { done: number; total: number }) => Promise<void> | void;
}

interface Call {
  logits: Float32Array;
  total: number;
  done: number;
  settled: boolean;
  resolve: (logits: Float32Array) => void;
  reject: (err: unknown) => void;
  onProgress: SubmitOptions['onProgress'];
  progress: Promise<void>;
}

interface Row {
  call: Call;
  index: number;
  ids: Int32Array;
  queuedAt: number;
}

/** How far past the oldest row the planner looks for rows of a similar length. */
const WINDOW_BATCHES = 4;

export class InferenceQueue {
  private pending: Row[] = [];
  private pendingTokens = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private closedWith: unknown = undefined;

  constructor(private readonly options: InferenceQueueOptions) {}

  /** Rows waiting for a micro-batch. */
  get depth(): { rows: number; tokens: number } {
    return { rows: this.pending.length, tokens: this.pendingTokens };
  }

  /** Scores `rows` (token ids each); resolves with their logits, [rows, width], in order. */
  submit(rows: readonly Int32Array[], submit: SubmitOptions = {}): Promise<Float32Array> {
    if (this.closedWith !== undefined) return Promise.reject(this.closedWith);
    const { signal } = submit;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (rows.length === 0) return Promise.resolve(new Float32Array(0));
    return new Promise<Float32Array>((resolve, reject) => {
      const onAbort = (): void => this.fail(call, signal?.reason);
      const call: Call = {
        logits: new Float32Array(rows.length * this.options.width),
        total: rows.length,
        done: 0,
        settled: false,
        resolve: (logits) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(logits);
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
        onProgress: submit.onProgress,
        progress: Promise.resolve(),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const queuedAt = performance.now();
      rows.forEach((ids, index) => {
        this.pending.push({ call, index, ids, queuedAt });
        this.pendingTokens += ids.length;
      });
      this.reportDepth();
      this.pump();
    });
  }

  /** Rejects every waiting call with `reason` and refuses new ones; micro-batches in flight finish. */
  close(reason: unknown): void {
    this.closedWith = reason;
    clearTimeout(this.timer);
    for (const call of new Set(this.pending.map((r) => r.call))) this.fail(call, reason);
  }

  /** Dispatches every micro-batch that is full or has waited long enough, while threads are free. */
  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const { maxBatchSize, maxBatchTokens, maxWaitMs, concurrency } = this.options;
    while (this.inFlight < concurrency && this.pending.length > 0) {
      const windowRows = maxBatchSize * WINDOW_BATCHES;
      // One row past the window tells the planner the queue reaches beyond it.
      const lengths = this.pending.slice(0, windowRows + 1).map((r) => r.ids.length);
      let pick = nextMicroBatch(lengths, { maxBatchSize, maxBatchTokens, windowRows });
      if (!pick.full) {
        const waited = performance.now() - (this.pending[0] as Row).queuedAt;
        if (waited < maxWaitMs) {
          this.timer = setTimeout(() => this.pump(), Math.ceil(maxWaitMs - waited));
          return;
        }
        // Waited enough and still not full: spread what there is over the free threads, since on
        // a CPU two half batches in parallel beat one full batch on one thread.
        const free = concurrency - this.inFlight;
        const spread = Math.max(1, Math.min(maxBatchSize, Math.ceil(this.pending.length / free)));
        pick = nextMicroBatch(lengths, { maxBatchSize: spread, maxBatchTokens, windowRows });
      }
      this.dispatch(pick.rows);
    }
  }

  private dispatch(positions: readonly number[]): void {
    const taken = new Set(positions);
    const rows = positions.map((p) => this.pending[p] as Row);
    this.pending = this.pending.filter((_, i) => !taken.has(i));
    const lengths = Int32Array.from(rows, (r) => r.ids.length);
    const tokens = lengths.reduce((a, b) => a + b, 0);
    this.pendingTokens -= tokens;
    const ids = new Int32Array(tokens);
    let at = 0;
    let oldest = Infinity;
    for (const r of rows) {
      ids.set(r.ids, at);
      at += r.ids.length;
      oldest = Math.min(oldest, r.queuedAt);
    }
    const calls = new Set(rows.map((r) => r.call));
    this.inFlight++;
    this.reportDepth();
    this.notify(() => this.options.observer?.batch?.({ rows: rows.length, tokens, paddedTokens: rows.length * lengths.reduce((a, b) => Math.max(a, b), 0), oldestWaitMs: performance.now() - oldest, calls: calls.size }));
    this.options
      .run(ids, lengths)
      .then(
        (logits) => this.complete(rows, calls, logits),
        (err: unknown) => {
          for (const call of calls) this.fail(call, err);
        },
      )
      .finally(() => {
        this.inFlight--;
        this.pump();
      });
  }

  private complete(rows: readonly Row[], calls: ReadonlySet<Call>, logits: Float32Array): void {
    const width = this.options.width;
    rows.forEach((r, k) => {
      if (r.call.settled) return;
      r.call.logits.set(logits.subarray(k * width, (k + 1) * width), r.index * width);
      r.call.done++;
    });
    for (const call of calls) {
      if (call.settled) continue;
      if (call.done === call.total) {
        // The last progress hook first: a call never completes while its heartbeat still runs.
        call.progress.then(
          () => this.settle(call),
          (err: unknown) => this.fail(call, err),
        );
        continue;
      }
      const hook = call.onProgress;
      if (!hook) continue;
      const snapshot = { done: call.done, total: call.total };
      call.progress = call.progress.then(async () => {
        if (!call.settled) await hook(snapshot);
      });
      call.progress.catch((err: unknown) => this.fail(call, err));
    }
  }

  private settle(call: Call): void {
    if (call.settled) return;
    call.settled = true;
    call.resolve(call.logits);
  }

  private fail(call: Call, err: unknown): void {
    if (call.settled) return;
    call.settled = true;
    const before = this.pending.length;
    this.pending = this.pending.filter((r) => {
      if (r.call !== call) return true;
      this.pendingTokens -= r.ids.length;
      return false;
    });
    if (this.pending.length !== before) this.reportDepth();
    call.reject(err);
  }

  private reportDepth(): void {
    this.notify(() => this.options.observer?.depth?.(this.pending.length, this.pendingTokens));
  }

  private notify(report: () => void): void {
    try {
      report();
    } catch {
      /* a broken metrics hook must not fail scoring */
    }
  }
}
