/**
 * Which part of a network is trained: layers, the freezing choice, and the cut between the frozen
 * prefix (run in onnxruntime, features cached) and the trainable tail (run in TensorFlow.js).
 */
import { InputError, ModelError } from '../util/errors.js';
import { NN_OPS } from './ops-nn.js';
import { SHAPE_OPS } from './ops-layout.js';
import type { GraphNode, ParsedModel } from './parsed-model.js';

/**
 * Layers left trainable: `last` (the last weighted layer — Conv, ConvTranspose, Gemm or MatMul with
 * weights — with any parameterised node after it), `all`, `{ lastLayers: k }` (from the k-th last
 * weighted layer on), `{ from: 'node or tensor name' }` (from that node on).
 */
export type TrainableChoice = 'last' | 'all' | { from: string } | { lastLayers: number };

/** The operators the built-in trainer imports (ONNX default domain). */
export const SUPPORTED_OPS: readonly string[] = Object.freeze([...Object.keys(NN_OPS), ...Object.keys(SHAPE_OPS)].sort());

const WEIGHTED = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);
const HOST_SOURCES = new Set(['Shape', 'Constant', 'ConstantOfShape']);

/** A parameterised node of the model. */
export interface LayerInfo {
  node: string;
  opType: string;
  index: number;
  /** Trainable initializers of the node (BatchNormalization running statistics excluded). */
  params: string[];
  parameterCount: number;
  trainable: boolean;
}

/** The result of planning: tail nodes, cut tensors, trainable parameters. */
export interface TrainingPlan {
  /** Index of the first trained node (0 = whole network). */
  startIndex: number;
  /** Nodes run in TensorFlow.js, in order (host shape chains of the prefix included). */
  tailNodes: GraphNode[];
  /** Tensors the tail takes from outside: graph inputs or prefix outputs (the cut). */
  cutInputs: string[];
  /** Whether the tail needs the frozen prefix run (false when every cut input is a graph input). */
  needsPrefix: boolean;
  /** Trainable initializer names. */
  trainable: string[];
  /** Every parameterised node with its trainable flag. */
  layers: LayerInfo[];
  output: string;
}

function floatParams(model: ParsedModel, n: GraphNode): string[] {
  return n.inputs.filter((name, i) => {
    const t = model.initializers.get(name);
    if (!t || t.dtype !== 'float32') return false;
    return !(n.opType === 'BatchNormalization' && i >= 3);
  });
}

function startOf(model: ParsedModel, choice: TrainableChoice): number {
  const weighted = model.nodes.filter((n) => WEIGHTED.has(n.opType) && n.inputs.slice(1).some((i) => model.initializers.has(i)));
  if (choice === 'all') return 0;
  if (choice === 'last' || 'lastLayers' in choice) {
    const k = choice === 'last' ? 1 : choice.lastLayers;
    if (!Number.isInteger(k) || k < 1 || k > weighted.length) {
      throw new InputError(
        `trainable.lastLayers = ${k} is outside 1..${weighted.length} (the model has ${weighted.length} weighted layers)`,
        {
          field: 'trainable.lastLayers',
          file: model.path,
          remedy: `choose a number between 1 and ${weighted.length}, or 'all'`,
        },
      );
    }
    return weighted[weighted.length - k]!.index;
  }
  const n = model.nodes.find((m) => m.name === choice.from || m.outputs.includes(choice.from));
  if (!n) {
    throw new InputError(`trainable.from names '${choice.from}', which is neither a node nor a tensor of the model`, {
      field: 'trainable.from',
      file: model.path,
      remedy: `use a node name such as '${weighted[weighted.length - 1]?.name ?? ''}' (see ptmc inspect)`,
    });
  }
  return n.index;
}

/**
 * Plans training: finds the first trained node, the tail, the cut tensors and the trainable
 * parameters, and checks every tail operator is supported.
 * @param model the parsed ONNX model
 * @param choice which layers to train
 * @param output the output tensor to train (default: the first graph output)
 * @throws InputError for an unknown `from` node or an out-of-range `lastLayers`
 * @throws ModelError naming every unsupported operator (with its nodes)
 * @example
 * planTraining(parseOnnx('model.onnx'), 'last').trainable; // ['out.weight', 'out.bias']
 */
export function planTraining(model: ParsedModel, choice: TrainableChoice, output = model.outputs[0]!): TrainingPlan {
  const startIndex = startOf(model, choice);
  const host = new Set<string>();
  for (const [name, t] of model.initializers) if (t.dtype === 'int') host.add(name);
  const pulled: GraphNode[] = [];
  for (const n of model.nodes.slice(0, startIndex)) {
    const args = n.inputs.filter((i) => i !== '');
    if (HOST_SOURCES.has(n.opType) || (args.length > 0 && args.every((i) => host.has(i)))) {
      n.outputs.forEach((o) => host.add(o));
      pulled.push(n);
    }
  }
  const tailNodes = [...pulled, ...model.nodes.slice(startIndex)];
  const bad = tailNodes.filter((n) => (n.domain && n.domain !== 'ai.onnx') || !SUPPORTED_OPS.includes(n.opType));
  if (bad.length) {
    const byOp = new Map<string, string[]>();
    for (const n of bad) byOp.set(n.opType, [...(byOp.get(n.opType) ?? []), n.name]);
    const list = [...byOp].map(([op, ns]) => `${op} (${ns.slice(0, 3).join(', ')}${ns.length > 3 ? ', …' : ''})`).join('; ');
    throw new ModelError(`the built-in trainer does not support operator(s) ${list}`, {
      file: model.path,
      field: 'graph.node',
      clause: '6.3.1',
      remedy:
        `freeze those layers (trainable: 'last' or { from: … } after them), or train with the ` +
        `provider's own command; supported: ${SUPPORTED_OPS.join(', ')}`,
    });
  }
  const produced = new Set(tailNodes.flatMap((n) => n.outputs));
  const cutInputs: string[] = [];
  for (const n of tailNodes) {
    for (const i of n.inputs) {
      if (i && !produced.has(i) && !model.initializers.has(i) && !cutInputs.includes(i)) cutInputs.push(i);
    }
  }
  const trainable = new Set<string>();
  const layers: LayerInfo[] = [];
  for (const n of model.nodes) {
    const params = floatParams(model, n);
    if (!params.length) continue;
    const isTrainable = n.index >= startIndex;
    if (isTrainable) params.forEach((p) => trainable.add(p));
    const parameterCount = params.reduce((s, p) => s + model.initializers.get(p)!.data.length, 0);
    layers.push({ node: n.name, opType: n.opType, index: n.index, params, parameterCount, trainable: isTrainable });
  }
  return {
    startIndex,
    tailNodes,
    cutInputs,
    trainable: [...trainable],
    layers,
    output,
    needsPrefix: cutInputs.some((c) => !model.inputs.includes(c)),
  };
}
