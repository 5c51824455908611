/**
 * The fallback path end to end with real parts: the worker pool on real (tiny or deliberately
 * faulty) ONNX models as the primary and the real VaderScorer as the fallback.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { BreakerState } from '../../src/fallback/circuit-breaker';
import { createScorer } from '../../src/fallback/create-scorer';
import type { FallbackReason } from '../../src/fallback/fallback-scorer';
import { VaderScorer } from '../../src/vader/vader-scorer';
import { onlyWidthModel, slowModel } from '../roberta/onnx-test-models';
import { tinyModelDir } from '../roberta/tiny-model-fixture';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function fixture(onnx?: Buffer) {
  const dir = await tinyModelDir();
  cleanups.push(dir.cleanup);
  if (onnx) await dir.replaceOnnx(onnx);
  return dir.dir;
}

async function setupWith(modelDir: string, opts: { timeoutMs?: number; failureThreshold?: number; coolDownMs?: number } = {}) {
  const reasons: FallbackReason[] = [];
  const states: BreakerState[] = [];
  const setup = await createScorer({
    roberta: { modelDir, threads: 1, ...(opts.timeoutMs !== undefined && { timeoutMs: opts.timeoutMs }) },
    createFallback: () => new VaderScorer(),
    breaker: { failureThreshold: opts.failureThreshold ?? 2, coolDownMs: opts.coolDownMs ?? 60_000 },
    onFallback: (r) => reasons.push(r),
    onStateChange: (s) => states.push(s),
  });
  cleanups.push(() => setup.scorer.close());
  return { setup, reasons, states };
}

describe('RoBERTa with VADER fallback, real models', () => {
  it('when the model is healthy, then RoBERTa scores and health is ok', async () => {
    const { setup, reasons } = await setupWith(await fixture());
    const scores = await setup.scorer.score(['I love it, thanks!', 'this is awful']);
    expect(scores.map((s) => [s.model, s.label])).toEqual([
      ['roberta-onnx', 'positive'],
      ['roberta-onnx', 'negative'],
    ]);
    expect(reasons).toEqual([]);
    expect(setup.health()).toMatchObject({ status: 'ok', primary: 'roberta-onnx', fallback: 'vader' });
  });

  it('when the onnx files are garbage, then start-up degrades to VADER with MODEL_LOAD_FAILED', async () => {
    const { setup } = await setupWith(await fixture(Buffer.from('\u0008\u00ff garbage, not a model '.repeat(100))));
    expect(setup.degraded?.code).toBe('MODEL_LOAD_FAILED');
    expect(setup.primary).toBeNull();
    const scores = await setup.scorer.score(['I love it, thanks!', 'this is awful']);
    expect(scores.map((s) => [s.model, s.label])).toEqual([
      ['vader', 'positive'],
      ['vader', 'negative'],
    ]);
    expect(setup.health()).toMatchObject({ status: 'degraded', degradedReason: { code: 'MODEL_LOAD_FAILED' } });
  });

  it('when the model fails at run time, then VADER scores those batches, the breaker opens after N, and a good trial closes it', async () => {
    // Works only on rows of exactly 7 tokens: <s> + 5 tokens + </s>.
    const { setup, reasons, states } = await setupWith(await fixture(onlyWidthModel(7)), { failureThreshold: 2, coolDownMs: 300 });
    const bad = ['I love it, thanks!'];
    const good = ['one two three four five'];

    expect((await setup.scorer.score(bad))[0]?.model).toBe('vader');
    expect(setup.health().status).toBe('ok');
    expect((await setup.scorer.score(bad))[0]).toMatchObject({ model: 'vader', label: 'positive' });
    expect(states).toEqual(['open']);
    expect(setup.health()).toMatchObject({ status: 'degraded', breaker: { state: 'open', consecutiveFailures: 2 } });

    // Open: even a batch the model could handle goes to VADER without trying the model.
    expect((await setup.scorer.score(good))[0]?.model).toBe('vader');
    expect(reasons.map((r) => [r.kind, r.code])).toEqual([
      ['error', 'MODEL_INFERENCE_FAILED'],
      ['error', 'MODEL_INFERENCE_FAILED'],
      ['circuit_open', undefined],
    ]);

    await sleep(350);
    expect((await setup.scorer.score(good))[0]?.model).toBe('roberta-onnx');
    expect(states).toEqual(['open', 'half_open', 'closed']);
    expect(setup.health().status).toBe('ok');
  });

  it('when the half-open trial fails, then the breaker opens again', async () => {
    const { setup, states } = await setupWith(await fixture(onlyWidthModel(7)), { failureThreshold: 1, coolDownMs: 100 });
    await setup.scorer.score(['I love it, thanks!']);
    await sleep(150);
    expect((await setup.scorer.score(['still too long for the model']))[0]?.model).toBe('vader');
    expect(states).toEqual(['open', 'half_open', 'open']);
  });

  it('when RoBERTa runs past its timeout, then VADER answers and the reason is timeout', async () => {
    const { setup, reasons } = await setupWith(await fixture(slowModel(300_000)), { timeoutMs: 100 });
    const scores = await setup.scorer.score(['I love it, thanks!']);
    expect(scores[0]).toMatchObject({ model: 'vader', label: 'positive' });
    expect(reasons).toEqual([expect.objectContaining({ kind: 'timeout', code: 'MODEL_TIMEOUT', texts: 1 })]);
  });
});
