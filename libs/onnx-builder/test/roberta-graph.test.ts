import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  buildRobertaGraph,
  encodeOnnxModel,
  onnxSchema,
  ROBERTA_BASE,
  robertaParameterCount,
  writeRandomRobertaModelDir,
  type RobertaArchitecture,
} from '@sentiment/onnx-builder';
import { createSession, runLogits, type TestSession } from './ort-run';

// Same builder as the full-size model, shrunk so the test stays fast (real vocabulary size).
const SMALL: RobertaArchitecture = { ...ROBERTA_BASE, layers: 2, hidden: 64, heads: 4, intermediate: 128 };
const BATCH = [
  [0, 100, 657, 24, 2],
  [0, 9064, 6, 5, 2],
  [0, 713, 2],
];

const opTypes = (bytes: Uint8Array): string[] => {
  const type = onnxSchema().lookupType('onnx.ModelProto');
  const model = type.toObject(type.decode(bytes)) as { graph: { node: Array<{ op_type: string }> } };
  return model.graph.node.map((n) => n.op_type);
};
const count = (ops: readonly string[], op: string): number => ops.filter((o) => o === op).length;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('random-weight RoBERTa graph (2 layers, hidden 64)', () => {
  let dir: string;
  let fp32: TestSession;
  let int8: TestSession;
  let fp32Bytes: Buffer;
  let int8Bytes: Buffer;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'roberta-random-'));
    const a = await writeRandomRobertaModelDir(dir, { dtype: 'fp32', architecture: SMALL, seed: 7 });
    const b = await writeRandomRobertaModelDir(dir, { dtype: 'int8', architecture: SMALL, seed: 7 });
    fp32Bytes = await readFile(a.onnxFile);
    int8Bytes = await readFile(b.onnxFile);
    fp32 = await createSession(a.onnxFile);
    int8 = await createSession(b.onnxFile);
  });
  afterAll(async () => {
    await fp32.release();
    await int8.release();
    await rm(dir, { recursive: true, force: true });
  });

  it('when full size, then it has roberta-base sequence classification parameter count', () => {
    expect(robertaParameterCount(ROBERTA_BASE)).toBe(124_647_939);
  });

  it('when run in onnxruntime, then fp32 and int8 both give [batch, 3] finite logits', async () => {
    for (const session of [fp32, int8]) {
      const logits = await runLogits(session, BATCH);
      expect(logits).toHaveLength(3);
      for (const row of logits) {
        expect(row).toHaveLength(3);
        for (const v of row) expect(Number.isFinite(v)).toBe(true);
      }
    }
  });

  it('when the same seed is built again, then the file is byte-identical and the answers repeat', async () => {
    const again = await encodeOnnxModel({ graph: buildRobertaGraph(SMALL, { dtype: 'fp32', seed: 7 }), docString: '' });
    const other = await encodeOnnxModel({ graph: buildRobertaGraph(SMALL, { dtype: 'fp32', seed: 8 }), docString: '' });
    const same = await encodeOnnxModel({ graph: buildRobertaGraph(SMALL, { dtype: 'fp32', seed: 7 }), docString: '' });
    expect(sha(again)).toBe(sha(same));
    expect(sha(again)).not.toBe(sha(other));
    expect(await runLogits(fp32, BATCH)).toEqual(await runLogits(fp32, BATCH));
    expect(await runLogits(int8, BATCH)).toEqual(await runLogits(int8, BATCH));
  });

  it('when inputs differ, then the logits differ (the model reads its input)', async () => {
    const [a, b] = await runLogits(fp32, BATCH.slice(0, 2));
    expect(a).not.toEqual(b);
  });

  it('when a text is padded inside a batch, then fp32 logits equal the unpadded run (mask and position ids work)', async () => {
    const [alone] = await runLogits(fp32, [BATCH[2] as number[]]);
    const padded = await runLogits(fp32, BATCH);
    for (let i = 0; i < 3; i += 1) expect(padded[2]?.[i]).toBeCloseTo(alone?.[i] as number, 5);
  });

  it('when onnxruntime optimizes the int8 graph, then every dense layer is fused (none left as MatMulInteger + Cast + Mul)', async () => {
    // 6 dense layers per encoder layer + 2 in the classifier head. With one weight scale shared by
    // every layer, Q, K and V used to stay unfused (onnxruntime merged their identical rescale Muls).
    const saved = path.join(dir, 'int8-optimized.onnx');
    const session = await createSession(path.join(dir, 'onnx', 'model_quantized.onnx'), { graphOptimizationLevel: 'extended', optimizedModelFilePath: saved });
    await session.release();
    const ops = opTypes(await readFile(saved));
    const dense = SMALL.layers * 6 + 2;
    expect(count(ops, 'MatMulInteger')).toBe(0);
    expect(count(ops, 'DynamicQuantizeMatMul') + count(ops, 'MatMulIntegerToFloat')).toBe(dense);
  });

  it('when int8, then it uses dynamic quantization ops, is about 4x smaller and stays close to fp32', async () => {
    const ops = opTypes(int8Bytes);
    expect(ops).toContain('DynamicQuantizeLinear');
    expect(ops).toContain('MatMulInteger');
    expect(ops).toContain('DequantizeLinear');
    expect(opTypes(fp32Bytes)).not.toContain('MatMulInteger');
    expect(int8Bytes.length).toBeLessThan(fp32Bytes.length / 3);
    const [a] = await runLogits(fp32, [BATCH[0] as number[]]);
    const [b] = await runLogits(int8, [BATCH[0] as number[]]);
    for (let i = 0; i < 3; i += 1) expect(Math.abs((a?.[i] as number) - (b?.[i] as number))).toBeLessThan(0.01);
  });
});
