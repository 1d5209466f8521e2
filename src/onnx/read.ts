/**
 * Reading ONNX protobuf files with onnx-proto (the ONNX 1.10 schema compiled for protobufjs;
 * newer fields of IR 9/10 files are skipped as unknown fields, which protobuf allows), and
 * checking that what decoded is really a model: protobuf decoding of arbitrary bytes can
 * "succeed", so the graph, its nodes and outputs, the IR version and every initializer's data
 * size are checked before anything is reported.
 */
import { readFileSync } from 'node:fs';
import { onnx } from 'onnx-proto';
import { InputError } from '../util/errors.js';

/** A decoded ONNX graph (onnx-proto's message type). */
export type Graph = onnx.IGraphProto;
/** A decoded ONNX node. */
export type Node = onnx.INodeProto;
/** A decoded ONNX tensor. */
export type Tensor = onnx.ITensorProto;

/** Long (protobufjs int64) or number → number. */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v && typeof (v as { toNumber?: unknown }).toNumber === 'function') return (v as { toNumber(): number }).toNumber();
  return Number(v ?? 0);
}

/** Element type names by TensorProto.DataType code (as numpy/onnxruntime name them). */
export const DTYPES: Record<number, { name: string; bytes: number }> = {
  1: { name: 'float32', bytes: 4 },
  2: { name: 'uint8', bytes: 1 },
  3: { name: 'int8', bytes: 1 },
  4: { name: 'uint16', bytes: 2 },
  5: { name: 'int16', bytes: 2 },
  6: { name: 'int32', bytes: 4 },
  7: { name: 'int64', bytes: 8 },
  8: { name: 'string', bytes: 0 },
  9: { name: 'bool', bytes: 1 },
  10: { name: 'float16', bytes: 2 },
  11: { name: 'float64', bytes: 8 },
  12: { name: 'uint32', bytes: 4 },
  13: { name: 'uint64', bytes: 8 },
  14: { name: 'complex64', bytes: 8 },
  15: { name: 'complex128', bytes: 16 },
  16: { name: 'bfloat16', bytes: 2 },
  17: { name: 'float8e4m3fn', bytes: 1 },
  18: { name: 'float8e4m3fnuz', bytes: 1 },
  19: { name: 'float8e5m2', bytes: 1 },
  20: { name: 'float8e5m2fnuz', bytes: 1 },
  21: { name: 'uint4', bytes: 0.5 },
  22: { name: 'int4', bytes: 0.5 },
  23: { name: 'float4e2m1', bytes: 0.5 },
};

/** Name of a TensorProto.DataType code (`dtype<N>` for codes newer than this table). */
export function dtypeName(code: number | null | undefined): string {
  return DTYPES[code ?? 0]?.name ?? `dtype${code ?? 0}`;
}

/** Dims of a tensor as numbers. */
export function dimsOf(t: Tensor): number[] {
  return (t.dims ?? []).map(num);
}

/** Every graph of a model: the main graph, then subgraphs of If/Loop/Scan (depth-first). */
export function* allGraphs(g: Graph, path = 'graph'): Generator<{ graph: Graph; path: string }> {
  yield { graph: g, path };
  for (const n of g.node ?? []) {
    for (const a of n.attribute ?? []) {
      if (a.g) yield* allGraphs(a.g, `${path}/${n.name || n.opType}.${a.name}`);
      for (let i = 0; i < (a.graphs ?? []).length; i++) {
        yield* allGraphs(a.graphs![i], `${path}/${n.name || n.opType}.${a.name}[${i}]`);
      }
    }
  }
}

const OP_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/**
 * Reads and decodes an ONNX model file and checks it is one.
 * @param path the `.onnx` file
 * @param bytes the file's content when already read
 * @returns the decoded model
 * @throws InputError when the file cannot be read, is truncated, or is not an ONNX model
 * @example
 * const model = readOnnx('model.onnx'); model.graph.node.length;
 */
export function readOnnx(path: string, bytes?: Uint8Array): onnx.ModelProto {
  let buf: Uint8Array;
  try {
    buf = bytes ?? readFileSync(path);
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${(e as Error).message}`, {
      file: path,
      remedy: 'check the path to the model file',
      cause: e,
    });
  }
  const notOnnx = (why: string, cause?: unknown): InputError =>
    new InputError(`${path} is not a valid ONNX model: ${why}`, {
      file: path,
      remedy:
        'give an ONNX model file (.onnx) as written by torch.onnx.export, onnx.save or a converter; ' +
        're-export or re-download it if it was cut short',
      cause,
    });
  if (buf.length === 0) throw notOnnx('the file is empty');
  let m: onnx.ModelProto;
  try {
    m = onnx.ModelProto.decode(buf);
  } catch (e) {
    throw notOnnx(`protobuf decoding failed (${(e as Error).message}); the file is truncated or not ONNX`, e);
  }
  const ir = num(m.irVersion);
  if (!m.graph) throw notOnnx('it has no graph');
  if (!Number.isInteger(ir) || ir < 1 || ir > 64) throw notOnnx(`implausible IR version ${ir}`);
  const g = m.graph;
  if ((g.output ?? []).length === 0) throw notOnnx('the graph has no outputs');
  if ((g.node ?? []).length === 0 && (g.initializer ?? []).length === 0) throw notOnnx('the graph has no nodes');
  if (ir >= 3 && (m.opsetImport ?? []).length === 0) throw notOnnx('it declares no operator set (opset_import)');
  for (const { graph, path: gp } of allGraphs(g)) {
    for (const n of graph.node ?? []) {
      if (!n.opType || !OP_NAME.test(n.opType)) throw notOnnx(`a node of ${gp} has an invalid op type ${JSON.stringify(n.opType)}`);
    }
    for (const t of graph.initializer ?? []) checkTensorData(path, t, notOnnx);
  }
  return m;
}

function checkTensorData(path: string, t: Tensor, notOnnx: (why: string) => InputError): void {
  const dims = dimsOf(t);
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw notOnnx(`initializer "${t.name}" has invalid dims [${dims}]`);
  if (t.dataLocation === 1) return; // external: checked by the caller against the data file
  const bytes = DTYPES[t.dataType ?? 0]?.bytes;
  const count = dims.reduce((a, b) => a * b, 1);
  if (t.rawData && t.rawData.length > 0 && bytes) {
    if (t.rawData.length !== Math.ceil(count * bytes)) {
      throw notOnnx(
        `initializer "${t.name}" holds ${t.rawData.length} bytes but dims [${dims}] of ` +
          `${dtypeName(t.dataType)} need ${Math.ceil(count * bytes)}`,
      );
    }
  }
}

/** An attribute of a node, by name. */
export function attr(n: Node, name: string): onnx.IAttributeProto | undefined {
  return (n.attribute ?? []).find((a) => a.name === name);
}

/** Integer attribute (or the default). */
export function attrInt(n: Node, name: string, dflt: number): number {
  const a = attr(n, name);
  return a && a.i !== undefined && a.i !== null ? num(a.i) : dflt;
}

/** Integer-list attribute (or undefined). */
export function attrInts(n: Node, name: string): number[] | undefined {
  const a = attr(n, name);
  return a && a.ints && a.ints.length ? a.ints.map(num) : a?.type === 7 ? [] : undefined;
}

/** Float-list attribute (or undefined). */
export function attrFloats(n: Node, name: string): number[] | undefined {
  const a = attr(n, name);
  return a && a.floats && a.floats.length ? a.floats.map(Number) : undefined;
}

/** String attribute (or the default). */
export function attrString(n: Node, name: string, dflt: string): string {
  const a = attr(n, name);
  return a && a.s && a.s.length ? Buffer.from(a.s).toString('utf8') : dflt;
}

/**
 * The values of a small numeric tensor embedded in the model (ints, int64s, floats; raw or typed
 * fields), for constant folding of shape computations.
 * @returns the values, or undefined when stored externally, too large or of another type
 */
export function tensorValues(t: Tensor, max = 1024): number[] | undefined {
  const dims = dimsOf(t);
  const count = dims.reduce((a, b) => a * b, 1);
  if (count > max || t.dataLocation === 1) return undefined;
  const dt = t.dataType ?? 0;
  const raw = t.rawData && t.rawData.length ? t.rawData : undefined;
  if (raw) {
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      if (dt === 7) out.push(Number(dv.getBigInt64(i * 8, true)));
      else if (dt === 6) out.push(dv.getInt32(i * 4, true));
      else if (dt === 1) out.push(dv.getFloat32(i * 4, true));
      else if (dt === 11) out.push(dv.getFloat64(i * 8, true));
      else if (dt === 9 || dt === 2) out.push(dv.getUint8(i));
      else return undefined;
    }
    return out;
  }
  if (dt === 7 && t.int64Data?.length === count) return t.int64Data.map(num);
  if ((dt === 6 || dt === 9 || dt === 2 || dt === 3) && t.int32Data?.length === count) return t.int32Data.map(Number);
  if (dt === 1 && t.floatData?.length === count) return t.floatData.map(Number);
  if (dt === 11 && t.doubleData?.length === count) return t.doubleData.map(Number);
  if (count === 0) return [];
  return undefined;
}

/** Shape of a graph input/output value info: numbers, symbolic names, `?` for unnamed unknown dims; null when no shape. */
export function valueShape(v: onnx.IValueInfoProto): (number | string)[] | null {
  const tt = v.type?.tensorType;
  if (!tt || !tt.shape) return null;
  const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
  return (tt.shape.dim ?? []).map((d) => (own(d, 'dimParam') && d.dimParam ? d.dimParam : own(d, 'dimValue') ? num(d.dimValue) : '?'));
}

/** Element type of a value info (`non-tensor` for sequences/maps). */
export function valueType(v: onnx.IValueInfoProto): string {
  const tt = v.type?.tensorType;
  return tt ? dtypeName(tt.elemType) : 'non-tensor';
}
