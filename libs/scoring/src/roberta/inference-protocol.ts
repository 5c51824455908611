/**
 * Messages between the main thread and the inference workers. Token ids travel as flat
 * Int32Arrays plus per-row lengths, so one message carries a whole batch. They are copied
 * (structured clone, no transfer list): a micro-batch is bounded by MODEL_MAX_BATCH_TOKENS
 * (default 8,192 ids, 32 KB), cheap to copy, and the sender keeps its arrays.
 */

/** Fixed per-pool settings, given to every worker as its `workerData`. */
export interface InferenceWorkerConfig {
  modelDir: string;
  /** Absolute path of the .onnx file. */
  modelPath: string;
  intraOpNumThreads: number;
  interOpNumThreads: number;
  /** onnxruntime's own log level: 0 verbose ... 4 fatal. */
  logSeverityLevel: 0 | 1 | 2 | 3 | 4;
  /** Token id put in padded positions (RoBERTa: 1). */
  padId: number;
  /** How many logits per row the model must return. */
  numLabels: number;
}

/** Loads the session and tokenizer now (they are otherwise loaded by the first task). */
export interface LoadTask {
  kind: 'load';
}

/** Tokenizes texts: `<s> ... </s>`, truncated to the model's limit. */
export interface EncodeTask {
  kind: 'encode';
  texts: string[];
}

/** Runs the model on one micro-batch of already tokenized rows (padded in the worker). */
export interface InferTask {
  kind: 'infer';
  /** Row after row, no padding. */
  ids: Int32Array;
  lengths: Int32Array;
}

export type InferenceTask = LoadTask | EncodeTask | InferTask;

export interface LoadResult {
  kind: 'load';
  inputNames: string[];
  outputNames: string[];
  /** Milliseconds this call spent loading (0 when the worker was already loaded). */
  loadMs: number;
}

export interface EncodeResult {
  kind: 'encode';
  ids: Int32Array;
  lengths: Int32Array;
}

export interface InferResult {
  kind: 'infer';
  /** [rows, numLabels], row-major. */
  logits: Float32Array;
  /** Length every row was padded to. */
  paddedLength: number;
  runMs: number;
}

/**
 * Failures come back as values: structured clone drops an Error's custom fields, and the main
 * thread needs the code to pick MODEL_LOAD_FAILED versus MODEL_INFERENCE_FAILED.
 */
export interface WorkerFailure {
  kind: 'failure';
  code: 'MODEL_LOAD_FAILED' | 'MODEL_INFERENCE_FAILED' | 'TOKENIZER_FAILED';
  message: string;
}

export type InferenceResult = LoadResult | EncodeResult | InferResult | WorkerFailure;
