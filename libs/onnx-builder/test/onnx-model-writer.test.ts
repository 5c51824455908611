import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeOnnxModel, onnxSchema, OnnxGraphBuilder, writeOnnxModel } from '@sentiment/onnx-builder';
import { createSession } from './ort-run';

/** y = x * scale + offset over a [n, 3] float input: small enough to check by hand. */
function affineGraph(): OnnxGraphBuilder {
  const g = new OnnxGraphBuilder('affine');
  const x = g.input('x', 'float', ['n', 3]);
  const scaled = g.node('Mul', [x, g.constant('scale', 'float', [3], [1, 2, 3])]);
  g.node('Add', [scaled, g.initializer('offset', 'float', [3], () => Float32Array.from([10, 20, 30]))], {}, 'y');
  g.output('y', 'float', ['n', 3]);
  return g;
}

describe('ONNX model writer', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'onnx-writer-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('when a graph is encoded, then protobuf decoding gives back its opset, nodes and initializer bytes', async () => {
    const bytes = await encodeOnnxModel({ graph: affineGraph(), opsetVersion: 17, metadata: { purpose: 'test' } });
    const model = onnxSchema().lookupType('onnx.ModelProto').toObject(onnxSchema().lookupType('onnx.ModelProto').decode(bytes), {
      longs: Number,
    }) as {
      ir_version: number;
      opset_import: Array<{ version: number }>;
      metadata_props: Array<{ key: string; value: string }>;
      graph: { node: Array<{ op_type: string }>; initializer: Array<{ name: string; raw_data: Uint8Array; dims: number[] }> };
    };
    expect(model.ir_version).toBe(8);
    expect(model.opset_import[0]?.version).toBe(17);
    expect(model.metadata_props).toEqual([{ key: 'purpose', value: 'test' }]);
    expect(model.graph.node.map((n) => n.op_type)).toEqual(['Mul', 'Add']);
    const offset = model.graph.initializer.find((t) => t.name === 'offset');
    expect(offset?.dims).toEqual([3]);
    expect(Array.from(new Float32Array(Uint8Array.from(offset?.raw_data ?? []).buffer))).toEqual([10, 20, 30]);
  });

  it('when the encoded model runs in onnxruntime, then it computes x * scale + offset', async () => {
    const session = await createSession(await encodeOnnxModel({ graph: affineGraph() }));
    const out = await session.run({ x: { type: 'float32', data: [1, 1, 1, 2, 0, -1], dims: [2, 3] } });
    await session.release();
    expect(out['y']).toEqual({ dims: [2, 3], data: [11, 22, 33, 12, 20, 27] });
  });

  it('when written to a file, then the file has the same bytes and no .part file is left', async () => {
    const file = path.join(tmp, 'nested', 'affine.onnx');
    const size = await writeOnnxModel(file, { graph: affineGraph() });
    const written = await readFile(file);
    expect(written.length).toBe(size);
    expect(written.equals(await encodeOnnxModel({ graph: affineGraph() }))).toBe(true);
    expect(await readdir(path.dirname(file))).toEqual(['affine.onnx']);
  });

  it('when initializer data has the wrong size, then writing fails and leaves no file', async () => {
    const g = new OnnxGraphBuilder('broken');
    g.input('x', 'float', [2]);
    g.node('Add', ['x', g.initializer('w', 'float', [2], () => new Float32Array(3))], {}, 'y');
    g.output('y', 'float', [2]);
    const file = path.join(tmp, 'broken.onnx');
    await expect(writeOnnxModel(file, { graph: g })).rejects.toThrow(/expected 8/u);
    expect((await readdir(tmp)).filter((f) => f.startsWith('broken'))).toEqual([]);
  });

  it('when two values get the same name, then the builder refuses', () => {
    const g = new OnnxGraphBuilder('dup');
    g.input('x', 'float', [1]);
    expect(() => g.initializer('x', 'float', [1], new Float32Array(1))).toThrow(/duplicate/u);
  });
});
