import { OnnxGraphBuilder } from './onnx-graph-builder';
import type { RobertaArchitecture } from './roberta-architecture';
import { hashSeed, quantizeInt8, quantizeInt8PerColumn, truncatedNormal, type PerColumnInt8 } from './seeded-random';

export type RobertaDtype = 'fp32' | 'int8';

export interface RobertaGraphOptions {
  dtype: RobertaDtype;
  /** Base seed of every weight (each tensor's values depend on the seed and its name only). */
  seed: number;
}

// Random weights are clamped to ±4 std, so the int8 word-embedding table uses one fixed scale: 4·std / 127.
const CLAMP_SIGMAS = 4;
const FLOAT32_MIN = -3.4028234663852886e38;

/**
 * Builds RobertaForSequenceClassification as an ONNX graph with seeded random weights, matching
 * the hub export's interface: input_ids, attention_mask int64 [batch, sequence] -> logits [batch, labels].
 *
 * Same computation as Hugging Face's RoBERTa: position ids = cumsum(input_ids != pad) * mask + pad;
 * post-LN encoder layers; exact GELU through Erf; classifier on <s>: dense, tanh, out_proj.
 * int8 follows onnxruntime's dynamic quantization (what the hub's model_quantized.onnx uses):
 * DynamicQuantizeLinear on activations + MatMulInteger against int8 weights for every dense layer,
 * each weight with its own per-column scales, and the word-embedding table stored as int8 behind
 * DequantizeLinear.
 */
/**
 * Quantizes a weight once for both initializers that need it (values, then scales, written one
 * after the other), so the tensor is generated once and dropped after its second use.
 */
function lazyPerColumn(values: () => Float32Array, rows: number, cols: number): () => PerColumnInt8 {
  let cached: PerColumnInt8 | undefined;
  let uses = 0;
  return () => {
    const result = cached ?? quantizeInt8PerColumn(values(), rows, cols);
    uses += 1;
    cached = uses % 2 === 1 ? result : undefined;
    return result;
  };
}

export function buildRobertaGraph(a: RobertaArchitecture, options: RobertaGraphOptions): OnnxGraphBuilder {
  if (a.hidden % a.heads !== 0) throw new Error(`hidden ${a.hidden} is not a multiple of heads ${a.heads}`);
  const g = new OnnxGraphBuilder(`roberta-random-${options.dtype}`);
  const std = a.initializerRange;
  const scale = (CLAMP_SIGMAS * std) / 127;
  const int8 = options.dtype === 'int8';

  const random = (name: string, count: number): Float32Array => truncatedNormal(hashSeed(options.seed, name), count, std, CLAMP_SIGMAS);
  const weight = (name: string, dims: number[]): string =>
    g.initializer(name, 'float', dims, () => random(name, dims.reduce((x, y) => x * y, 1)));
  const filled = (name: string, dims: number[], value: number): string =>
    g.initializer(name, 'float', dims, () => new Float32Array(dims.reduce((x, y) => x * y, 1)).fill(value));

  // The word-embedding table's scale; only declared when used (onnxruntime warns about unused initializers).
  const int8Scale = int8 ? g.constant('int8_weight_scale', 'float', [], [scale]) : '';
  const int8Zero = int8 ? g.constant('int8_weight_zero_point', 'int8', [], [0]) : '';

  /** x @ W + b, W stored [in, out] (fp32, or int8 with dynamic activation quantization). */
  const linear = (x: string, prefix: string, inDim: number, outDim: number): string => {
    const bias = filled(`${prefix}.bias`, [outDim], 0);
    if (!int8) return g.node('Add', [g.node('MatMul', [x, weight(`${prefix}.weight`, [inDim, outDim])]), bias]);
    // Each weight has its own scales, as quantize_dynamic writes them. With one shared scale,
    // onnxruntime's common-subexpression pass merges the three Mul(x_scale, w_scale) of Q, K and V
    // (same inputs), and MatMulIntegerToFloat fusion then skips them (it wants a Mul with one
    // consumer): a quarter of the dense layers ran unfused (MatMulInteger, Cast, Mul, Mul, Add).
    const quantized = lazyPerColumn(() => random(`${prefix}.weight`, inDim * outDim), inDim, outDim);
    const w = g.initializer(`${prefix}.weight_quantized`, 'int8', [inDim, outDim], () => quantized().values);
    const wScale = g.initializer(`${prefix}.weight_scale`, 'float', [outDim], () => quantized().scales);
    const wZero = g.initializer(`${prefix}.weight_zero_point`, 'int8', [outDim], () => new Int8Array(outDim));
    const [xq, xScale, xZero] = g.nodeMulti('DynamicQuantizeLinear', [x], 3) as [string, string, string];
    const acc = g.node('MatMulInteger', [xq, w, xZero, wZero]);
    const rescale = g.node('Mul', [xScale, wScale]);
    return g.node('Add', [g.node('Mul', [g.node('Cast', [acc], { to: { i: 1 } }), rescale]), bias]);
  };
  const layerNorm = (x: string, prefix: string): string =>
    g.node('LayerNormalization', [x, filled(`${prefix}.weight`, [a.hidden], 1), filled(`${prefix}.bias`, [a.hidden], 0)], {
      axis: { i: -1 },
      epsilon: { f: a.layerNormEps },
    });

  const ids = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', 'int64', ['batch_size', 'sequence_length']);

  // Embeddings. The padding row of the word table is zero, as nn.Embedding(padding_idx) keeps it.
  const wordName = 'roberta.embeddings.word_embeddings.weight';
  const wordTable = (): Float32Array => {
    const t = random(wordName, a.vocabSize * a.hidden);
    t.fill(0, a.padTokenId * a.hidden, (a.padTokenId + 1) * a.hidden);
    return t;
  };
  const words = int8
    ? g.node('DequantizeLinear', [
        g.node('Gather', [g.initializer(`${wordName}_quantized`, 'int8', [a.vocabSize, a.hidden], () => quantizeInt8(wordTable(), scale)), ids], {
          axis: { i: 0 },
        }),
        int8Scale,
        int8Zero,
      ])
    : g.node('Gather', [g.initializer(wordName, 'float', [a.vocabSize, a.hidden], wordTable), ids], { axis: { i: 0 } });

  const pad = g.constant('pad_token_id', 'int64', [], [a.padTokenId]);
  const notPad = g.node('Cast', [g.node('Not', [g.node('Equal', [ids, pad])])], { to: { i: 7 } });
  const running = g.node('CumSum', [notPad, g.constant('seq_axis', 'int64', [], [1])]);
  const positions = g.node('Add', [g.node('Mul', [running, notPad]), pad]);
  const positionTable = weight('roberta.embeddings.position_embeddings.weight', [a.maxPositions, a.hidden]);
  const positionEmb = g.node('Gather', [positionTable, positions], { axis: { i: 0 } });
  // token_type_ids are all zero for RoBERTa: row 0 of the one-row table is added everywhere.
  const tokenType = weight('roberta.embeddings.token_type_embeddings.weight', [a.hidden]);
  let hidden = layerNorm(g.node('Add', [g.node('Add', [words, positionEmb]), tokenType]), 'roberta.embeddings.LayerNorm');

  // Additive attention mask [batch, 1, 1, seq]: 0 where attended, float32 min where masked.
  const maskF = g.node('Cast', [mask], { to: { i: 1 } });
  const inverted = g.node('Sub', [g.constant('one', 'float', [], [1]), maskF]);
  const maskBias = g.node('Unsqueeze', [g.node('Mul', [inverted, g.constant('mask_min', 'float', [], [FLOAT32_MIN])]), g.constant('mask_axes', 'int64', [2], [1, 2])]);

  const headDim = a.hidden / a.heads;
  const splitHeads = g.constant('split_heads_shape', 'int64', [4], [0, 0, a.heads, headDim]);
  const mergeHeads = g.constant('merge_heads_shape', 'int64', [3], [0, 0, a.hidden]);
  const scoreScale = g.constant('score_scale', 'float', [], [1 / Math.sqrt(headDim)]);
  const half = g.constant('half', 'float', [], [0.5]);
  const one = g.constant('one_f', 'float', [], [1]);
  const sqrt2 = g.constant('sqrt2', 'float', [], [Math.SQRT2]);

  for (let l = 0; l < a.layers; l += 1) {
    const p = `roberta.encoder.layer.${l}`;
    const heads = (name: string, perm: number[]): string =>
      g.node('Transpose', [g.node('Reshape', [linear(hidden, `${p}.attention.self.${name}`, a.hidden, a.hidden), splitHeads])], {
        perm: { ints: perm },
      });
    const q = heads('query', [0, 2, 1, 3]);
    const kT = heads('key', [0, 2, 3, 1]);
    const v = heads('value', [0, 2, 1, 3]);
    const scores = g.node('Add', [g.node('Mul', [g.node('MatMul', [q, kT]), scoreScale]), maskBias]);
    const probs = g.node('Softmax', [scores], { axis: { i: -1 } });
    const context = g.node('Reshape', [g.node('Transpose', [g.node('MatMul', [probs, v])], { perm: { ints: [0, 2, 1, 3] } }), mergeHeads]);
    const attended = linear(context, `${p}.attention.output.dense`, a.hidden, a.hidden);
    hidden = layerNorm(g.node('Add', [attended, hidden]), `${p}.attention.output.LayerNorm`);

    const up = linear(hidden, `${p}.intermediate.dense`, a.hidden, a.intermediate);
    // Exact GELU: x · 0.5 · (1 + erf(x / √2)).
    const gelu = g.node('Mul', [g.node('Mul', [up, half]), g.node('Add', [one, g.node('Erf', [g.node('Div', [up, sqrt2])])])]);
    const down = linear(gelu, `${p}.output.dense`, a.intermediate, a.hidden);
    hidden = layerNorm(g.node('Add', [down, hidden]), `${p}.output.LayerNorm`);
  }

  // Classification head on the <s> token.
  const first = g.node('Gather', [hidden, g.constant('first_token', 'int64', [], [0])], { axis: { i: 1 } });
  const dense = g.node('Tanh', [linear(first, 'classifier.dense', a.hidden, a.hidden)]);
  const logits = linear(dense, 'classifier.out_proj', a.hidden, a.labels);
  g.node('Identity', [logits], {}, 'logits');
  g.output('logits', 'float', ['batch_size', a.labels]);
  return g;
}
