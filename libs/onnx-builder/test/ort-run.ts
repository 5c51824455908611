import { Worker } from 'node:worker_threads';

/**
 * onnxruntime sessions for tests, run in a worker thread: onnxruntime-node builds its output
 * tensors in Node's own realm, which Jest's sandboxed realm rejects (`instanceof Float32Array`
 * fails), so the tests talk to the runtime through messages, as the production worker pool does.
 */
export interface TestSession {
  run(feeds: Record<string, FeedTensor>): Promise<Record<string, { dims: number[]; data: number[] }>>;
  release(): Promise<void>;
}

export interface FeedTensor {
  type: 'int64' | 'float32';
  data: readonly number[];
  dims: readonly number[];
}

const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
let session;
parentPort.on('message', async (msg) => {
  try {
    if (msg.kind === 'load') {
      session = await ort.InferenceSession.create(msg.model, { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 2, ...msg.options });
      parentPort.postMessage({ id: msg.id });
    } else if (msg.kind === 'run') {
      const feeds = {};
      for (const [name, t] of Object.entries(msg.feeds)) {
        const data = t.type === 'int64' ? BigInt64Array.from(t.data, (v) => BigInt(v)) : Float32Array.from(t.data);
        feeds[name] = new ort.Tensor(t.type, data, t.dims);
      }
      const out = await session.run(feeds);
      const result = {};
      for (const [name, t] of Object.entries(out)) result[name] = { dims: Array.from(t.dims, Number), data: Array.from(t.data, Number) };
      parentPort.postMessage({ id: msg.id, result });
    } else {
      await session.release();
      parentPort.postMessage({ id: msg.id });
    }
  } catch (error) {
    parentPort.postMessage({ id: msg.id, error: String(error && error.stack || error) });
  }
});`;

/** Session options passed through to onnxruntime (plain data: they cross a thread boundary). */
export interface TestSessionOptions {
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** onnxruntime writes the graph it optimized here when the session is created. */
  optimizedModelFilePath?: string;
}

export async function createSession(model: string | Uint8Array, options: TestSessionOptions = {}): Promise<TestSession> {
  const worker = new Worker(WORKER_CODE, { eval: true, workerData: { ortPath: require.resolve('onnxruntime-node') } });
  let nextId = 0;
  // A worker that crashes or exits fails the pending call instead of hanging the test.
  let dead: Error | undefined;
  const failures = new Set<(err: Error) => void>();
  const die = (err: Error): void => {
    dead ??= err;
    for (const fail of failures) fail(err);
  };
  worker.on('error', die);
  worker.on('exit', (code) => die(new Error(`onnxruntime test worker exited with code ${code}`)));
  const call = (message: Record<string, unknown>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (dead !== undefined) return reject(dead);
      const id = nextId++;
      const fail = (err: Error): void => {
        worker.off('message', onMessage);
        failures.delete(fail);
        reject(err);
      };
      const onMessage = (reply: { id: number; result?: unknown; error?: string }): void => {
        if (reply.id !== id) return;
        worker.off('message', onMessage);
        failures.delete(fail);
        if (reply.error !== undefined) reject(new Error(reply.error));
        else resolve(reply.result);
      };
      failures.add(fail);
      worker.on('message', onMessage);
      worker.postMessage({ ...message, id });
    });
  await call({ kind: 'load', model, options });
  return {
    run: async (feeds) => (await call({ kind: 'run', feeds })) as Record<string, { dims: number[]; data: number[] }>,
    release: async () => {
      await call({ kind: 'release' });
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

/** Pads id lists with <pad> (1) into one batch and runs `session`, returning logits rows. */
export async function runLogits(session: TestSession, batch: readonly number[][]): Promise<number[][]> {
  const length = Math.max(...batch.map((ids) => ids.length));
  const ids = new Array<number>(batch.length * length).fill(1);
  const mask = new Array<number>(batch.length * length).fill(0);
  batch.forEach((row, b) =>
    row.forEach((id, i) => {
      ids[b * length + i] = id;
      mask[b * length + i] = 1;
    }),
  );
  const out = await session.run({
    input_ids: { type: 'int64', data: ids, dims: [batch.length, length] },
    attention_mask: { type: 'int64', data: mask, dims: [batch.length, length] },
  });
  const logits = out['logits'];
  if (logits === undefined) throw new Error('no logits output');
  const [rows, labels] = logits.dims as [number, number];
  if (rows !== batch.length) throw new Error(`logits dims [${logits.dims.join(',')}] for a batch of ${batch.length}`);
  return Array.from({ length: rows }, (_, b) => logits.data.slice(b * labels, (b + 1) * labels));
}

export const argmax = (row: readonly number[]): number => row.indexOf(Math.max(...row));
