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
