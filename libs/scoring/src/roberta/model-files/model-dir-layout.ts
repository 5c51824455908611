/**
 * File names inside a model directory, laid out as on the Hugging Face hub
 * (e.g. onnx-community/twitter-roberta-base-sentiment-ONNX):
 *
 *   config.json                 architecture, id2label, max_position_embeddings
 *   tokenizer.json              full tokenizer definition (preferred when present)
 *   tokenizer_config.json       tokenizer options (optional)
 *   vocab.json + merges.txt     legacy byte-level BPE files (used when tokenizer.json is absent)
 *   special_tokens_map.json     special tokens (optional; RoBERTa's are fixed)
 *   onnx/model.onnx             fp32 export
 *   onnx/model_quantized.onnx   int8 (dynamic quantization) export
 *
 * and, written by `npm run model:prepare` (and model:download) next to a plain export:
 *
 *   onnx/model_quantized_optimized.onnx    the int8 export with onnxruntime's graph fusions applied
 *   onnx/model_quantized_optimized.json    its record: source file hash, onnxruntime version, parity
 *   onnx/model_optimized.onnx (+ .json)    the same for the fp32 export
 */
export const ModelDirFiles = {
  config: 'config.json',
  tokenizerJson: 'tokenizer.json',
  tokenizerConfig: 'tokenizer_config.json',
  vocab: 'vocab.json',
  merges: 'merges.txt',
  specialTokensMap: 'special_tokens_map.json',
  onnxFp32: 'onnx/model.onnx',
  onnxInt8: 'onnx/model_quantized.onnx',
} as const;

/** ONNX files tried when no file is named: int8 first (the faster one on CPU), then fp32, then a bare export. */
export const DEFAULT_ONNX_CANDIDATES: readonly string[] = [ModelDirFiles.onnxInt8, ModelDirFiles.onnxFp32, 'model.onnx'];

/** The prepared (pre-optimized) file written next to a plain export: `onnx/x.onnx` -> `onnx/x_optimized.onnx`. */
export function preparedModelFile(plainFile: string): string {
  return plainFile.replace(/\.onnx$/u, '') + '_optimized.onnx';
}

/** The record describing a prepared file: `onnx/x_optimized.onnx` -> `onnx/x_optimized.json`. */
export function preparedRecordFile(plainFile: string): string {
  return preparedModelFile(plainFile).replace(/\.onnx$/u, '.json');
}

/** The plain export a prepared file is made from: `onnx/x_optimized.onnx` -> `onnx/x.onnx`. */
export function plainModelFileOf(preparedFile: string): string {
  return preparedFile.replace(/_optimized\.onnx$/u, '.onnx');
}

/** True for a name written by the preparation step (never a plain export). */
export function isPreparedModelFile(file: string): boolean {
  return /_optimized\.onnx$/u.test(file);
}
