/**
 * Piscina worker: owns one onnxruntime InferenceSession and one tokenizer for its whole life.
 * onnxruntime-node's `session.run()` is a synchronous native call made on the calling thread,
 * so it has to happen here and never on the main thread's event loop.
 */
import { workerData } from 'piscina';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type {
  EncodeResult,
  InferenceResult,
  InferenceTask,
  InferenceWorkerConfig,
  InferResult,
  LoadResult,
  WorkerFailure,
} from './inference-protocol';
import { loadWorkerTokenizer, type WorkerTokenizer } from './worker-tokenizer';

const config = workerData as InferenceWorkerConfig;

interface Loaded {
  session: InferenceSession;
  tokenizer: WorkerTokenizer;
  loadMs: number;
}

let loading: Promise<Loaded> | undefined;
let reportedLoad = false;

function failure(code: WorkerFailure['code'], err: unknown): WorkerFailure {
  return { kind: 'failure', code, message: err instanceof Error ? err.message : String(err) };
}

async function load(): Promise<Loaded> {
  const started = performance.now();
  const session = await InferenceSession.create(config.modelPath, {
    executionProviders: ['cpu'],
    intraOpNumThreads: config.intraOpNumThreads,
    interOpNumThreads: config.interOpNumThreads,
    logSeverityLevel: config.logSeverityLevel,
    graphOptimizationLevel: 'all',
  });
  for (const name of ['input_ids', 'attention_mask']) {
    if (!session.inputNames.includes(name)) {
      throw new Error(`model has no '${name}' input (inputs: ${session.inputNames.join(', ')})`);
    }
  }
  const tokenizer = await loadWorkerTokenizer(config.modelDir);
  return { session, tokenizer, loadMs: performance.now() - started };
}

/** Loads once; a failed load is retried by the next task rather than cached forever. */
function ensureLoaded(): Promise<Loaded> {
  loading ??= load().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

function encode(tokenizer: WorkerTokenizer, texts: readonly string[]): EncodeResult {
  const rows = texts.map((t) => tokenizer.encode(t));
  const lengths = Int32Array.from(rows, (r) => r.length);
  const ids = new Int32Array(lengths.reduce((a, b) => a + b, 0));
  let at = 0;
  for (const row of rows) {
    ids.set(row, at);
    at += row.length;
  }
  return { kind: 'encode', ids, lengths };
}

async function infer(session: InferenceSession, ids: Int32Array, lengths: Int32Array): Promise<InferResult> {
  const rows = lengths.length;
  const width = lengths.reduce((a, b) => Math.max(a, b), 1);
  const inputIds = new BigInt64Array(rows * width).fill(BigInt(config.padId));
  const mask = new BigInt64Array(rows * width);
  let at = 0;
  for (let r = 0; r < rows; r++) {
    const len = lengths[r] ?? 0;
    for (let j = 0; j < len; j++) {
      inputIds[r * width + j] = BigInt(ids[at + j] ?? config.padId);
      mask[r * width + j] = 1n;
    }
    at += len;
  }
  const dims = [rows, width];
  const feeds: Record<string, Tensor> = {
    input_ids: new Tensor('int64', inputIds, dims),
    attention_mask: new Tensor('int64', mask, dims),
  };
  // Some exports keep BERT's segment input; RoBERTa only ever uses segment 0.
  if (session.inputNames.includes('token_type_ids')) {
    feeds['token_type_ids'] = new Tensor('int64', new BigInt64Array(rows * width), dims);
  }
  const started = performance.now();
  const outputs = await session.run(feeds);
  const runMs = performance.now() - started;
  const logits = outputs['logits'] ?? outputs[session.outputNames[0] ?? ''];
  if (!logits || logits.type !== 'float32') {
    throw new Error(`model returned no float32 logits (outputs: ${Object.keys(outputs).join(', ')})`);
  }
  if (logits.dims.length !== 2 || logits.dims[0] !== rows || logits.dims[1] !== config.numLabels) {
    throw new Error(`logits have shape [${logits.dims.join(', ')}], expected [${rows}, ${config.numLabels}]`);
  }
  return { kind: 'infer', logits: logits.data as Float32Array, paddedLength: width, runMs };
}

export default async function handle(task: InferenceTask): Promise<InferenceResult> {
  let loaded: Loaded;
  try {
    loaded = await ensureLoaded();
  } catch (err) {
    return failure('MODEL_LOAD_FAILED', err);
  }
  switch (task.kind) {
    case 'load': {
      const result: LoadResult = {
        kind: 'load',
        inputNames: [...loaded.session.inputNames],
        outputNames: [...loaded.session.outputNames],
        loadMs: reportedLoad ? 0 : loaded.loadMs,
      };
      reportedLoad = true;
      return result;
    }
    case 'encode':
      try {
        // Results are small (ids, logits): structured-clone copies cost microseconds.
        return encode(loaded.tokenizer, task.texts);
      } catch (err) {
        return failure('TOKENIZER_FAILED', err);
      }
    case 'infer':
      try {
        return await infer(loaded.session, task.ids, task.lengths);
      } catch (err) {
        return failure('MODEL_INFERENCE_FAILED', err);
      }
  }
}
