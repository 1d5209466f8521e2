/**
 * The built-in trainer's view of an ONNX file (decoded by the one reader in `src/onnx/`): nodes with
 * decoded attributes, initializers as typed arrays, a copy of the model with new initializer values (fine-tuned weights),
 * and a copy with intermediate tensors exposed as extra graph outputs (the frozen-prefix cut).
 */
import type { onnx } from 'onnx-proto';
import { decodeAttr, type AttrValue } from '../onnx/attributes.js';
import { liftConstants } from '../onnx/lift.js';
import { num, readOnnx } from '../onnx/read.js';
import { tensorFromProto, type HostTensor } from '../onnx/tensor.js';
import { encodeWithInitializers } from '../onnx/write.js';
import { writeFileAtomic } from '../util/fs.js';

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

/**
 * Reads an ONNX file for training. Large float `Constant` nodes (paddle2onnx, spox) are lifted to
 * initializers first, so they are trainable parameters and the fine-tuned export is a valid ONNX model.
 * @param path the `.onnx` file
 * @returns nodes (topological order as stored), initializers, inputs, outputs, default-domain opset
 * @throws InputError when the file cannot be read or is not an ONNX model (see {@link readOnnx})
 * @example
 * const m = parseOnnx('examples/ct-body-segmentation/model.onnx'); m.nodes.length;
 */
export function parseOnnx(path: string): ParsedModel {
  const proto = readOnnx(path);
  const g = proto.graph!;
  liftConstants(g); // weights stored as Constant nodes become initializers, hence trainable and re-exported as such
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

export { encodeWithInitializers, tensorFromProto, type AttrValue, type HostTensor };
