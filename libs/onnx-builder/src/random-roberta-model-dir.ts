import path from 'node:path';
import { ModelDirFiles } from '@sentiment/scoring';
import { writeOnnxModel } from './onnx-model-writer';
import { ROBERTA_BASE, type RobertaArchitecture } from './roberta-architecture';
import { buildRobertaGraph, type RobertaDtype } from './roberta-graph';
import { writeRobertaSupportFiles } from './roberta-model-dir-files';

export interface RandomRobertaOptions {
  dtype: RobertaDtype;
  /** Default roberta-base (12 layers, hidden 768). */
  architecture?: RobertaArchitecture;
  /** Default 42. */
  seed?: number;
}

export interface RandomRobertaResult {
  /** The ONNX file written: onnx/model.onnx (fp32) or onnx/model_quantized.onnx (int8). */
  onnxFile: string;
  bytes: number;
  millis: number;
}

/**
 * Writes a model directory with a RoBERTa classifier of random (seeded, reproducible) weights:
 * the real model's size and compute, meaningless answers. For benchmarks and load tests.
 */
export async function writeRandomRobertaModelDir(dir: string, options: RandomRobertaOptions): Promise<RandomRobertaResult> {
  const started = performance.now();
  const a = options.architecture ?? ROBERTA_BASE;
  const seed = options.seed ?? 42;
  await writeRobertaSupportFiles(dir, {
    hidden_size: a.hidden,
    num_hidden_layers: a.layers,
    num_attention_heads: a.heads,
    intermediate_size: a.intermediate,
    vocab_size: a.vocabSize,
    max_position_embeddings: a.maxPositions,
    layer_norm_eps: a.layerNormEps,
    sentiment_test_model: `random weights (seed ${seed}, ${options.dtype}); not a trained model`,
  });
  const onnxFile = path.join(dir, options.dtype === 'int8' ? ModelDirFiles.onnxInt8 : ModelDirFiles.onnxFp32);
  const bytes = await writeOnnxModel(onnxFile, {
    graph: buildRobertaGraph(a, { dtype: options.dtype, seed }),
    docString: `RoBERTa sequence classifier with random weights (seed ${seed}); for benchmarks only.`,
    metadata: { purpose: 'benchmark', seed: String(seed), dtype: options.dtype },
  });
  return { onnxFile, bytes, millis: performance.now() - started };
}
