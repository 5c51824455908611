import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ModelError } from '@sentiment/errors';
import { createScorer } from '../../src/fallback/create-scorer';
import { ConstantScorer, inferenceFailure, ScriptedScorer } from './fake-scorers';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('createScorer', () => {
  it('when the model directory does not exist, then it serves with the fallback and reports degraded MODEL_NOT_FOUND', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'no-model-'));
    dirs.push(dir);
    const setup = await createScorer({
      roberta: { modelDir: path.join(dir, 'missing') },
      createFallback: () => new ConstantScorer('vader'),
    });
    expect(setup.primary).toBeNull();
    expect(setup.degraded?.code).toBe('MODEL_NOT_FOUND');
    const scores = await setup.scorer.score(['hello']);
    expect(scores[0]?.model).toBe('vader');
    expect(setup.health()).toMatchObject({ status: 'degraded', primary: 'roberta-onnx', fallback: 'vader', breaker: null });
    await setup.scorer.close();
  });

  it('when the primary starts, then results come from it and health is ok until the breaker opens', async () => {
    const primary = new ScriptedScorer('roberta-onnx');
    const setup = await createScorer({
      roberta: { modelDir: 'unused' },
      createPrimary: async () => primary,
      createFallback: () => new ConstantScorer('vader'),
      breaker: { failureThreshold: 1, coolDownMs: 60_000 },
    });
    expect(setup.degraded).toBeNull();
    expect((await setup.scorer.score(['a']))[0]?.model).toBe('roberta-onnx');
    expect(setup.health()).toMatchObject({ status: 'ok', breaker: { state: 'closed' } });
    primary.failWith = inferenceFailure();
    expect((await setup.scorer.score(['a']))[0]?.model).toBe('vader');
    expect(setup.health()).toMatchObject({ status: 'degraded', breaker: { state: 'open' } });
    await setup.scorer.close();
  });

  it('when the primary factory throws a load error, then the reason keeps its code', async () => {
    const setup = await createScorer({
      roberta: { modelDir: 'unused' },
      createPrimary: async () => {
        throw new ModelError('MODEL_LOAD_FAILED', 'protobuf parsing failed', { retriable: false });
      },
      createFallback: () => new ConstantScorer('vader'),
    });
    expect(setup.degraded).toEqual({ code: 'MODEL_LOAD_FAILED', message: 'protobuf parsing failed' });
  });

  it('when RoBERTa is not configured, then the fallback serves and health is ok', async () => {
    const setup = await createScorer({ createFallback: () => new ConstantScorer('vader') });
    expect(setup.scorer.name).toBe('vader');
    expect(setup.health().status).toBe('ok');
  });
});
