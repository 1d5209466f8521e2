/**
 * Reading and rewriting ONNX files for the built-in trainer: nodes with decoded attributes,
 * initializers as typed arrays, a copy of the model with new initializer values (fine-tuned weights),
 * and a copy with intermediate tensors exposed as extra graph outputs (the frozen-prefix cut).
 */
import { readFileSync } from 'node:fs';
import { onnx } from 'onnx-proto';
import { InputError, ModelError } from '../util/errors.js';
import { writeFileAtomic } from '../util/fs.js';

/** A decoded attribute value. */
export type AttrValue = number | number[] | string | HostTensor | undefined;

/** A small tensor held on the host (shape chains, int64 constants, initializers before upload). */
export interface HostTensor {
  /** `float32` for floating initializers (converted from float64/float16 where needed), `int` for integer ones. */
  dtype: 'float32' | 'int';
  shape: number[];
  data: Float32Array | number[];
}

/** One graph node with its attributes decoded to plain values. */
export interface GraphNode {
  /** Node name (or `#<index>:<first output>` when the exporter left it empty). */
  name: string;
  index: number;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

/** An ONNX model decoded for training. */
export interface ParsedModel {
  /** Path it was read from. */
  path: string;
  proto: onnx.ModelProto;
  nodes: GraphNode[];
  /** Initializers by name. */
  initializers: Map<string, HostTensor>;
  /** Graph inputs that are not initializers. */
  inputs: string[];
  outputs: string[];
  opset: number;
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof (v as { toNumber?: () => number }).toNumber === 'function') return (v as { toNumber: () => number }).toNumber();
  return Number(v);
}

/** Decodes a TensorProto to a host tensor (float types → float32, integer types → numbers). */
export function tensorFromProto(t: onnx.ITensorProto, file = 'model.onnx'): HostTensor {
  const shape = (t.dims ?? []).map(num);
  const count = shape.reduce((a, b) => a * b, 1);
  const raw = t.rawData && t.rawData.length ? t.rawData : undefined;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  const dt = t.dataType ?? 0;
  const T = onnx.TensorProto.DataType;
  if (dt === T.FLOAT || dt === T.DOUBLE) {
    const out = new Float32Array(count);
    if (view) for (let i = 0; i < count; i++) out[i] = dt === T.FLOAT ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
    else if (dt === T.FLOAT) out.set(t.floatData ?? []);
    else out.set(t.doubleData ?? []);
    return { dtype: 'float32', shape, data: out };
  }
  if (dt === T.INT64 || dt === T.INT32 || dt === T.BOOL || dt === T.INT8 || dt === T.UINT8) {
    const out: number[] = new Array(count);
    for (let i = 0; i < count; i++) {
      if (view) {
        out[i] =
          dt === T.INT64
            ? Number(view.getBigInt64(i * 8, true))
            : dt === T.INT32
              ? view.getInt32(i * 4, true)
              : dt === T.INT8
                ? view.getInt8(i)
                : view.getUint8(i);
      } else out[i] = num(dt === T.INT64 ? t.int64Data?.[i] : t.int32Data?.[i]);
    }
    return { dtype: 'int', shape, data: out };
  }
  throw new ModelError(`tensor '${t.name}' has ONNX data type ${dt}, which the trainer does not read`, {
    file,
    field: `initializer ${t.name}`,
    remedy: 'export the model with float32 weights and int64 shape constants',
  });
}

function decodeAttr(a: onnx.IAttributeProto, file: string): AttrValue {
  const A = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case A.FLOAT:
      return a.f ?? 0;
    case A.INT:
      return num(a.i);
    case A.STRING:
      return Buffer.from(a.s ?? new Uint8Array()).toString('utf8');
    case A.FLOATS:
      return (a.floats ?? []).map(Number);
    case A.INTS:
      return (a.ints ?? []).map(num);
    case A.TENSOR:
      return a.t ? tensorFromProto(a.t, file) : undefined;
    default:
      return undefined;
  }
}

/**
 * Reads an ONNX file for training.
 * @param path the `.onnx` file
 * @returns nodes (topological order as stored), initializers, inputs, outputs, default-domain opset
 * @throws InputError when the file cannot be read or decoded
 * @example
 * const m = parseOnnx('examples/ct-body-segmentation/model.onnx'); m.nodes.length;
 */
export function parseOnnx(path: string): ParsedModel {
  let proto: onnx.ModelProto;
  try {
    proto = onnx.ModelProto.decode(readFileSync(path));
  } catch (e) {
    throw new InputError(`cannot read ONNX model: ${(e as Error).message}`, {
      file: path,
      remedy: 'give the path of a valid .onnx file',
      cause: e,
    });
  }
  const g = proto.graph;
  if (!g) throw new InputError('ONNX model has no graph', { file: path, field: 'graph', remedy: 're-export the model' });
  const initializers = new Map<string, HostTensor>();
  for (const t of g.initializer ?? []) initializers.set(t.name ?? '', tensorFromProto(t, path));
  const nodes: GraphNode[] = (g.node ?? []).map((n, index) => {
    const attrs: Record<string, AttrValue> = {};
    for (const a of n.attribute ?? []) attrs[a.name ?? ''] = decodeAttr(a, path);
    const outputs = [...(n.output ?? [])];
    return {
      name: n.name || `#${index}:${outputs[0] ?? ''}`,
      index,
      opType: n.opType ?? '',
      domain: n.domain ?? '',
      inputs: [...(n.input ?? [])],
      outputs,
      attrs,
    };
  });
  const opset = num((proto.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 13);
  return {
    path,
    proto,
    nodes,
    initializers,
    opset,
    inputs: (g.input ?? []).map((i) => i.name ?? '').filter((n) => !initializers.has(n)),
    outputs: (g.output ?? []).map((o) => o.name ?? ''),
  };
}

/**
 * Encodes a copy of the model with some float initializers replaced (same graph, new values).
 * @param model the parsed original
 * @param values new values by initializer name; each must have the original's element count
 * @param extraOutputs tensor names to add as float graph outputs (the frozen-prefix cut)
 * @returns the encoded model bytes
 * @throws ModelError when a name is not an initializer or a size differs
 */
export function encodeWithInitializers(model: ParsedModel, values: Map<string, Float32Array>, extraOutputs: string[] = []): Uint8Array {
  const copy = onnx.ModelProto.decode(onnx.ModelProto.encode(model.proto).finish());
  const g = copy.graph!;
  const seen = new Set<string>();
  for (const t of g.initializer ?? []) {
    const name = t.name ?? '';
    const v = values.get(name);
    if (!v) continue;
    const count = (t.dims ?? []).map(num).reduce((a, b) => a * b, 1);
    if (count !== v.length) {
      throw new ModelError(`new value of initializer '${t.name}' has ${v.length} elements, the graph expects ${count}`, {
        file: model.path,
        field: `initializer ${t.name}`,
      });
    }
    t.dataType = onnx.TensorProto.DataType.FLOAT;
    t.floatData = [];
    t.doubleData = [];
    const bytes = new Uint8Array(v.length * 4);
    const dv = new DataView(bytes.buffer);
    for (let i = 0; i < v.length; i++) dv.setFloat32(i * 4, v[i]!, true);
    t.rawData = bytes;
    seen.add(name);
  }
  for (const name of values.keys()) {
    if (!seen.has(name))
      throw new ModelError(`'${name}' is not an initializer of the model`, { file: model.path, field: `initializer ${name}` });
  }
  g.output = g.output ?? [];
  const existing = new Set(g.output.map((o) => o.name));
  for (const name of extraOutputs) {
    if (existing.has(name)) continue;
    g.output.push(
      onnx.ValueInfoProto.create({
        name,
        type: onnx.TypeProto.create({ tensorType: onnx.TypeProto.Tensor.create({ elemType: onnx.TensorProto.DataType.FLOAT }) }),
      }),
    );
  }
  return onnx.ModelProto.encode(copy).finish();
}

/**
 * Writes a copy of the ONNX file with new initializer values (fine-tuned weights), atomically.
 * @param model the parsed original
 * @param values new values by initializer name
 * @param outPath destination `.onnx`
 * @returns `outPath`
 * @example
 * exportFineTuned(parseOnnx('model.onnx'), trainer.weights(), 'evidence/models/fine-tuned.onnx');
 */
export function exportFineTuned(model: ParsedModel, values: Map<string, Float32Array>, outPath: string): string {
  writeFileAtomic(outPath, encodeWithInitializers(model, values));
  return outPath;
}
