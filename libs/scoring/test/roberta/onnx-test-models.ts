/**
 * Writes small, deliberately faulty ONNX graphs for the inference tests: real models that
 * onnxruntime loads and runs, each failing in one specific way (no mocks of the runtime).
 * A minimal protobuf writer is enough for the handful of ONNX messages these graphs need.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

type Field = Buffer;

function varint(value: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  while (v >= 0x80n) {
    bytes.push(Number((v & 0x7fn) | 0x80n));
    v >>= 7n;
  }
  bytes.push(Number(v));
  return Buffer.from(bytes);
}

const key = (field: number, wire: number): Buffer => varint((field << 3) | wire);
const int = (field: number, value: number | bigint): Field => Buffer.concat([key(field, 0), varint(value)]);
const bytes = (field: number, value: Buffer): Field => Buffer.concat([key(field, 2), varint(value.length), value]);
const str = (field: number, value: string): Field => bytes(field, Buffer.from(value, 'utf8'));
const msg = (field: number, ...parts: Field[]): Field => bytes(field, Buffer.concat(parts));

const ELEM = { float: 1, int64: 7, bool: 9 } as const;
type Elem = keyof typeof ELEM;
type Dim = number | string;

function valueInfo(field: number, name: string, elem: Elem, dims: readonly Dim[] | null): Field {
  const shape = dims === null ? [] : [msg(2, ...dims.map((d) => msg(1, typeof d === 'number' ? int(1, d) : str(2, d))))];
  return msg(field, str(1, name), msg(2, msg(1, int(1, ELEM[elem]), ...shape)));
}

function tensor(field: number, name: string, elem: 'int64' | 'float' | 'bool', dims: readonly number[], values: readonly number[]): Field {
  let raw: Buffer;
  if (elem === 'int64') {
    raw = Buffer.alloc(values.length * 8);
    values.forEach((v, i) => raw.writeBigInt64LE(BigInt(v), i * 8));
  } else if (elem === 'float') {
    raw = Buffer.alloc(values.length * 4);
    values.forEach((v, i) => raw.writeFloatLE(v, i * 4));
  } else {
    raw = Buffer.from(values.map((v) => (v ? 1 : 0)));
  }
  return msg(field, ...dims.map((d) => int(1, d)), int(2, ELEM[elem]), str(8, name), bytes(9, raw));
}

type Attr =
  | { name: string; ints: readonly number[] }
  | { name: string; i: number }
  | { name: string; graph: Field[] };

function attribute(a: Attr): Field {
  if ('ints' in a) return msg(5, str(1, a.name), ...a.ints.map((v) => int(8, v)), int(20, 7));
  if ('i' in a) return msg(5, str(1, a.name), int(3, a.i), int(20, 2));
  return msg(5, str(1, a.name), msg(6, ...a.graph), int(20, 5));
}

function node(op: string, inputs: readonly string[], outputs: readonly string[], attrs: readonly Attr[] = []): Field {
  return msg(1, ...inputs.map((i) => str(1, i)), ...outputs.map((o) => str(2, o)), str(4, op), ...attrs.map(attribute));
}

function model(graph: Field[]): Buffer {
  // IR 8 / opset 17: supported by onnxruntime 1.30 and by every op used here.
  return Buffer.concat([int(1, 8), str(2, 'sentiment-tests'), msg(7, ...graph), msg(8, str(1, ''), int(2, 17))]);
}

const standardInputs = (): Field[] => [
  valueInfo(11, 'input_ids', 'int64', ['batch', 'sequence']),
  valueInfo(11, 'attention_mask', 'int64', ['batch', 'sequence']),
];

/** logits[b] = the first `labels` token ids of row b, as floats: valid, meaningless scores. */
function firstTokensGraph(labels: number, extra: Field[] = [], source = 'input_ids'): Field[] {
  return [
    str(2, 'first-tokens'),
    ...extra,
    node('Cast', [source], ['ids_f'], [{ name: 'to', i: ELEM.float }]),
    node('Slice', ['ids_f', 'starts', 'ends', 'axes'], ['logits']),
    tensor(5, 'starts', 'int64', [1], [0]),
    tensor(5, 'ends', 'int64', [1], [labels]),
    tensor(5, 'axes', 'int64', [1], [1]),
    ...standardInputs(),
    valueInfo(12, 'logits', 'float', ['batch', labels]),
  ];
}

/** A model that answers with the token ids themselves: runs fine, three labels. */
export const firstTokensModel = (): Buffer => model(firstTokensGraph(3));

/** A model whose `logits` has two columns instead of three: the run succeeds, the output is unusable. */
export const wrongOutputShapeModel = (): Buffer => model(firstTokensGraph(2));

/**
 * A model that loads but fails inside onnxruntime at run time: it reshapes the [batch, sequence]
 * ids to a fixed [5, 7], which no real batch (always starting `<s> ... </s>`, 35 tokens) matches.
 */
export function failsAtRunTimeModel(): Buffer {
  return model([
    str(2, 'fails-at-run-time'),
    node('Reshape', ['input_ids', 'fixed_shape'], ['reshaped']),
    node('Cast', ['reshaped'], ['r_f'], [{ name: 'to', i: ELEM.float }]),
    node('Slice', ['r_f', 'starts', 'ends', 'axes'], ['logits']),
    tensor(5, 'fixed_shape', 'int64', [2], [5, 7]),
    tensor(5, 'starts', 'int64', [1], [0]),
    tensor(5, 'ends', 'int64', [1], [3]),
    tensor(5, 'axes', 'int64', [1], [1]),
    ...standardInputs(),
    valueInfo(12, 'logits', 'float', ['batch', 3]),
  ]);
}

/**
 * A model that only copes with rows of exactly `width` tokens: it reshapes the ids to
 * [-1, width], so any other padded width fails inside onnxruntime or yields the wrong number of
 * rows. A real fault that a caller can switch on and off by choosing its texts.
 */
export function onlyWidthModel(width: number): Buffer {
  return model([
    str(2, 'only-width'),
    node('Reshape', ['input_ids', 'row_shape'], ['reshaped']),
    node('Cast', ['reshaped'], ['r_f'], [{ name: 'to', i: ELEM.float }]),
    node('Slice', ['r_f', 'starts', 'ends', 'axes'], ['logits']),
    tensor(5, 'row_shape', 'int64', [2], [-1, width]),
    tensor(5, 'starts', 'int64', [1], [0]),
    tensor(5, 'ends', 'int64', [1], [3]),
    tensor(5, 'axes', 'int64', [1], [1]),
    ...standardInputs(),
    valueInfo(12, 'logits', 'float', ['batch', 3]),
  ]);
}

/**
 * A model that spins in a Loop of `iterations` before answering like `firstTokensModel`: a real,
 * slow native run for the timeout tests (a few million iterations take seconds).
 */
export function slowModel(iterations: number): Buffer {
  const body: Field[] = [
    str(2, 'spin'),
    valueInfo(11, 'i', 'int64', []),
    valueInfo(11, 'cond_in', 'bool', []),
    valueInfo(11, 'acc_in', 'float', []),
    node('Identity', ['cond_in'], ['cond_out']),
    node('Add', ['acc_in', 'one'], ['acc_out']),
    tensor(5, 'one', 'float', [], [1]),
    valueInfo(12, 'cond_out', 'bool', []),
    valueInfo(12, 'acc_out', 'float', []),
  ];
  return model([
    str(2, 'slow'),
    node('Loop', ['trip_count', 'keep_going', 'acc0'], ['acc_final'], [{ name: 'body', graph: body }]),
    tensor(5, 'trip_count', 'int64', [], [iterations]),
    tensor(5, 'keep_going', 'bool', [], [1]),
    tensor(5, 'acc0', 'float', [], [0]),
    // Make the answer depend on the loop so the runtime cannot skip it.
    node('Cast', ['acc_final'], ['acc_i'], [{ name: 'to', i: ELEM.int64 }]),
    node('Mul', ['input_ids', 'acc_i'], ['scaled']),
    node('Cast', ['scaled'], ['ids_f'], [{ name: 'to', i: ELEM.float }]),
    node('Slice', ['ids_f', 'starts', 'ends', 'axes'], ['logits']),
    tensor(5, 'starts', 'int64', [1], [0]),
    tensor(5, 'ends', 'int64', [1], [3]),
    tensor(5, 'axes', 'int64', [1], [1]),
    ...standardInputs(),
    valueInfo(12, 'logits', 'float', ['batch', 3]),
  ]);
}

/** Overwrites `<modelDir>/onnx/<file>` with `bytes`, creating the folder. */
export async function writeOnnxFile(modelDir: string, bytes: Buffer, file = 'model.onnx'): Promise<string> {
  const target = path.join(modelDir, 'onnx', file);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, bytes);
  return target;
}
