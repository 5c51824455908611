import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { elementCount, type InitializerSpec, type OnnxGraphBuilder } from './onnx-graph-builder';
import { ELEMENT_BYTES, OnnxDataType, onnxType } from './onnx-schema';

export interface OnnxModelSpec {
  graph: OnnxGraphBuilder;
  /** Default 8: read by onnxruntime 1.14 and later. */
  irVersion?: number;
  /** Default opset 17 (LayerNormalization; ReduceSum and Unsqueeze take axes as inputs). */
  opsetVersion?: number;
  /** Extra opsets, e.g. { 'com.microsoft': 1 }. */
  extraOpsets?: Record<string, number>;
  producerName?: string;
  docString?: string;
  metadata?: Record<string, string>;
}

type Sink = (chunk: Uint8Array) => Promise<void>;

// Protobuf wire format framing for the parts written by hand: a length-delimited field is
// key (field << 3 | 2), the length as a varint, then the bytes.
function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}
const lengthDelimited = (field: number, length: number): Buffer => Buffer.concat([varint((field << 3) | 2), varint(length)]);

const GRAPH_FIELD = 7; // ModelProto.graph
const INITIALIZER_FIELD = 5; // GraphProto.initializer
const RAW_DATA_FIELD = 9; // TensorProto.raw_data

interface PreparedTensor {
  spec: InitializerSpec;
  header: Uint8Array;
  rawKey: Buffer;
  dataBytes: number;
  /** The whole TensorProto's length. */
  length: number;
}

function prepareTensor(spec: InitializerSpec): PreparedTensor {
  const header = onnxType('TensorProto')
    .encode({ dims: [...spec.dims], data_type: OnnxDataType[spec.type], name: spec.name })
    .finish();
  const dataBytes = elementCount(spec.dims) * ELEMENT_BYTES[spec.type];
  const rawKey = lengthDelimited(RAW_DATA_FIELD, dataBytes);
  return { spec, header, rawKey, dataBytes, length: header.length + rawKey.length + dataBytes };
}

function tensorBytes(t: PreparedTensor): Uint8Array {
  const view = typeof t.spec.data === 'function' ? t.spec.data() : t.spec.data;
  if (view.byteLength !== t.dataBytes) {
    throw new Error(`initializer ${t.spec.name}: ${view.byteLength} bytes of data, expected ${t.dataBytes}`);
  }
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/**
 * Serializes a ModelProto as a stream of chunks. protobufjs encodes every structured message;
 * initializers are framed by hand so each tensor's contents are produced (and can be released)
 * one at a time instead of building a single buffer of the whole model.
 */
async function serializeModel(spec: OnnxModelSpec, sink: Sink): Promise<number> {
  const opsets = [{ domain: '', version: spec.opsetVersion ?? 17 }, ...Object.entries(spec.extraOpsets ?? {}).map(([domain, version]) => ({ domain, version }))];
  const modelHead = onnxType('ModelProto')
    .encode({
      ir_version: spec.irVersion ?? 8,
      opset_import: opsets,
      producer_name: spec.producerName ?? 'sentiment-onnx-builder',
      doc_string: spec.docString ?? '',
      metadata_props: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
    })
    .finish();
  const graphHead = onnxType('GraphProto').encode(spec.graph.header()).finish();
  const tensors = spec.graph.initializers.map(prepareTensor);
  const graphLength = tensors.reduce((sum, t) => sum + lengthDelimited(INITIALIZER_FIELD, t.length).length + t.length, graphHead.length);

  await sink(modelHead);
  await sink(lengthDelimited(GRAPH_FIELD, graphLength));
  await sink(graphHead);
  for (const t of tensors) {
    await sink(Buffer.concat([lengthDelimited(INITIALIZER_FIELD, t.length), t.header, t.rawKey]));
    await sink(tensorBytes(t));
  }
  return modelHead.length + lengthDelimited(GRAPH_FIELD, graphLength).length + graphLength;
}

/** The model as one buffer: for small models and tests. */
export async function encodeOnnxModel(spec: OnnxModelSpec): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await serializeModel(spec, async (chunk) => {
    chunks.push(Buffer.from(chunk));
  });
  return Buffer.concat(chunks);
}

/**
 * Writes the model to `file` atomically (a `.part` file renamed into place) and returns its size.
 * Memory stays around the largest single initializer.
 */
export async function writeOnnxModel(file: string, spec: OnnxModelSpec): Promise<number> {
  await mkdir(path.dirname(file), { recursive: true });
  const part = `${file}.part`;
  const handle = await open(part, 'w');
  let size: number;
  try {
    size = await serializeModel(spec, async (chunk) => {
      let offset = 0;
      while (offset < chunk.byteLength) {
        const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
        offset += bytesWritten;
      }
    });
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(part, { force: true });
    throw err;
  }
  await handle.close();
  await rename(part, file);
  return size;
}
