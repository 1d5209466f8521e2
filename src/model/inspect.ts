/**
 * `inspectModel`: identity and structure of an ONNX model — hash, size, IR version, opsets,
 * producer, I/O, op histogram, every initializer (subgraphs and external data included), and with
 * concrete input shapes a per-layer table with inferred shapes, MACs and FLOPs.
 */
import { existsSync, promises as fsp, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../util/errors.js';
import { sha256File } from './hash.js';
import { inferGraph } from './infer.js';
import { liftConstants } from '../onnx/lift.js';
import { allGraphs, dimsOf, dtypeName, num, readOnnx, valueShape, valueType, type Tensor } from '../onnx/read.js';
import type { InitializerInfo, InspectOptions, ModelInspection } from './types.js';

const FLOAT_TYPES = new Set(['float32', 'float16', 'float64', 'bfloat16']);

/** Checks an external-data initializer's file exists and is long enough; returns its resolved path. */
function checkExternal(file: string, t: Tensor): { rel: string; abs: string } {
  const kv = Object.fromEntries((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
  const rel = kv.location;
  if (!rel) {
    throw new InputError(`initializer "${t.name}" is stored externally but names no location`, {
      file,
      field: `initializer ${t.name}`,
      remedy: 're-save the model with onnx.save_model(..., save_as_external_data=True)',
    });
  }
  const abs = resolve(dirname(file), rel);
  if (!existsSync(abs)) {
    throw new InputError(`external data file "${rel}" of initializer "${t.name}" is missing (looked for ${abs})`, {
      file,
      field: `initializer ${t.name}`,
      remedy: `put ${rel} next to the model file, as it was when the model was saved`,
    });
  }
  const end = Number(kv.offset ?? 0) + Number(kv.length ?? 0);
  if (kv.length !== undefined && statSync(abs).size < end) {
    throw new InputError(`external data file "${rel}" is shorter than initializer "${t.name}" needs (${end} bytes)`, {
      file,
      field: `initializer ${t.name}`,
      remedy: 'the data file is truncated: copy it again',
    });
  }
  return { rel, abs };
}

/** Validates user-given input shapes against the model's declared inputs. */
function checkInputShapes(file: string, inputs: ModelInspection['inputs'], given: Record<string, number[]>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, s] of Object.entries(given)) {
    const decl = inputs.find((i) => i.name === name);
    if (!decl) {
      throw new InputError(`"${name}" is not an input of the model`, {
        file,
        field: name,
        remedy: `the model's inputs are: ${inputs.map((i) => i.name).join(', ')}`,
      });
    }
    const bad = (why: string): InputError =>
      new InputError(`input shape [${s}] for "${name}" does not fit the declared [${decl.shape}]: ${why}`, {
        file,
        field: name,
        remedy: `give ${decl.shape ? `[${decl.shape}] with numbers for the symbolic dims` : 'a shape of positive integers'}`,
      });
    if (!s.every((d) => Number.isInteger(d) && d > 0)) throw bad('dims must be positive integers');
    if (decl.shape) {
      if (decl.shape.length !== s.length) throw bad(`rank ${s.length} instead of ${decl.shape.length}`);
      decl.shape.forEach((d, i) => {
        if (typeof d === 'number' && d !== s[i]) throw bad(`dim ${i} must be ${d}`);
      });
    }
    out[name] = s;
  }
  for (const i of inputs) {
    if (!out[i.name] && i.shape && i.shape.every((d) => typeof d === 'number')) out[i.name] = i.shape as number[];
  }
  return out;
}

/**
 * Inspects an ONNX model file.
 *
 * Parameters are every initializer of the model, those of If/Loop/Scan subgraphs included, with
 * element counts from their dims (external-data initializers too; their data file must exist), and
 * every large floating-point `Constant` node (weights as paddle2onnx and spox store them; see
 * {@link liftConstants}), listed with `constant: true`.
 * MACs and FLOPs are estimated by static shape inference from the inputs' shapes (static ones, or
 * `inputShapes` for symbolic dims); nodes ptmc cannot count are listed in `notCounted`.
 *
 * @param path the `.onnx` file
 * @param options `inputShapes` for inputs with symbolic dims
 * @returns the inspection (`ptmc inspect --json`)
 * @throws InputError when the file is missing, truncated or not ONNX, an external data file is
 *   missing, or an input shape does not fit the model
 * @example
 * const info = await inspectModel('model.onnx', { inputShapes: { input: [1, 1, 64, 64] } });
 * info.parameters.total; info.macs;
 */
export async function inspectModel(path: string, options: InspectOptions = {}): Promise<ModelInspection> {
  const sha256 = await sha256File(path);
  const bytes = await fsp.readFile(path);
  const m = readOnnx(path, bytes);
  const g = m.graph!;
  const nodeCount = (g.node ?? []).length;
  const opTypes: Record<string, number> = {};
  for (const n of g.node ?? []) opTypes[n.opType ?? ''] = (opTypes[n.opType ?? ''] ?? 0) + 1;
  const opTypesAll: Record<string, number> = {};
  let totalNodeCount = 0;
  for (const { graph } of allGraphs(g)) {
    totalNodeCount += (graph.node ?? []).length;
    for (const n of graph.node ?? []) opTypesAll[n.opType ?? ''] = (opTypesAll[n.opType ?? ''] ?? 0) + 1;
  }
  const lifted = new Set(liftConstants(g).map((l) => `${l.graph}\u0000${l.name}`));
  const initializers: InitializerInfo[] = [];
  const externalFiles = new Map<string, number>();
  for (const { graph, path: gp } of allGraphs(g)) {
    for (const t of graph.initializer ?? []) {
      const shape = dimsOf(t);
      const info: InitializerInfo = { name: t.name ?? '', dtype: dtypeName(t.dataType), shape, count: shape.reduce((a, b) => a * b, 1) };
      if (gp !== 'graph') info.graph = gp;
      if (lifted.has(`${gp}\u0000${info.name}`)) info.constant = true;
      if (t.dataLocation === 1) {
        const ext = checkExternal(path, t);
        info.external = ext.rel;
        externalFiles.set(ext.abs, statSync(ext.abs).size);
      }
      initializers.push(info);
    }
    for (const sp of graph.sparseInitializer ?? []) {
      const shape = (sp.dims ?? []).map(num);
      const info: InitializerInfo = {
        name: sp.values?.name ?? '',
        dtype: dtypeName(sp.values?.dataType),
        shape,
        count: shape.reduce((a, b) => a * b, 1),
        sparse: { stored: dimsOf(sp.values ?? {}).reduce((a, b) => a * b, 1) },
      };
      if (gp !== 'graph') info.graph = gp;
      initializers.push(info);
    }
  }
  const initNames = new Set([
    ...(g.initializer ?? []).map((t) => t.name ?? ''),
    ...(g.sparseInitializer ?? []).map((t) => t.values?.name ?? ''),
  ]);
  const io = (v: NonNullable<typeof g.input>[number]) => ({ name: v.name ?? '', type: valueType(v), shape: valueShape(v) });
  const inputs = (g.input ?? []).filter((v) => !initNames.has(v.name ?? '')).map(io);
  const outputs = (g.output ?? []).map(io);
  const opsets = (m.opsetImport ?? []).map((o) => ({ domain: o.domain ?? '', version: num(o.version) }));
  const opset = opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 1;
  const inputShapes = checkInputShapes(path, inputs, options.inputShapes ?? {});
  const mainCounts = new Map<string, number>();
  for (const i of initializers) if (!i.graph) mainCounts.set(i.name, i.count);
  const inf = inferGraph(g, inputShapes, opset, mainCounts);
  const missing = inputs.filter((i) => !inputShapes[i.name]).map((i) => i.name);
  const total = initializers.reduce((s, i) => s + i.count, 0);
  const result: ModelInspection = {
    path,
    sha256,
    bytes: bytes.length,
    externalDataBytes: [...externalFiles.values()].reduce((a, b) => a + b, 0),
    irVersion: num(m.irVersion),
    opsets,
    producer: { name: m.producerName ?? '', version: m.producerVersion ?? '' },
    inputs,
    outputs,
    nodeCount,
    totalNodeCount,
    opTypes,
    opTypesAll,
    parameters: {
      total,
      floatingPoint: initializers.filter((i) => FLOAT_TYPES.has(i.dtype)).reduce((s, i) => s + i.count, 0),
      initializers,
    },
    inputShapes,
    macs: missing.length ? null : inf.macs,
    flops: missing.length ? null : inf.flops,
    macsComplete: missing.length === 0 && inf.notCounted.length === 0,
    notCounted: missing.length ? [] : inf.notCounted,
    layers: inf.layers,
  };
  if (missing.length) {
    result.macsNote = `input shape unknown for ${missing.join(', ')}: give it (--input-shape ${missing[0]}=1,…) to count MACs`;
  }
  return result;
}
