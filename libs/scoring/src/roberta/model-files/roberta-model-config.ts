import { ModelError } from '@sentiment/errors';
import { SentimentLabels, type SentimentLabel } from '../../scorer';
import { DEFAULT_ROBERTA_MAX_TOKENS, ROBERTA_POSITION_OFFSET } from '../tokenizer/roberta-special-tokens';
import { modelFileExists, readModelJson } from './model-dir-files';
import { ModelDirFiles } from './model-dir-layout';

/** What the scorer needs from config.json. */
export interface RobertaModelConfig {
  /** labels[i] is the sentiment of logit i (from id2label; the hub model: negative, neutral, positive). */
  labels: SentimentLabel[];
  /** Longest input in tokens, <s> and </s> included: max_position_embeddings - 2. */
  maxTokens: number;
  padTokenId: number;
  vocabSize: number | undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function labelsFrom(id2label: unknown, modelDir: string): SentimentLabel[] {
  if (!isRecord(id2label)) {
    throw new ModelError('MODEL_LOAD_FAILED', `config.json in ${modelDir} has no id2label`, { retriable: false });
  }
  const entries = Object.entries(id2label).map(([k, v]) => [Number(k), String(v).toLowerCase()] as const);
  entries.sort((a, b) => a[0] - b[0]);
  const labels = entries.map(([index, name], position) => {
    const label = SentimentLabels.find((l) => l === name);
    if (index !== position || label === undefined) {
      throw new ModelError('MODEL_LOAD_FAILED', `config.json in ${modelDir}: unsupported id2label ${JSON.stringify(id2label)}`, {
        retriable: false,
      });
    }
    return label;
  });
  if (new Set(labels).size !== SentimentLabels.length || labels.length !== SentimentLabels.length) {
    throw new ModelError('MODEL_LOAD_FAILED', `config.json in ${modelDir}: id2label must name negative, neutral and positive once each`, {
      retriable: false,
    });
  }
  return labels;
}

/** Derives the token limit from max_position_embeddings (514 for roberta-base -> 512). */
export function maxTokensFromConfig(config: unknown): number {
  if (isRecord(config)) {
    const positions = config['max_position_embeddings'];
    if (typeof positions === 'number' && Number.isInteger(positions) && positions > ROBERTA_POSITION_OFFSET + 2) {
      return positions - ROBERTA_POSITION_OFFSET;
    }
  }
  return DEFAULT_ROBERTA_MAX_TOKENS;
}

/** Reads `<modelDir>/config.json`. */
export function readRobertaModelConfig(modelDir: string): RobertaModelConfig {
  const config = readModelJson(modelDir, ModelDirFiles.config);
  if (!isRecord(config)) {
    throw new ModelError('MODEL_LOAD_FAILED', `config.json in ${modelDir} is not an object`, { retriable: false });
  }
  const pad = config['pad_token_id'];
  const vocab = config['vocab_size'];
  return {
    labels: labelsFrom(config['id2label'], modelDir),
    maxTokens: maxTokensFromConfig(config),
    padTokenId: typeof pad === 'number' ? pad : 1,
    vocabSize: typeof vocab === 'number' ? vocab : undefined,
  };
}

/** The token limit of a model directory: from config.json when present, else RoBERTa's 512. */
export function readMaxTokens(modelDir: string): number {
  return modelFileExists(modelDir, ModelDirFiles.config)
    ? maxTokensFromConfig(readModelJson(modelDir, ModelDirFiles.config))
    : DEFAULT_ROBERTA_MAX_TOKENS;
}
