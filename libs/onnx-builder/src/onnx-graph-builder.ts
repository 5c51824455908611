import { OnnxAttributeType, OnnxDataType, ELEMENT_BYTES, type OnnxElementType } from './onnx-schema';

/** A tensor dimension: a fixed size or a symbolic name such as "batch". */
export type Dim = number | string;

/** Raw little-endian tensor contents, or a function producing them when the file is written. */
export type TensorData = ArrayBufferView | (() => ArrayBufferView);

export interface InitializerSpec {
  name: string;
  type: OnnxElementType;
  dims: readonly number[];
  data: TensorData;
}

/** One attribute value; the key says its ONNX type. */
export type AttributeValue =
  | { i: number }
  | { f: number }
  | { s: string }
  | { ints: readonly number[] }
  | { floats: readonly number[] };

export type Attributes = Record<string, AttributeValue>;

interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attrs: Attributes;
  domain: string;
}

interface ValueSpec {
  name: string;
  type: OnnxElementType;
  dims: readonly Dim[];
}

/** Plain objects shaped like onnx.GraphProto fields, for protobufjs. */
export interface GraphHeaderObject {
  name: string;
  node: object[];
  input: object[];
  output: object[];
  doc_string?: string;
}

function attributeObject(name: string, value: AttributeValue): object {
  if ('i' in value) return { name, type: OnnxAttributeType.int, i: value.i };
  if ('f' in value) return { name, type: OnnxAttributeType.float, f: value.f };
  if ('s' in value) return { name, type: OnnxAttributeType.string, s: Buffer.from(value.s, 'utf8') };
  if ('ints' in value) return { name, type: OnnxAttributeType.ints, ints: [...value.ints] };
  return { name, type: OnnxAttributeType.floats, floats: [...value.floats] };
}

function valueInfoObject(v: ValueSpec): object {
  return {
    name: v.name,
    type: {
      tensor_type: {
        elem_type: OnnxDataType[v.type],
        shape: { dim: v.dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/**
 * Collects an ONNX graph: inputs, outputs, initializers (kept lazy so huge weights are produced
 * only while the file is written) and nodes. Node outputs get unique generated names unless named.
 */
export class OnnxGraphBuilder {
  readonly name: string;
  private readonly nodes: NodeSpec[] = [];
  private readonly inputs: ValueSpec[] = [];
  private readonly outputs: ValueSpec[] = [];
  private readonly initializerSpecs: InitializerSpec[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(name: string) {
    this.name = name;
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`ONNX graph ${this.name}: duplicate value name ${name}`);
    this.names.add(name);
    return name;
  }

  /** A fresh value name starting with `hint`. */
  fresh(hint: string): string {
    let name: string;
    do {
      name = `${hint}_${this.counter++}`;
    } while (this.names.has(name));
    return name;
  }

  input(name: string, type: OnnxElementType, dims: readonly Dim[]): string {
    this.inputs.push({ name: this.claim(name), type, dims });
    return name;
  }

  /** Declares `name` (an existing value) a graph output. */
  output(name: string, type: OnnxElementType, dims: readonly Dim[]): void {
    this.outputs.push({ name, type, dims });
  }

  initializer(name: string, type: OnnxElementType, dims: readonly number[], data: TensorData): string {
    this.initializerSpecs.push({ name: this.claim(name), type, dims: [...dims], data });
    return name;
  }

  /** A small constant initializer from numbers (int64 values as numbers). */
  constant(hint: string, type: 'float' | 'int64' | 'int8' | 'uint8' | 'int32', dims: readonly number[], values: readonly number[]): string {
    if (values.length !== elementCount(dims)) throw new Error(`constant ${hint}: ${values.length} values for dims [${dims.join(',')}]`);
    const data =
      type === 'float'
        ? Float32Array.from(values)
        : type === 'int64'
          ? BigInt64Array.from(values, (v) => BigInt(v))
          : type === 'int32'
            ? Int32Array.from(values)
            : type === 'int8'
              ? Int8Array.from(values)
              : Uint8Array.from(values);
    return this.initializer(this.fresh(hint), type, dims, data);
  }

  /** Adds a node with `outputCount` outputs (or the given output names) and returns their names. */
  nodeMulti(op: string, inputs: readonly string[], outputs: number | readonly string[], attrs: Attributes = {}, domain = ''): string[] {
    const outNames =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, () => this.claim(this.fresh(op.toLowerCase())))
        : outputs.map((o) => this.claim(o));
    this.nodes.push({ op, inputs: [...inputs], outputs: outNames, name: this.fresh(`node_${op}`), attrs, domain });
    return outNames;
  }

  /** Adds a single-output node and returns the output's name (`outputName` or a generated one). */
  node(op: string, inputs: readonly string[], attrs: Attributes = {}, outputName?: string): string {
    return this.nodeMulti(op, inputs, outputName === undefined ? 1 : [outputName], attrs)[0] as string;
  }

  get initializers(): readonly InitializerSpec[] {
    return this.initializerSpecs;
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  /** Bytes of all initializer contents (the bulk of the file). */
  get initializerBytes(): number {
    return this.initializerSpecs.reduce((sum, t) => sum + elementCount(t.dims) * ELEMENT_BYTES[t.type], 0);
  }

  /** Everything but the initializers, as a protobufjs-ready GraphProto object. */
  header(docString?: string): GraphHeaderObject {
    return {
      name: this.name,
      node: this.nodes.map((n) => ({
        input: n.inputs,
        output: n.outputs,
        name: n.name,
        op_type: n.op,
        domain: n.domain,
        attribute: Object.entries(n.attrs).map(([k, v]) => attributeObject(k, v)),
      })),
      input: this.inputs.map(valueInfoObject),
      output: this.outputs.map(valueInfoObject),
      ...(docString !== undefined ? { doc_string: docString } : {}),
    };
  }
}
