import { OnnxGraphBuilder } from './onnx-graph-builder';
import { encodeOnnxModel } from './onnx-model-writer';

/** Words the tiny model reads as positive (label 2). */
export const TINY_POSITIVE_WORDS: readonly string[] = [
  'good', 'great', 'love', 'loved', 'lovely', 'happy', 'excellent', 'thanks', 'thank', 'amazing', 'awesome',
  'wonderful', 'best', 'fantastic', 'nice', 'perfect', 'glad', 'pleased', 'helpful', 'brilliant', 'enjoy',
  'enjoyed', 'beautiful', 'superb', 'delighted', 'appreciate', 'excited', 'fun', 'win', 'outstanding',
];

/** Words the tiny model reads as negative (label 0). */
export const TINY_NEGATIVE_WORDS: readonly string[] = [
  'bad', 'terrible', 'hate', 'hated', 'awful', 'angry', 'worst', 'horrible', 'refund', 'disappointed',
  'disappointing', 'poor', 'broken', 'useless', 'annoying', 'rude', 'sad', 'worse', 'fail', 'failed', 'upset',
  'furious', 'cancel', 'complaint', 'wrong', 'problem', 'sucks', 'disgusting', 'unacceptable', 'scam',
];

/**
 * Known-answer behaviour: logits = mean over unmasked tokens of a per-token row + [0, NEUTRAL_BIAS, 0].
 * A sentiment word's row is WORD_WEIGHT on its label, so a text is positive (negative) when
 * (#positive - #negative words) / tokens > NEUTRAL_BIAS / WORD_WEIGHT = 1/30, and neutral otherwise.
 */
export const TINY_WORD_WEIGHT = 60;
export const TINY_NEUTRAL_BIAS = 2;

const LABELS = 3;

/** Single-token spellings of `word` in a byte-level BPE vocabulary ('Ġ' marks a leading space). */
function spellings(word: string): string[] {
  const capital = word.charAt(0).toUpperCase() + word.slice(1);
  const forms = [word, capital, word.toUpperCase()];
  return forms.flatMap((f) => [f, `Ġ${f}`]);
}

/** Token id -> label row for every single-token spelling of the word lists found in `vocab`. */
export function tinyModelTokenLabels(vocab: Readonly<Record<string, number>>): Map<number, 0 | 2> {
  const rows = new Map<number, 0 | 2>();
  const mark = (words: readonly string[], label: 0 | 2): void => {
    for (const word of words) {
      for (const token of spellings(word)) {
        const id = vocab[token];
        if (id !== undefined) rows.set(id, label);
      }
    }
  };
  mark(TINY_POSITIVE_WORDS, 2);
  mark(TINY_NEGATIVE_WORDS, 0);
  return rows;
}

/**
 * The tiny known-answer sentiment model: the hub export's interface (input_ids, attention_mask
 * int64 [batch, sequence] -> logits float32 [batch, 3]) with a deterministic, explainable answer.
 * The embedding table is dense ([vocab, 3] floats, about 600 kB for RoBERTa's 50,265 tokens).
 */
export async function buildTinySentimentModel(vocab: Readonly<Record<string, number>>, vocabSize = 50265): Promise<Buffer> {
  const table = new Float32Array(vocabSize * LABELS);
  for (const [id, label] of tinyModelTokenLabels(vocab)) {
    if (id < vocabSize) table[id * LABELS + label] = TINY_WORD_WEIGHT;
  }

  const g = new OnnxGraphBuilder('tiny-known-answer-sentiment');
  const ids = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', 'int64', ['batch_size', 'sequence_length']);
  const emb = g.node('Gather', [g.initializer('token_label_weights', 'float', [vocabSize, LABELS], table), ids], { axis: { i: 0 } });
  const maskF = g.node('Cast', [mask], { to: { i: 1 } });
  const mask3 = g.node('Unsqueeze', [maskF, g.constant('axis2', 'int64', [1], [2])]);
  const summed = g.node('ReduceSum', [g.node('Mul', [emb, mask3]), g.constant('axis1', 'int64', [1], [1])], { keepdims: { i: 0 } });
  const count = g.node('ReduceSum', [maskF, g.constant('axis1', 'int64', [1], [1])], { keepdims: { i: 1 } });
  const safeCount = g.node('Max', [count, g.constant('one', 'float', [], [1])]);
  const mean = g.node('Div', [summed, safeCount]);
  g.node('Add', [mean, g.constant('label_bias', 'float', [LABELS], [0, TINY_NEUTRAL_BIAS, 0])], {}, 'logits');
  g.output('logits', 'float', ['batch_size', LABELS]);

  return encodeOnnxModel({
    graph: g,
    docString: 'Tiny known-answer sentiment model for tests: masked mean of per-token label weights. Not a real model.',
    metadata: { purpose: 'test' },
  });
}
