/**
 * Model preparation: the plain ONNX export with onnxruntime's own graph fusions applied once and
 * saved (`optimizedModelFilePath`), kept only if its logits match the plain export's.
 *
 * Why "extended" and not "all": "all" adds layout transformations tuned to the CPU that saves the
 * file (onnxruntime's docs advise against shipping them to other hardware); the image's model stage
 * runs on the build machine. The worker still loads every file with "all", so nothing is lost.
 * What gets fused and what it buys is measured in docs/model.md ("Prepared model").
 *
 * Runs onnxruntime on the calling thread: for CLIs only (model:prepare, model:download).
 */
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelError } from '@sentiment/errors';
import { compareLogits, logitsOf, onnxruntime, openSession, type LogitsComparison, type ParitySet } from './logits-parity';
import { preparedModelFile, preparedRecordFile } from './model-dir-layout';
import { sha256File } from './model-download';
import { readPreparedModelRecord, type PreparedModelRecord } from './prepared-model-record';

/** Largest |Δlogit| a prepared graph may show against the plain export of the same precision. */
export const DEFAULT_PARITY_TOLERANCE = 1e-3;
export const PREPARE_OPTIMIZATION_LEVEL = 'extended';

export interface PrepareModelOptions {
  modelDir: string;
  /** The plain export, relative to modelDir: onnx/model_quantized.onnx or onnx/model.onnx. */
  plainFile: string;
  parity: ParitySet;
  /** Default DEFAULT_PARITY_TOLERANCE. */
  tolerance?: number;
  /** config.json's pad_token_id (RoBERTa: 1). */
  padId?: number;
  /** Prepare again even when a current prepared file exists. */
  force?: boolean;
  /**
   * How the plain export runs for the reference logits: "all" (default) as the worker runs it
   * without a prepared file, or "disabled" (the export's own ops, unfused: a stricter bar that
   * int8 graphs do not meet, see below).
   */
  referenceLevel?: 'all' | 'disabled';
  log?: (line: string) => void;
}

export type PrepareStatus = 'prepared' | 'current' | 'rejected';

export interface PrepareModelResult {
  status: PrepareStatus;
  /** Relative to modelDir. */
  preparedFile: string;
  /** Parity of the prepared graph against the plain export, both loaded as the worker loads them. */
  parity: LogitsComparison | undefined;
  record: PreparedModelRecord | undefined;
  /** Session creation of the plain export as the worker does it (level "all"), and of the prepared file. */
  loadMs: { plain: number; prepared: number } | undefined;
}

async function onnxruntimeVersion(): Promise<string> {
  const { env } = await onnxruntime();
  return env.versions.node ?? env.versions.common;
}

async function timedLoad(file: string): Promise<{ ms: number; release: () => Promise<void>; session: Awaited<ReturnType<typeof openSession>> }> {
  const started = performance.now();
  const session = await openSession(file, 'all');
  return { ms: performance.now() - started, session, release: () => session.release() };
}

/**
 * Writes `<plain>_optimized.onnx` and its record, or removes both when the fused graph's logits
 * drift more than `tolerance` from the plain export (the worker then loads the plain file).
 * A current prepared file (record naming the same plain file and onnxruntime release) is kept.
 */
export async function prepareOptimizedModel(options: PrepareModelOptions): Promise<PrepareModelResult> {
  const log = options.log ?? (() => undefined);
  const tolerance = options.tolerance ?? DEFAULT_PARITY_TOLERANCE;
  const dir = path.resolve(options.modelDir);
  const plainPath = path.join(dir, options.plainFile);
  const preparedFile = preparedModelFile(options.plainFile);
  const preparedPath = path.join(dir, preparedFile);
  const recordPath = path.join(dir, preparedRecordFile(options.plainFile));
  let sourceBytes: number;
  try {
    sourceBytes = (await stat(plainPath)).size;
  } catch (cause) {
    throw new ModelError('MODEL_NOT_FOUND', `cannot prepare ${options.plainFile}: it is not in ${dir}`, { retriable: false, cause });
  }
  const sourceSha256 = await sha256File(plainPath);
  const ortVersion = await onnxruntimeVersion();

  const existing = await readPreparedModelRecord(dir, options.plainFile);
  if (!options.force && !('problem' in existing) && existing.sourceSha256 === sourceSha256 && existing.onnxruntime === ortVersion) {
    try {
      await stat(preparedPath);
      log(`${preparedFile}: current (prepared ${existing.preparedAt} from this ${options.plainFile})`);
      return { status: 'current', preparedFile, parity: undefined, record: existing, loadMs: undefined };
    } catch {
      // record without its file: prepare again
    }
  }

  // The record is the commit point: without it the worker ignores the prepared file.
  await rm(recordPath, { force: true });
  const part = `${preparedPath}.part`;
  await rm(part, { force: true });
  log(`${preparedFile}: fusing ${options.plainFile} with onnxruntime ${ortVersion} (level ${PREPARE_OPTIMIZATION_LEVEL})`);
  const writer = await openSession(plainPath, PREPARE_OPTIMIZATION_LEVEL, part);
  await writer.release();

  let parity: LogitsComparison;
  let loadMs: { plain: number; prepared: number };
  try {
    // Reference: the plain export as the worker runs it without a prepared file (loaded with
    // "all"). Not the export with every optimization disabled: int8 graphs are discontinuous (an
    // activation a rounding error away from a quantization step flips it), so onnxruntime's own
    // load-time fusions already move int8 logits by ~1e-2 from the unfused graph (docs/model.md).
    const plain = await timedLoad(plainPath);
    let expected: Float32Array[];
    if ((options.referenceLevel ?? 'all') === 'all') {
      expected = await logitsOf(plain.session, options.parity, options.padId);
      await plain.release();
    } else {
      await plain.release();
      const unfused = await openSession(plainPath, 'disabled');
      expected = await logitsOf(unfused, options.parity, options.padId);
      await unfused.release();
    }
    const candidate = await timedLoad(part);
    const got = await logitsOf(candidate.session, options.parity, options.padId);
    await candidate.release();
    parity = compareLogits(expected, got);
    loadMs = { plain: plain.ms, prepared: candidate.ms };
  } catch (err) {
    await rm(part, { force: true });
    throw err;
  }
  const figures = `max |Δlogit| ${parity.maxAbsLogitDiff.toExponential(2)}, labels agree ${(parity.labelAgreement * 100).toFixed(2)}% on ${options.parity.name}`;

  if (!(parity.maxAbsLogitDiff <= tolerance)) {
    await rm(part, { force: true });
    await rm(preparedPath, { force: true });
    log(`${preparedFile}: rejected (${figures}; tolerance ${tolerance}): the worker loads ${options.plainFile}`);
    return { status: 'rejected', preparedFile, parity, record: undefined, loadMs };
  }
  const record: PreparedModelRecord = {
    source: options.plainFile,
    sourceBytes,
    sourceSha256,
    onnxruntime: ortVersion,
    graphOptimizationLevel: PREPARE_OPTIMIZATION_LEVEL,
    parity: { set: options.parity.name, ...parity, tolerance, reference: options.referenceLevel ?? 'all' },
    preparedAt: new Date().toISOString(),
  };
  await rename(part, preparedPath);
  await writeFile(`${recordPath}.part`, `${JSON.stringify(record, null, 2)}\n`);
  await rename(`${recordPath}.part`, recordPath);
  log(`${preparedFile}: prepared (${figures}; session load ${loadMs.plain.toFixed(0)} ms plain, ${loadMs.prepared.toFixed(0)} ms prepared)`);
  return { status: 'prepared', preparedFile, parity, record, loadMs };
}
