import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ModelError } from '@sentiment/errors';
import { selectModelFile } from '../../../src/roberta/model-files/model-file-selection';
import type { PreparedModelRecord } from '../../../src/roberta/model-files/prepared-model-record';

// Selection reads files and records only; what the bytes are does not matter here (loading them
// is tested with real workers in prepared-model-loading.test.ts).
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'model-select-'));
  await mkdir(path.join(dir, 'onnx'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const at = (file: string): string => path.join(dir, file);

async function put(file: string, content: string): Promise<Buffer> {
  const bytes = Buffer.from(content);
  await writeFile(at(file), bytes);
  return bytes;
}

function record(source: string, plain: Buffer): PreparedModelRecord {
  return {
    source,
    sourceBytes: plain.length,
    sourceSha256: sha(plain),
    onnxruntime: '1.30.0',
    graphOptimizationLevel: 'extended',
    parity: { set: 'test', sequences: 1, maxAbsLogitDiff: 0, meanAbsLogitDiff: 0, labelAgreement: 1, tolerance: 1e-3, reference: 'all' },
    preparedAt: '2026-12-01T00:00:00.000Z',
  };
}

async function prepared(plainFile: string, plain: Buffer, patch: Partial<PreparedModelRecord> = {}): Promise<void> {
  const base = plainFile.replace(/\.onnx$/u, '');
  await put(`${base}_optimized.onnx`, 'prepared graph');
  await writeFile(at(`${base}_optimized.json`), JSON.stringify({ ...record(plainFile, plain), ...patch }));
}

describe('selectModelFile', () => {
  it('when only plain exports exist, then auto picks the int8 one and names no fallback', async () => {
    await put('onnx/model.onnx', 'fp32');
    await put('onnx/model_quantized.onnx', 'int8');
    expect(await selectModelFile(dir)).toEqual({ modelPath: at('onnx/model_quantized.onnx'), fallbackPath: undefined, prepared: false, skipped: undefined });
  });

  it('when a current prepared int8 file exists, then auto picks it with the plain file as fallback', async () => {
    const plain = await put('onnx/model_quantized.onnx', 'int8');
    await prepared('onnx/model_quantized.onnx', plain);
    expect(await selectModelFile(dir, 'auto')).toEqual({
      modelPath: at('onnx/model_quantized_optimized.onnx'),
      fallbackPath: at('onnx/model_quantized.onnx'),
      prepared: true,
      skipped: undefined,
    });
  });

  it('when only fp32 and its prepared file exist, then auto picks the prepared fp32 file', async () => {
    const plain = await put('onnx/model.onnx', 'fp32');
    await prepared('onnx/model.onnx', plain);
    const choice = await selectModelFile(dir);
    expect(choice.modelPath).toBe(at('onnx/model_optimized.onnx'));
    expect(choice.fallbackPath).toBe(at('onnx/model.onnx'));
  });

  it('when a prepared fp32 file exists beside a plain int8 export, then auto still prefers int8 (precision first)', async () => {
    await put('onnx/model_quantized.onnx', 'int8');
    const fp32 = await put('onnx/model.onnx', 'fp32');
    await prepared('onnx/model.onnx', fp32);
    expect((await selectModelFile(dir)).modelPath).toBe(at('onnx/model_quantized.onnx'));
  });

  it('when the plain file was replaced after preparing (same size, other bytes), then the stale prepared file is skipped', async () => {
    const plain = await put('onnx/model_quantized.onnx', 'int8-v1');
    await prepared('onnx/model_quantized.onnx', plain);
    await put('onnx/model_quantized.onnx', 'int8-v2');
    const choice = await selectModelFile(dir);
    expect(choice.modelPath).toBe(at('onnx/model_quantized.onnx'));
    expect(choice.prepared).toBe(false);
    expect(choice.skipped?.path).toBe(at('onnx/model_quantized_optimized.onnx'));
    expect(choice.skipped?.reason).toMatch(/prepared from another onnx\/model_quantized\.onnx/u);
  });

  it('when the prepared file has no record, or an invalid one, or one for another file, then the plain file is chosen and the reason given', async () => {
    const plain = await put('onnx/model_quantized.onnx', 'int8');
    await put('onnx/model_quantized_optimized.onnx', 'prepared graph');
    expect((await selectModelFile(dir)).skipped?.reason).toMatch(/model_quantized_optimized\.json is missing/u);

    await writeFile(at('onnx/model_quantized_optimized.json'), '{ not json');
    expect((await selectModelFile(dir)).skipped?.reason).toMatch(/unreadable/u);

    await writeFile(at('onnx/model_quantized_optimized.json'), JSON.stringify({ ...record('onnx/model_quantized.onnx', plain), sourceSha256: 'nope' }));
    expect((await selectModelFile(dir)).skipped?.reason).toMatch(/invalid/u);

    await writeFile(at('onnx/model_quantized_optimized.json'), JSON.stringify(record('onnx/model.onnx', plain)));
    const choice = await selectModelFile(dir);
    expect(choice.modelPath).toBe(at('onnx/model_quantized.onnx'));
    expect(choice.skipped?.reason).toMatch(/describes onnx\/model\.onnx/u);
  });

  it('when MODEL_FILE names a plain export, then exactly that file loads, even with a current prepared file beside it', async () => {
    const plain = await put('onnx/model_quantized.onnx', 'int8');
    await put('onnx/model.onnx', 'fp32');
    await prepared('onnx/model_quantized.onnx', plain);
    expect(await selectModelFile(dir, 'model_quantized.onnx')).toEqual({ modelPath: at('onnx/model_quantized.onnx'), fallbackPath: undefined, prepared: false, skipped: undefined });
    // A bare name is looked up in onnx/ (the hub layout), as MODEL_FILE=model.onnx means.
    expect((await selectModelFile(dir, 'model.onnx')).modelPath).toBe(at('onnx/model.onnx'));
  });

  it('when MODEL_FILE names a prepared file, then it loads when current and the plain file otherwise', async () => {
    const plain = await put('onnx/model.onnx', 'fp32');
    await put('onnx/model_quantized.onnx', 'int8');
    const missing = await selectModelFile(dir, 'model_optimized.onnx');
    expect(missing.modelPath).toBe(at('onnx/model.onnx'));
    expect(missing.skipped?.reason).toMatch(/model_optimized\.onnx is missing/u);
    await prepared('onnx/model.onnx', plain);
    const current = await selectModelFile(dir, 'model_optimized.onnx');
    expect(current.modelPath).toBe(at('onnx/model_optimized.onnx'));
    expect(current.fallbackPath).toBe(at('onnx/model.onnx'));
  });

  it('when the plain export is missing, then it fails with MODEL_NOT_FOUND even if a prepared file is there', async () => {
    const plain = Buffer.from('int8');
    await prepared('onnx/model_quantized.onnx', plain);
    await expect(selectModelFile(dir)).rejects.toThrow(ModelError);
    await expect(selectModelFile(dir)).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
  });
});
