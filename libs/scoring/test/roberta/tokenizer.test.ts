import { mkdtemp, readFile, rm, writeFile, copyFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ModelError } from '@sentiment/errors';
import {
  buildRobertaTokenizerJson,
  loadRobertaTokenizer,
  parseMergesTxt,
  preprocessTweetText,
  robertaTokenizerAssetsDir,
  type RobertaTokenizer,
} from '@sentiment/scoring';

describe('preprocessTweetText', () => {
  it('when a word is a mention, then it becomes @user', () => {
    expect(preprocessTweetText('@bob hi @alice_99!')).toBe('@user hi @user');
  });

  it('when a word is a lone @, then it stays', () => {
    expect(preprocessTweetText('meet @ noon')).toBe('meet @ noon');
  });

  it('when a word starts with http, then it becomes http', () => {
    expect(preprocessTweetText('see https://t.co/x and http://a.b/c?d')).toBe('see http and http');
  });

  it('when http is inside a word, then it stays', () => {
    expect(preprocessTweetText('xhttp://a stays')).toBe('xhttp://a stays');
  });

  it('when words are separated by newlines or repeated spaces, then the spacing is kept as the model card does', () => {
    expect(preprocessTweetText('a  @b\n@c')).toBe('a  @user');
    expect(preprocessTweetText('\n@c')).toBe('\n@c');
  });
});

describe('RobertaTokenizer', () => {
  let tokenizer: RobertaTokenizer;
  let tmp: string;
  beforeAll(async () => {
    tokenizer = await loadRobertaTokenizer(robertaTokenizerAssetsDir());
    tmp = await mkdtemp(path.join(os.tmpdir(), 'roberta-tok-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('when loaded from the in-repo assets, then the limit is max_position_embeddings - 2 = 512', () => {
    expect(tokenizer.maxTokens).toBe(512);
    expect([tokenizer.bosTokenId, tokenizer.padTokenId, tokenizer.eosTokenId]).toEqual([0, 1, 2]);
  });

  it('when the text is empty, then the encoding is just <s> </s>', () => {
    expect(tokenizer.encode('')).toEqual([0, 2]);
    expect(tokenizer.countTokens('')).toBe(2);
  });

  it('when a text has a mention and a link, then they encode as the placeholders', () => {
    expect(tokenizer.encode('@someone loved https://t.co/abc')).toEqual(tokenizer.encode('@user loved http'));
  });

  it('when a text has emoji, then they are byte-level tokens that decode back', () => {
    const ids = tokenizer.encode('so happy 😍👍🏽');
    expect(ids.length).toBeGreaterThan(5);
    expect(tokenizer.decode(ids)).toBe('so happy 😍👍🏽');
  });

  it('when a text is longer than the limit, then it is cut to 512 ids ending with </s> and countTokens tells the full length', () => {
    const text = Array.from({ length: 700 }, (_, i) => `w${i}`).join(' ');
    const ids = tokenizer.encode(text);
    expect(ids).toHaveLength(512);
    expect(ids[0]).toBe(0);
    expect(ids[511]).toBe(2);
    expect(tokenizer.countTokens(text)).toBeGreaterThan(512);
    // The kept part is the beginning of the text.
    expect(ids.slice(0, 100)).toEqual(tokenizer.encode(text).slice(0, 100));
    expect(tokenizer.decode(ids).startsWith('w0 w1 w2')).toBe(true);
  });

  it('when the directory holds tokenizer.json instead of vocab/merges, then the ids are the same', async () => {
    const assets = robertaTokenizerAssetsDir();
    const dir = path.join(tmp, 'with-tokenizer-json');
    await mkdir(dir, { recursive: true });
    const vocab = JSON.parse(await readFile(path.join(assets, 'vocab.json'), 'utf8')) as Record<string, number>;
    const merges = parseMergesTxt(await readFile(path.join(assets, 'merges.txt'), 'utf8'));
    await writeFile(path.join(dir, 'tokenizer.json'), JSON.stringify(buildRobertaTokenizerJson(vocab, merges)));
    await copyFile(path.join(assets, 'config.json'), path.join(dir, 'config.json'));
    const fromJson = await loadRobertaTokenizer(dir);
    const text = "Can't wait for @bob's show!! 🎉 https://x.y #fun";
    expect(fromJson.encode(text)).toEqual(tokenizer.encode(text));
    expect(fromJson.maxTokens).toBe(512);
  });

  it('when config.json has fewer positions, then the limit follows it', async () => {
    const assets = robertaTokenizerAssetsDir();
    const dir = path.join(tmp, 'short');
    await mkdir(dir, { recursive: true });
    await copyFile(path.join(assets, 'vocab.json'), path.join(dir, 'vocab.json'));
    await copyFile(path.join(assets, 'merges.txt'), path.join(dir, 'merges.txt'));
    await writeFile(path.join(dir, 'config.json'), JSON.stringify({ max_position_embeddings: 34 }));
    const short = await loadRobertaTokenizer(dir);
    expect(short.maxTokens).toBe(32);
    expect(short.encode('word '.repeat(100))).toHaveLength(32);
  });

  it('when the directory has no tokenizer files, then loading fails with MODEL_NOT_FOUND', async () => {
    const error = await loadRobertaTokenizer(path.join(tmp, 'missing')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).code).toBe('MODEL_NOT_FOUND');
  });

  it('when loaded inside a worker thread, then it encodes the same ids', async () => {
    const text = 'Worker threads love tokenizers @bob https://x';
    const entry = require.resolve('@sentiment/scoring');
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const scoring = require(workerData.entry);
      scoring.loadRobertaTokenizer(scoring.robertaTokenizerAssetsDir())
        .then((t) => parentPort.postMessage(t.encode(workerData.text)))
        .catch((e) => parentPort.postMessage({ error: String(e) }));`;
    const worker = new Worker(code, { eval: true, workerData: { entry, text } });
    const ids = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(ids).toEqual(tokenizer.encode(text));
  });
});
