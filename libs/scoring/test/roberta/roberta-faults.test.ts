/**
 * Real faults, no mocks: missing files, a corrupt .onnx, graphs that fail inside onnxruntime or
 * answer in the wrong shape, and a genuinely slow graph for the timeout.
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ModelError } from '@sentiment/errors';
import { createRobertaScorer, type RobertaScorer } from '../../src/roberta/roberta-scorer';
import { failsAtRunTimeModel, firstTokensModel, slowModel, wrongOutputShapeModel } from './onnx-test-models';
import { modelDirWith } from './model-dir-fixture';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function dirWith(onnx: Buffer): Promise<string> {
  const fixture = await modelDirWith(onnx);
  cleanups.push(fixture.cleanup);
  return fixture.dir;
}

async function scorerFor(onnx: Buffer, options: { timeoutMs?: number; threads?: number } = {}): Promise<RobertaScorer> {
  const scorer = await createRobertaScorer({ modelDir: await dirWith(onnx), threads: options.threads ?? 1, ...options });
  cleanups.push(() => scorer.close());
  return scorer;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ModelError);
    return (err as ModelError).code;
  }
  throw new Error('expected a rejection');
}

describe('createRobertaScorer start-up faults', () => {
  it('when the model directory does not exist, then it fails with MODEL_NOT_FOUND', async () => {
    expect(await codeOf(createRobertaScorer({ modelDir: '/nonexistent/model-dir' }))).toBe('MODEL_NOT_FOUND');
  });

  it('when the onnx file is missing, then it fails with MODEL_NOT_FOUND', async () => {
    const dir = await dirWith(firstTokensModel());
    await rm(path.join(dir, 'onnx'), { recursive: true });
    expect(await codeOf(createRobertaScorer({ modelDir: dir, threads: 1 }))).toBe('MODEL_NOT_FOUND');
  });

  it('when the tokenizer files are missing, then it fails with MODEL_NOT_FOUND', async () => {
    const dir = await dirWith(firstTokensModel());
    await rm(path.join(dir, 'merges.txt'));
    expect(await codeOf(createRobertaScorer({ modelDir: dir, threads: 1 }))).toBe('MODEL_NOT_FOUND');
  });

  it('when the onnx file holds garbage bytes, then it fails with MODEL_LOAD_FAILED', async () => {
    const dir = await dirWith(firstTokensModel());
    await writeFile(path.join(dir, 'onnx', 'model.onnx'), Buffer.from('this is not a protobuf \u0000\u00ff'.repeat(64)));
    expect(await codeOf(createRobertaScorer({ modelDir: dir, threads: 2 }))).toBe('MODEL_LOAD_FAILED');
  });

  it('when config.json maps a logit to an unknown label, then it fails with MODEL_LOAD_FAILED', async () => {
    const dir = await dirWith(firstTokensModel());
    await writeFile(path.join(dir, 'config.json'), JSON.stringify({ id2label: { 0: 'negative', 1: 'happy', 2: 'positive' } }));
    expect(await codeOf(createRobertaScorer({ modelDir: dir, threads: 1 }))).toBe('MODEL_LOAD_FAILED');
  });
});

describe('createRobertaScorer settings', () => {
  it('when a setting is out of range, then it fails with CONFIG_INVALID before touching the model', async () => {
    for (const bad of [{ threads: 0 }, { maxBatchSize: 2.5 }, { lowConfidenceThreshold: 1.5 }, { timeoutMs: -1 }]) {
      await expect(createRobertaScorer({ modelDir: '/nonexistent', ...bad })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    }
  });
});

describe('RobertaScorer run-time faults', () => {
  it('when onnxruntime fails inside the run, then score rejects with MODEL_INFERENCE_FAILED and the next call still runs', async () => {
    const scorer = await scorerFor(failsAtRunTimeModel());
    expect(await codeOf(scorer.score(['hello world']))).toBe('MODEL_INFERENCE_FAILED');
    expect(await codeOf(scorer.score(['again']))).toBe('MODEL_INFERENCE_FAILED');
  });

  it('when the model answers with the wrong number of labels, then score rejects with MODEL_INFERENCE_FAILED', async () => {
    const scorer = await scorerFor(wrongOutputShapeModel());
    expect(await codeOf(scorer.score(['hello world']))).toBe('MODEL_INFERENCE_FAILED');
  });

  it('when a run takes longer than timeoutMs, then score rejects with MODEL_TIMEOUT', async () => {
    // ~0.5-1 s of native looping per run against a 100 ms deadline.
    const scorer = await scorerFor(slowModel(300_000), { timeoutMs: 100 });
    expect(await codeOf(scorer.score(['hello world']))).toBe('MODEL_TIMEOUT');
  });

  it('when a native run is in progress, then the main event loop keeps turning', async () => {
    const scorer = await scorerFor(slowModel(300_000), { timeoutMs: 60_000 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      await scorer.score(['hello world']);
    } finally {
      clearInterval(timer);
    }
    // Blocked, the loop would tick at most once or twice over the whole run.
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  it('when the scorer is closed while a native run is in progress, then close waits for it and the process survives', async () => {
    const scorer = await createRobertaScorer({ modelDir: await dirWith(slowModel(300_000)), threads: 1, timeoutMs: 60_000 });
    const running = scorer.score(['hello world']);
    await new Promise((r) => setTimeout(r, 50));
    // Terminating the worker now would abort the whole process (see inference-pool.ts).
    await scorer.close();
    const [score] = await running;
    expect(score?.model).toBe('roberta-onnx');
  });
});
