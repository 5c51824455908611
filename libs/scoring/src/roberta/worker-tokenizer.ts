/**
 * The tokenizer as the inference worker sees it: one seam, so the worker depends on a
 * one-method shape rather than on the tokenizer module's whole surface.
 */
import { loadRobertaTokenizer } from './tokenizer/load-roberta-tokenizer';

export interface WorkerTokenizer {
  /** `<s> ... </s>` ids, preprocessed and truncated to the model's limit. */
  encode(text: string): number[];
}

export function loadWorkerTokenizer(modelDir: string): Promise<WorkerTokenizer> {
  return loadRobertaTokenizer(modelDir);
}
