/**
 * The record written beside a prepared (pre-optimized) ONNX file. It ties the prepared file to the
 * exact plain export it was made from, so a plain file replaced later (a new model version) never
 * runs with a stale prepared graph, and it keeps the parity figures measured when it was made.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { preparedRecordFile } from './model-dir-layout';

const ParitySchema = z.object({
  /** Where the token ids came from, e.g. "tweeteval-val (2000)" or "synthetic (seed 1, 256)". */
  set: z.string(),
  sequences: z.number().int().nonnegative(),
  maxAbsLogitDiff: z.number().nonnegative(),
  meanAbsLogitDiff: z.number().nonnegative(),
  /** Share of sequences whose argmax label is the same in both graphs. */
  labelAgreement: z.number().min(0).max(1),
  tolerance: z.number().positive(),
  /** How the plain export ran for the reference: "all" (as the worker runs it) or "disabled" (unfused). */
  reference: z.enum(['all', 'disabled']).default('all'),
});

export const PreparedModelRecordSchema = z.object({
  /** The plain export, relative to the model directory (onnx/model_quantized.onnx). */
  source: z.string().min(1),
  sourceBytes: z.number().int().nonnegative(),
  sourceSha256: z.string().regex(/^[0-9a-f]{64}$/u),
  /** onnxruntime-node release that wrote the prepared graph. */
  onnxruntime: z.string(),
  /** onnxruntime's level when saving ("extended": fusions without hardware-specific layouts). */
  graphOptimizationLevel: z.string(),
  parity: ParitySchema,
  preparedAt: z.string(),
});

export type PreparedModelRecord = z.infer<typeof PreparedModelRecordSchema>;
export type ParityFigures = z.infer<typeof ParitySchema>;

/** The record of `plainFile`'s prepared file, or a sentence saying why there is no usable one. */
export async function readPreparedModelRecord(modelDir: string, plainFile: string): Promise<PreparedModelRecord | { problem: string }> {
  const file = path.join(modelDir, preparedRecordFile(plainFile));
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? `${preparedRecordFile(plainFile)} is missing` : `${preparedRecordFile(plainFile)} is unreadable` };
  }
  const parsed = PreparedModelRecordSchema.safeParse(raw);
  if (!parsed.success) return { problem: `${preparedRecordFile(plainFile)} is invalid: ${parsed.error.issues[0]?.message ?? 'bad shape'}` };
  return parsed.data;
}
