/** The real pipeline (tokenizer, worker pool, onnxruntime, softmax) on the tiny known-answer model. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRobertaScorer, type RobertaScorer } from '../../src/roberta/roberta-scorer';
import { tinyModelDir } from './tiny-model-fixture';

describe('RobertaScorer on the tiny known-answer model', () => {
  let fixture: Awaited<ReturnType<typeof tinyModelDir>>;
  let scorer: RobertaScorer;

  beforeAll(async () => {
    fixture = await tinyModelDir();
    scorer = await createRobertaScorer({ modelDir: fixture.dir, threads: 2, lowConfidenceThreshold: 0.9 });
  });
  afterAll(async () => {
    await scorer?.close();
    await fixture?.cleanup();
  });

  it('when texts are clearly positive, negative or neutral, then the labels say so in input order', async () => {
    const scores = await scorer.score([
      'I love this, great service, thanks!',
      'terrible, awful, the worst experience',
      'The meeting is on Tuesday at noon.',
      'so amazing',
    ]);
    expect(scores.map((s) => s.label)).toEqual(['positive', 'negative', 'neutral', 'positive']);
    for (const s of scores) {
      expect(s.model).toBe('roberta-onnx');
      expect(s.scores.negative + s.scores.neutral + s.scores.positive).toBeCloseTo(1, 5);
      expect(s.confidence).toBe(Math.max(s.scores.negative, s.scores.neutral, s.scores.positive));
      expect(s.low_confidence).toBe(s.confidence < 0.9);
    }
  });

  it('when the default model file is used, then the int8 file name is the one loaded', () => {
    expect(scorer.settings.modelPath.endsWith('onnx/model_quantized.onnx')).toBe(true);
  });

  it('when modelFile names the fp32 file, then that file is loaded and answers the same', async () => {
    const fp32 = await createRobertaScorer({ modelDir: fixture.dir, modelFile: 'onnx/model.onnx', threads: 1 });
    try {
      expect(fp32.settings.modelPath.endsWith('onnx/model.onnx')).toBe(true);
      const [score] = await fp32.score(['I hate this, it is broken']);
      expect(score?.label).toBe('negative');
    } finally {
      await fp32.close();
    }
  });

  it('when a batch is larger than maxBatchSize, then every text is still scored in order', async () => {
    const texts = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? `so great ${i}` : `so awful ${i}`));
    const scores = await scorer.score(texts);
    expect(scores.map((s) => s.label)).toEqual(texts.map((_, i) => (i % 2 === 0 ? 'positive' : 'negative')));
  });

  it('when the scorer is closed, then score rejects and close can be called again', async () => {
    const other = await createRobertaScorer({ modelDir: fixture.dir, threads: 1 });
    await other.close();
    await expect(other.score(['good'])).rejects.toMatchObject({ code: 'MODEL_INFERENCE_FAILED' });
    await expect(other.close()).resolves.toBeUndefined();
  });
});
