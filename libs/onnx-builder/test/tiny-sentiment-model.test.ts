import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { tinyModelTokenLabels, writeTinyModelDir } from '@sentiment/onnx-builder';
import { loadRobertaTokenizer, readRobertaModelConfig, resolveOnnxModelPath, robertaTokenizerAssetsDir, type RobertaTokenizer } from '@sentiment/scoring';
import { argmax, createSession, runLogits, type TestSession } from './ort-run';

const POSITIVE = ['I love this, thanks so much!', 'Great service, the agent was amazing', 'Excellent. Happy with everything'];
const NEGATIVE = ['This is terrible, I want a refund', 'Worst call ever, the agent was rude', 'I hate waiting, awful experience'];
const NEUTRAL = ['The meeting is at noon on Tuesday.', 'Please call me back at the number on file', ''];

describe('tiny known-answer model directory', () => {
  let dir: string;
  let tokenizer: RobertaTokenizer;
  let session: TestSession;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tiny-model-'));
    await writeTinyModelDir(dir);
    tokenizer = await loadRobertaTokenizer(dir);
    session = await createSession(resolveOnnxModelPath(dir));
  });
  afterAll(async () => {
    await session.release();
    await rm(dir, { recursive: true, force: true });
  });

  it('when written, then it is laid out like the hub repository', async () => {
    expect((await readdir(dir)).sort()).toEqual(
      ['README.md', 'config.json', 'merges.txt', 'onnx', 'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.json'].sort(),
    );
    expect((await readdir(path.join(dir, 'onnx'))).sort()).toEqual(['model.onnx', 'model_quantized.onnx']);
    const config = readRobertaModelConfig(dir);
    expect(config.labels).toEqual(['negative', 'neutral', 'positive']);
    expect(config.maxTokens).toBe(512);
  });

  it('when its tokenizer.json is loaded, then it encodes like the in-repo vocab/merges', async () => {
    const reference = await loadRobertaTokenizer(robertaTokenizerAssetsDir());
    for (const text of [...POSITIVE, ...NEGATIVE, '@bob https://x 😀']) expect(tokenizer.encode(text)).toEqual(reference.encode(text));
  });

  it('when sentiment words are looked up, then both spellings with and without the leading space are weighted', async () => {
    const vocab = JSON.parse(await readFile(path.join(dir, 'vocab.json'), 'utf8')) as Record<string, number>;
    const labels = tinyModelTokenLabels(vocab);
    expect(labels.get(vocab['Ġgood'] as number)).toBe(2);
    expect(labels.get(vocab['good'] as number)).toBe(2);
    expect(labels.get(vocab['Ġrefund'] as number)).toBe(0);
    expect(labels.get(vocab['Ġthe'] as number)).toBeUndefined();
  });

  it('when clearly positive, negative and neutral texts run through onnxruntime, then the labels are 2, 0 and 1', async () => {
    const texts = [...POSITIVE, ...NEGATIVE, ...NEUTRAL];
    const logits = await runLogits(session, texts.map((t) => tokenizer.encode(t)));
    expect(logits.map(argmax)).toEqual([...POSITIVE.map(() => 2), ...NEGATIVE.map(() => 0), ...NEUTRAL.map(() => 1)]);
  });

  it('when a text is scored alone or padded inside a batch, then its logits are the same', async () => {
    const short = tokenizer.encode('good');
    const [alone] = await runLogits(session, [short]);
    const [padded] = await runLogits(session, [short, tokenizer.encode('a much longer neutral sentence about the weather today')]);
    expect(padded).toEqual(alone);
  });

  it('when the quantized file name is loaded, then it answers the same', async () => {
    const int8 = await createSession(path.join(dir, 'onnx', 'model_quantized.onnx'));
    const ids = [tokenizer.encode(POSITIVE[0] as string), tokenizer.encode(NEGATIVE[0] as string)];
    expect(await runLogits(int8, ids)).toEqual(await runLogits(session, ids));
    await int8.release();
  });
});
