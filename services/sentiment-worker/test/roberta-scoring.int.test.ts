import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SentimentResult } from '@sentiment/events';
import { writeTinyModelDir } from '@sentiment/onnx-builder';
import { loadRobertaTokenizer } from '@sentiment/scoring';
import { produceJson, testBootstrap } from '@sentiment/testing';
import { createTestTopics, startTestWorker, waitForOutcomes, waitForReady, workerEnv } from './helpers/worker-harness';

const positive = 'I love this, the agent was great and so helpful. Thanks, amazing service!';
const negative = 'This is terrible. I hate it, the worst and most awful experience. I am angry.';

/** A two-speaker call of about 5,000 tokens: angry at first, happy at the end. */
function longCall(): { speaker: string; text: string; start_ms: number; end_ms: number }[] {
  const segments = [];
  for (let i = 0; i < 60; i++) {
    const late = i >= 40;
    const speaker = i % 2 === 0 ? 'customer' : 'agent';
    const text =
      speaker === 'customer'
        ? `${late ? positive : negative} `.repeat(i === 0 ? 30 : 5) // the first turn is over the 512-token limit
        : 'I understand. Let me check the account and the order details for you, one moment please. '.repeat(5);
    segments.push({ speaker, text, start_ms: i * 10_000, end_ms: i * 10_000 + 9_000 });
  }
  return segments;
}

async function runWorkerOn(modelDir: string, events: { key: string; value: unknown }[]) {
  const bootstrap = testBootstrap();
  const topics = await createTestTopics(bootstrap, 2);
  const worker = await startTestWorker(workerEnv(bootstrap, topics, { SCORER: 'auto', MODEL_DIR: modelDir, MODEL_THREADS: '2' }));
  try {
    await waitForReady(worker.url);
    await produceJson(bootstrap, topics.input, events);
    const { results } = await waitForOutcomes(bootstrap, topics, events.length);
    const health = (await (await fetch(`${worker.url}/health`)).json()) as { status: string; scorer: { active: string; model_loaded: boolean; degraded_reason?: string } };
    const byId = new Map(results.map((m) => {
      const r = JSON.parse(String(m.value)) as SentimentResult;
      return [r.call_id, r];
    }));
    return { byId, health };
  } finally {
    await worker.stop();
  }
}

describe('RoBERTa scoring through the real broker', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tiny-model-'));
    await writeTinyModelDir(dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('when the tiny known-answer model is loaded, then events are labelled by roberta-onnx with the expected labels', async () => {
    const tokenizer = await loadRobertaTokenizer(dir);
    const tokens = longCall().reduce((n, s) => n + tokenizer.countTokens(s.text), 0);
    expect(tokens).toBeGreaterThanOrEqual(5000);
    const { byId, health } = await runWorkerOn(dir, [
      { key: 'pos', value: { call_id: 'pos', text: positive } },
      { key: 'neg', value: { call_id: 'neg', text: negative } },
      { key: 'long', value: { call_id: 'long', segments: longCall() } },
    ]);
    expect(health.scorer).toMatchObject({ active: 'roberta-onnx', model_loaded: true });
    expect(health.status).toBe('ok');
    const pos = byId.get('pos');
    expect(pos).toMatchObject({ label: 'positive', model: 'roberta-onnx' });
    expect(pos?.scores.positive).toBeGreaterThan(0.5);
    expect(byId.get('neg')).toMatchObject({ label: 'negative', model: 'roberta-onnx' });

    const long = byId.get('long') as SentimentResult & { segments: { speaker: string }[]; speakers: Record<string, unknown>; trajectory: { trend: string; first_third: { label: string }; last_third: { label: string } } };
    expect(long.model).toBe('roberta-onnx');
    expect(long.segments).toHaveLength(60);
    expect(Object.keys(long.speakers).sort()).toEqual(['agent', 'customer']);
    expect(long.trajectory.first_third.label).toBe('negative');
    expect(long.trajectory.last_third.label).toBe('positive');
    expect(long.trajectory.trend).toBe('improving');
    expect(long.chunks).toBeGreaterThanOrEqual(61); // the long first turn was cut into windows
  });

  it('when the model file is corrupt, then events are labelled by vader and /health says degraded', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'broken-model-'));
    try {
      await writeTinyModelDir(broken);
      await writeFile(join(broken, 'onnx', 'model.onnx'), 'this is not an onnx file');
      await writeFile(join(broken, 'onnx', 'model_quantized.onnx'), 'this is not an onnx file');
      const { byId, health } = await runWorkerOn(broken, [{ key: 'pos', value: { call_id: 'pos', text: positive } }]);
      expect(byId.get('pos')).toMatchObject({ label: 'positive', model: 'vader' });
      expect(health.status).toBe('degraded');
      expect(health.scorer).toMatchObject({ active: 'vader', model_loaded: false });
      expect(health.scorer.degraded_reason).toMatch(/MODEL_LOAD_FAILED/);
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });

  it('when the model directory is missing, then events are labelled by vader and /health says degraded', async () => {
    const { byId, health } = await runWorkerOn(join(tmpdir(), 'no-such-model-dir'), [{ key: 'neg', value: { call_id: 'neg', text: negative } }]);
    expect(byId.get('neg')).toMatchObject({ label: 'negative', model: 'vader' });
    expect(health.status).toBe('degraded');
    expect(health.scorer.degraded_reason).toMatch(/MODEL_NOT_FOUND/);
  });
});
