/** Writing ONNX models: a copy of a decoded model with new initializer values and extra graph outputs. */
import { onnx } from 'onnx-proto';
import { ModelError } from '../util/errors.js';
import { num } from './read.js';

/** What {@link encodeWithInitializers} needs of a decoded model. */
export interface EncodableModel {
  path: string;
  proto: onnx.ModelProto;
}

/**
 * Encodes a copy of the model with some float initializers replaced (same graph, new values).
 * @param model the parsed original
 * @param values new values by initializer name; each must have the original's element count
 * @param extraOutputs tensor names to add as float graph outputs (the frozen-prefix cut)
 * @returns the encoded model bytes
 * @throws ModelError when a name is not an initializer or a size differs
 */
export function encodeWithInitializers(model: EncodableModel, values: Map<string, Float32Array>, extraOutputs: string[] = []): Uint8Array {
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
