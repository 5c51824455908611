/**
 * A fixed pool of worker threads, each holding one onnxruntime session, started up front and
 * kept for the pool's life (sessions are expensive to load).
 *
 * A worker is never terminated while it is inside onnxruntime's native code. With
 * onnxruntime-node 1.30 a worker terminated while its native call fails (a corrupt model's
 * load, here) can abort the whole process: `terminate called after throwing an instance of
 * 'Napi::Error'`, SIGABRT. Killing a worker mid-run also throws away a loaded session (seconds
 * to reload). So piscina's abort, which terminates the worker of a running task, is never
 * used: tasks wait in `TaskSlots` until a worker is free, where cancelling them is harmless,
 * and once handed to piscina they run to completion. Timeouts abandon a late run instead of
 * killing it, and `close()` drains before it terminates the workers.
 */
import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { ModelError } from '@sentiment/errors';
import { TaskSlots } from './task-slots';
import type {
  EncodeResult,
  InferenceResult,
  InferenceTask,
  InferenceWorkerConfig,
  InferResult,
  LoadResult,
} from './inference-protocol';

export interface InferencePoolOptions {
  modelDir: string;
  modelPath: string;
  padId: number;
  numLabels: number;
  /** Worker threads (= sessions). Default: os.availableParallelism(). */
  threads?: number;
  /** onnxruntime threads inside one run. Default 1: parallelism comes from the workers. */
  intraOpNumThreads?: number;
  /** onnxruntime threads across independent graph branches. Default 1. */
  interOpNumThreads?: number;
  /** onnxruntime's log level, 0 verbose ... 4 fatal. Default 3 (errors; we report them ourselves). */
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

export class InferencePool {
  readonly threads: number;
  readonly workerConfig: InferenceWorkerConfig;
  private readonly piscina: Piscina<InferenceTask, InferenceResult>;
  private readonly slots: TaskSlots;
  private closing: Promise<void> | undefined;

  constructor(options: InferencePoolOptions) {
    this.threads = Math.max(1, Math.floor(options.threads ?? os.availableParallelism()));
    this.workerConfig = {
      modelDir: options.modelDir,
      modelPath: options.modelPath,
      padId: options.padId,
      numLabels: options.numLabels,
      intraOpNumThreads: Math.max(1, Math.floor(options.intraOpNumThreads ?? 1)),
      interOpNumThreads: Math.max(1, Math.floor(options.interOpNumThreads ?? 1)),
      logSeverityLevel: options.logSeverityLevel ?? 3,
    };
    this.piscina = new Piscina<InferenceTask, InferenceResult>({
      // Tests and the service both run the compiled tree, so the .js sits next to this file.
      filename: path.join(__dirname, 'inference-worker.js'),
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: Infinity,
      // TaskSlots keeps piscina's own queue empty.
      maxQueue: Infinity,
      concurrentTasksPerWorker: 1,
      workerData: this.workerConfig,
    });
    this.slots = new TaskSlots(this.threads);
  }

  /**
   * Loads every worker's session (one load task per worker, run in parallel). Waits for all of
   * them, even after a failure, so no load is still in native code when the caller closes the pool.
   */
  async load(): Promise<LoadResult[]> {
    const tasks = Array.from({ length: this.threads }, () => this.run<LoadResult>({ kind: 'load' }, 'load'));
    const settled = await Promise.allSettled(tasks);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((s) => (s as PromiseFulfilledResult<LoadResult>).value);
  }

  encode(texts: string[], signal?: AbortSignal): Promise<EncodeResult> {
    return this.run<EncodeResult>({ kind: 'encode', texts }, 'encode', signal);
  }

  infer(ids: Int32Array, lengths: Int32Array, signal?: AbortSignal): Promise<InferResult> {
    return this.run<InferResult>({ kind: 'infer', ids, lengths }, 'infer', signal);
  }

  /** Tasks waiting for a free worker (for metrics). */
  get queueSize(): number {
    return this.slots.waiting;
  }

  /** Tasks running in a worker (for metrics). */
  get busyWorkers(): number {
    return this.slots.busy;
  }

  /**
   * Refuses new tasks, waits for the running ones (a native run cannot be interrupted safely),
   * then terminates the workers. Idempotent. A run that never returns keeps this pending: the
   * service's shutdown deadline is what ends the process then.
   */
  close(): Promise<void> {
    this.closing ??= this.slots
      .close(new ModelError('MODEL_INFERENCE_FAILED', 'inference pool is closed', { retriable: false }))
      .then(() => this.piscina.destroy());
    return this.closing;
  }

  /** `signal` cancels the task only while it waits for a worker; a started run always finishes. */
  private async run<T extends InferenceResult>(task: InferenceTask, kind: T['kind'], signal?: AbortSignal): Promise<T> {
    const release = await this.slots.acquire(signal);
    let result: InferenceResult;
    try {
      result = await this.piscina.run(task);
    } catch (err) {
      // A worker that died (native crash, out of memory) takes its task with it.
      throw new ModelError('MODEL_INFERENCE_FAILED', `inference worker failed: ${(err as Error).message}`, { cause: err });
    } finally {
      release();
    }
    if (result.kind === 'failure') {
      throw new ModelError(result.code, result.message, { details: { task: task.kind } });
    }
    if (result.kind !== kind) {
      throw new ModelError('MODEL_INFERENCE_FAILED', `worker answered '${result.kind}' to '${task.kind}'`);
    }
    return result as T;
  }
}
