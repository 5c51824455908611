/**
 * Which file the worker pool really loads when a prepared file sits beside the plain export, with
 * real workers and real graphs: the prepared file here is a *different* graph (firstTokensModel),
 * so the answers show which one served, not only the reported path.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createScorer } from '../../src/fallback/create-scorer';
import { createRobertaScorer } from '../../src/roberta/roberta-scorer';
import { VaderScorer } from '../../src/vader/vader-scorer';
import { firstTokensModel } from './onnx-test-models';
import { tinyModelDir } from './tiny-model-fixture';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const TEXTS = ['terrible, awful, the worst experience', 'I love this, great service, thanks!'];
const KNOWN_ANSWERS = ['negative', 'positive'];
const GARBAGE = Buffer.from('not an onnx graph \u0000\u00ff'.repeat(64));

/** The tiny known-answer model as the plain int8 export, `prepared` written as its prepared file with a current record. */
async function dirWithPrepared(prepared: Buffer): Promise<string> {
  const fixture = await tinyModelDir();
  cleanups.push(fixture.cleanup);
  const plain = await readFile(path.join(fixture.dir, 'onnx', 'model_quantized.onnx'));
  await writeFile(path.join(fixture.dir, 'onnx', 'model_quantized_optimized.onnx'), prepared);
  const record = {
    source: 'onnx/model_quantized.onnx',
    sourceBytes: plain.length,
    sourceSha256: createHash('sha256').update(plain).digest('hex'),
    onnxruntime: '1.30.0',
    graphOptimizationLevel: 'extended',
    parity: { set: 'test', sequences: 1, maxAbsLogitDiff: 0, meanAbsLogitDiff: 0, labelAgreement: 1, tolerance: 1e-3, reference: 'all' },
    preparedAt: new Date().toISOString(),
  };
  await writeFile(path.join(fixture.dir, 'onnx', 'model_quantized_optimized.json'), JSON.stringify(record));
  return fixture.dir;
}

async function scorerFor(modelDir: string, modelFile?: string) {
  const scorer = await createRobertaScorer({ modelDir, threads: 1, ...(modelFile !== undefined && { modelFile }) });
  cleanups.push(() => scorer.close());
  return scorer;
}

describe('loading a prepared model file', () => {
  it('when a current prepared file is present, then the workers load it (its answers, not the plain export’s) and say so', async () => {
    const dir = await dirWithPrepared(firstTokensModel());
    const scorer = await scorerFor(dir);
    expect(scorer.settings.modelPath).toBe(path.join(dir, 'onnx', 'model_quantized_optimized.onnx'));
    expect(scorer.settings.preparedModel).toBe(true);
    expect(scorer.settings.skippedModel).toBeNull();
    const labels = (await scorer.score(TEXTS)).map((s) => s.label);
    expect(labels).not.toEqual(KNOWN_ANSWERS);
  });

  it('when the prepared file is corrupt, then the workers fall back to the plain export and report the skipped file', async () => {
    const dir = await dirWithPrepared(GARBAGE);
    const scorer = await scorerFor(dir);
    expect(scorer.settings.modelPath).toBe(path.join(dir, 'onnx', 'model_quantized.onnx'));
    expect(scorer.settings.preparedModel).toBe(false);
    expect(scorer.settings.skippedModel?.path).toBe(path.join(dir, 'onnx', 'model_quantized_optimized.onnx'));
    expect(scorer.settings.skippedModel?.reason).toMatch(/cannot load .*model_quantized_optimized\.onnx/u);
    expect((await scorer.score(TEXTS)).map((s) => s.label)).toEqual(KNOWN_ANSWERS);
  });

  it('when MODEL_FILE names the plain export, then it is loaded although a current prepared file exists', async () => {
    const dir = await dirWithPrepared(firstTokensModel());
    const scorer = await scorerFor(dir, 'model_quantized.onnx');
    expect(scorer.settings.preparedModel).toBe(false);
    expect((await scorer.score(TEXTS)).map((s) => s.label)).toEqual(KNOWN_ANSWERS);
  });

  it('when the prepared file and the plain export are both corrupt, then start-up degrades to VADER with MODEL_LOAD_FAILED', async () => {
    const dir = await dirWithPrepared(GARBAGE);
    await writeFile(path.join(dir, 'onnx', 'model_quantized.onnx'), GARBAGE);
    // The record now describes another plain file: make it current again so the prepared file is tried first.
    const record = JSON.parse(await readFile(path.join(dir, 'onnx', 'model_quantized_optimized.json'), 'utf8')) as Record<string, unknown>;
    record['sourceBytes'] = GARBAGE.length;
    record['sourceSha256'] = createHash('sha256').update(GARBAGE).digest('hex');
    await writeFile(path.join(dir, 'onnx', 'model_quantized_optimized.json'), JSON.stringify(record));

    const setup = await createScorer({ roberta: { modelDir: dir, threads: 1 }, createFallback: () => new VaderScorer() });
    cleanups.push(() => setup.scorer.close());
    expect(setup.primary).toBeNull();
    expect(setup.degraded).toMatchObject({ code: 'MODEL_LOAD_FAILED' });
    expect(setup.degraded?.message).toMatch(/cannot load .*onnx\/model_quantized\.onnx.*after the prepared file failed: cannot load .*model_quantized_optimized\.onnx/u);
    expect(setup.health()).toMatchObject({ status: 'degraded', fallback: 'vader' });
    expect((await setup.scorer.score(TEXTS)).map((s) => s.model)).toEqual(['vader', 'vader']);
  });
});
