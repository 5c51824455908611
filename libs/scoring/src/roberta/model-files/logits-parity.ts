/**
 * Logit parity between two ONNX graphs of the same model (a prepared graph against the plain
 * export, or int8 against fp32): both run on the same token ids, compared row by row.
 *
 * Runs onnxruntime on the calling thread: for CLIs (model:prepare, model:download, model:parity),
 * never for the worker's event loop. onnxruntime-node is loaded on first use, so importing the
 * scoring library does not load the native runtime into the service's main thread.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type * as Ort from 'onnxruntime-node';
import { ConfigError, ModelError } from '@sentiment/errors';

export interface ParitySet {
  /** Where the ids come from, for records and reports. */
  name: string;
  /** One row of token ids per sequence, `<s> ... </s>` included. */
  sequences: readonly (readonly number[])[];
}

export interface LogitsComparison {
  sequences: number;
  maxAbsLogitDiff: number;
  meanAbsLogitDiff: number;
  /** Share of sequences with the same argmax in both graphs. */
  labelAgreement: number;
}

export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

/** Reads a JSON-lines file whose lines carry `"ids": [...]` (e.g. the TweetEval val fixture). */
export function readParitySet(file: string, name = file): ParitySet {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read parity token ids ${file}`, { cause });
  }
  const sequences = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const ids = (JSON.parse(line) as { ids?: unknown }).ids;
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every((v) => Number.isInteger(v) && v >= 0)) {
        throw new ConfigError(`${file} line ${i + 1}: "ids" must be a non-empty array of token ids`);
      }
      return ids as number[];
    });
  if (sequences.length === 0) throw new ConfigError(`${file} has no token ids`);
  return { name: `${name} (${sequences.length})`, sequences };
}

/**
 * Seeded random token ids, 3 to `maxLength` long (so batches mix lengths and padding), for
 * directories where no real text is at hand (the image's model stage). Ids avoid the special
 * tokens 0-3 inside a row.
 */
export function syntheticParitySet(count = 256, seed = 1, vocabSize = 50265, maxLength = 128): ParitySet {
  // xorshift32: reproducible across releases, which Math.random is not.
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  const sequences = Array.from({ length: count }, () => {
    const length = 3 + Math.floor(next() * (maxLength - 2));
    return Array.from({ length }, (_, j) => (j === 0 ? 0 : j === length - 1 ? 2 : 4 + Math.floor(next() * (vocabSize - 4))));
  });
  return { name: `synthetic (seed ${seed}, ${count})`, sequences };
}

/** onnxruntime-node, loaded when a CLI first needs it. */
export async function onnxruntime(): Promise<typeof Ort> {
  return import('onnxruntime-node');
}

export async function openSession(file: string, level: GraphOptimizationLevel, optimizedModelFilePath?: string): Promise<Ort.InferenceSession> {
  const ort = await onnxruntime();
  try {
    return await ort.InferenceSession.create(file, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: level,
      intraOpNumThreads: os.availableParallelism(),
      interOpNumThreads: 1,
      logSeverityLevel: 3,
      ...(optimizedModelFilePath !== undefined && { optimizedModelFilePath }),
    });
  } catch (cause) {
    throw new ModelError('MODEL_LOAD_FAILED', `cannot load ${file}: ${(cause as Error).message}`, { retriable: false, cause });
  }
}

/** Logit rows of every sequence, in input order; sequences are run sorted by length in padded batches. */
export async function logitsOf(session: Ort.InferenceSession, set: ParitySet, padId = 1, batchSize = 32): Promise<Float32Array[]> {
  const ort = await onnxruntime();
  const order = set.sequences.map((_, i) => i).sort((a, b) => (set.sequences[a]?.length ?? 0) - (set.sequences[b]?.length ?? 0));
  const rows: Float32Array[] = new Array<Float32Array>(set.sequences.length);
  for (let at = 0; at < order.length; at += batchSize) {
    const batch = order.slice(at, at + batchSize);
    const width = Math.max(...batch.map((i) => set.sequences[i]?.length ?? 0));
    const ids = new BigInt64Array(batch.length * width).fill(BigInt(padId));
    const mask = new BigInt64Array(batch.length * width);
    batch.forEach((seq, r) => {
      (set.sequences[seq] ?? []).forEach((id, j) => {
        ids[r * width + j] = BigInt(id);
        mask[r * width + j] = 1n;
      });
    });
    const dims = [batch.length, width];
    const feeds: Record<string, Ort.Tensor> = { input_ids: new ort.Tensor('int64', ids, dims), attention_mask: new ort.Tensor('int64', mask, dims) };
    if (session.inputNames.includes('token_type_ids')) feeds['token_type_ids'] = new ort.Tensor('int64', new BigInt64Array(batch.length * width), dims);
    const out = await session.run(feeds);
    const logits = out['logits'] ?? out[session.outputNames[0] ?? ''];
    if (!logits || logits.dims.length !== 2 || logits.dims[0] !== batch.length) {
      throw new ModelError('MODEL_INFERENCE_FAILED', `logits of shape [${logits?.dims.join(', ') ?? ''}] for a batch of ${batch.length}`);
    }
    const labels = Number(logits.dims[1]);
    const data = logits.data as Float32Array;
    batch.forEach((seq, r) => {
      rows[seq] = Float32Array.from(data.subarray(r * labels, (r + 1) * labels));
    });
  }
  return rows;
}

const argmax = (row: Float32Array): number => {
  let best = 0;
  for (let i = 1; i < row.length; i++) if ((row[i] as number) > (row[best] as number)) best = i;
  return best;
};

/** Max and mean |a - b| over every logit, and how often the argmax agrees. Non-finite logits count as infinitely far. */
export function compareLogits(a: readonly Float32Array[], b: readonly Float32Array[]): LogitsComparison {
  if (a.length !== b.length) throw new Error(`compareLogits: ${a.length} rows against ${b.length}`);
  let max = 0;
  let sum = 0;
  let count = 0;
  let agree = 0;
  a.forEach((rowA, i) => {
    const rowB = b[i] as Float32Array;
    if (rowA.length !== rowB.length) throw new Error(`compareLogits: row ${i} has ${rowA.length} logits against ${rowB.length}`);
    rowA.forEach((v, j) => {
      const d = Math.abs(v - (rowB[j] as number));
      const diff = Number.isFinite(d) ? d : Infinity;
      if (diff > max) max = diff;
      sum += diff;
      count++;
    });
    if (argmax(rowA) === argmax(rowB)) agree++;
  });
  return { sequences: a.length, maxAbsLogitDiff: max, meanAbsLogitDiff: count === 0 ? 0 : sum / count, labelAgreement: a.length === 0 ? 1 : agree / a.length };
}
