// Dev-only: generated ONNX models for tests, benchmarks and the model:* scripts. Runtime code
// (libs/*/src of the runtime libraries, services/*/src) must not import this library.
export { OnnxGraphBuilder, type Dim, type TensorData, type AttributeValue, type Attributes } from './onnx-graph-builder';
export { encodeOnnxModel, writeOnnxModel, type OnnxModelSpec } from './onnx-model-writer';
export { onnxSchema, OnnxDataType, type OnnxElementType } from './onnx-schema';
export {
  buildTinySentimentModel,
  tinyModelTokenLabels,
  TINY_POSITIVE_WORDS,
  TINY_NEGATIVE_WORDS,
  TINY_WORD_WEIGHT,
  TINY_NEUTRAL_BIAS,
} from './tiny-sentiment-model';
export { writeTinyModelDir } from './tiny-model-dir';
export { ROBERTA_BASE, robertaParameterCount, type RobertaArchitecture } from './roberta-architecture';
export { buildRobertaGraph, type RobertaDtype, type RobertaGraphOptions } from './roberta-graph';
export { writeRandomRobertaModelDir, type RandomRobertaOptions, type RandomRobertaResult } from './random-roberta-model-dir';
