import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelError } from '@sentiment/errors';
import { modelFileExists } from '../model-files/model-dir-files';
import { ModelDirFiles } from '../model-files/model-dir-layout';
import { readMaxTokens } from '../model-files/roberta-model-config';
import { RobertaTokenizer, type TokenizerDefinition } from './roberta-tokenizer';
import { buildRobertaTokenizerJson, parseMergesTxt } from './roberta-tokenizer-json';

export interface LoadRobertaTokenizerOptions {
  /** Overrides the limit derived from config.json (max_position_embeddings - 2, else 512). */
  maxTokens?: number;
}

async function readText(modelDir: string, file: string): Promise<string> {
  try {
    return await readFile(path.join(modelDir, file), 'utf8');
  } catch (cause) {
    throw new ModelError('MODEL_NOT_FOUND', `cannot read ${file} in model directory ${modelDir}`, {
      retriable: false,
      cause,
      details: { modelDir, file },
    });
  }
}

async function readJson(modelDir: string, file: string): Promise<object> {
  const text = await readText(modelDir, file);
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null) throw new TypeError('not a JSON object');
    return value;
  } catch (cause) {
    throw new ModelError('TOKENIZER_FAILED', `${file} in ${modelDir} is not a JSON object`, { retriable: false, cause });
  }
}

/**
 * Reads a tokenizer from a model directory laid out as on the hub, from local disk only:
 * tokenizer.json when present, otherwise vocab.json + merges.txt turned into the equivalent
 * tokenizer.json in memory.
 */
export async function readTokenizerDefinition(modelDir: string, options: LoadRobertaTokenizerOptions = {}): Promise<TokenizerDefinition> {
  const tokenizerJson = modelFileExists(modelDir, ModelDirFiles.tokenizerJson)
    ? await readJson(modelDir, ModelDirFiles.tokenizerJson)
    : buildRobertaTokenizerJson(
        (await readJson(modelDir, ModelDirFiles.vocab)) as Record<string, number>,
        parseMergesTxt(await readText(modelDir, ModelDirFiles.merges)),
      );
  const tokenizerConfig = modelFileExists(modelDir, ModelDirFiles.tokenizerConfig)
    ? await readJson(modelDir, ModelDirFiles.tokenizerConfig)
    : {};
  return { tokenizerJson, tokenizerConfig, maxTokens: options.maxTokens ?? readMaxTokens(modelDir) };
}

/** Loads the RoBERTa tokenizer of `modelDir` (never touches the network). */
export async function loadRobertaTokenizer(modelDir: string, options: LoadRobertaTokenizerOptions = {}): Promise<RobertaTokenizer> {
  return new RobertaTokenizer(await readTokenizerDefinition(modelDir, options));
}
