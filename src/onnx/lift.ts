/**
 * Weights wherever the exporter put them: paddle2onnx, spox and constant-folding passes store weights
 * as `Constant` nodes instead of initializers. {@link liftConstants} turns every large floating-point
 * `Constant` (and an `Identity` that only renames one) into an initializer of the same graph, so that
 * inspection, 6.2 and the trainer see one kind of weight. The result is an equivalent, valid ONNX graph
 * (IR ≥ 4 allows initializers that are not graph inputs).
 */
import type { onnx } from 'onnx-proto';
import { dimsOf, type Graph, type Node } from './read.js';

/** A Constant holding more floating-point elements than this is a weight; smaller ones are shape/scale constants. */
export const LARGE_CONSTANT_ELEMENTS = 16;

/** Float data types (TensorProto codes): FLOAT, FLOAT16, DOUBLE, BFLOAT16. */
const FLOAT_CODES = new Set([1, 10, 11, 16]);

/** One lifted Constant. */
export interface LiftedConstant {
  /** Initializer name it became (the Constant's output, or the Identity's when an Identity renamed it). */
  name: string;
  /** `graph` for the main graph, else the subgraph path as {@link allGraphs} names it. */
  graph: string;
}

function weightTensor(n: Node): onnx.ITensorProto | undefined {
  if (n.opType !== 'Constant' || (n.domain ?? '') !== '' || (n.output ?? []).length !== 1) return undefined;
  const a = (n.attribute ?? []).find((x) => x.name === 'value');
  const t = a?.t;
  if (!t || !FLOAT_CODES.has(t.dataType ?? 0) || t.dataLocation === 1) return undefined;
  const count = dimsOf(t).reduce((x, y) => x * y, 1);
  return count > LARGE_CONSTANT_ELEMENTS ? t : undefined;
}

/** Every name a graph reads (node inputs of it and of its subgraphs, outer-scope references included). */
function consumers(g: Graph): Map<string, number> {
  const uses = new Map<string, number>();
  const visit = (graph: Graph): void => {
    for (const n of graph.node ?? []) {
      for (const i of n.input ?? []) if (i) uses.set(i, (uses.get(i) ?? 0) + 1);
      for (const a of n.attribute ?? []) {
        if (a.g) visit(a.g);
        for (const s of a.graphs ?? []) visit(s);
      }
    }
    for (const o of graph.output ?? []) uses.set(o.name ?? '', (uses.get(o.name ?? '') ?? 0) + 1);
  };
  visit(g);
  return uses;
}

/**
 * Lifts large float `Constant` nodes of a graph and of its If/Loop/Scan subgraphs into initializers,
 * in place. A `Constant` whose only consumer is an `Identity` becomes an initializer named by the
 * Identity's output, and both nodes are removed.
 * @param g the graph (mutated)
 * @param path the graph's name in the result (`graph` for the main graph)
 * @returns the lifted constants
 * @example
 * const m = readOnnx('det.onnx'); liftConstants(m.graph!).length; // 119 on PP-OCRv4 det
 */
export function liftConstants(g: Graph, path = 'graph'): LiftedConstant[] {
  const out: LiftedConstant[] = [];
  const uses = consumers(g);
  const graphOutputs = new Set((g.output ?? []).map((o) => o.name ?? ''));
  const nodes = g.node ?? [];
  const drop = new Set<number>();
  const byOutput = new Map<string, number>();
  nodes.forEach((n, i) => {
    const t = weightTensor(n);
    if (t && !graphOutputs.has(n.output![0]!)) byOutput.set(n.output![0]!, i);
  });
  const renamed = new Map<number, string>();
  nodes.forEach((n, i) => {
    if (n.opType !== 'Identity' || (n.domain ?? '') !== '' || (n.input ?? []).length !== 1) return;
    const src = byOutput.get(n.input![0]!);
    const dst = n.output?.[0];
    if (src === undefined || !dst || uses.get(n.input![0]!) !== 1) return;
    renamed.set(src, dst);
    drop.add(i);
  });
  g.initializer = g.initializer ?? [];
  for (const [name, i] of byOutput) {
    const t = weightTensor(nodes[i]!)!;
    const final = renamed.get(i) ?? name;
    t.name = final;
    g.initializer.push(t);
    drop.add(i);
    out.push({ name: final, graph: path });
  }
  g.node = nodes.filter((_, i) => !drop.has(i));
  for (const n of g.node) {
    for (const a of n.attribute ?? []) {
      if (a.g) out.push(...liftConstants(a.g, `${path}/${n.name || n.opType}.${a.name}`));
      (a.graphs ?? []).forEach((s, k) => out.push(...liftConstants(s, `${path}/${n.name || n.opType}.${a.name}[${k}]`)));
    }
  }
  return out;
}
