/**
 * Static shape inference and MAC/FLOP counting over an ONNX graph, node by node in graph order
 * (ONNX graphs are topologically sorted). Each node gets a row of the per-layer table; a node
 * whose op ptmc does not count, or whose input shapes are unknown, is listed as not counted with
 * the reason — never silently zero.
 */
import { dimsOf, num, tensorValues, type Graph } from '../onnx/read.js';
import { COMPUTE_OPS } from './ops-compute.js';
import { NotInferable, type OpHandler, type Val } from './ops-common.js';
import { SHAPE_OPS } from './ops-movement.js';
import type { LayerRow, NotCountedNode } from './types.js';

const HANDLERS: Record<string, OpHandler> = { ...SHAPE_OPS, ...COMPUTE_OPS };

/** Op types whose shapes and cost ptmc infers (default ONNX domain). */
export const COUNTED_OPS: readonly string[] = Object.keys(HANDLERS).sort();

/** Result of {@link inferGraph}. */
export interface GraphInference {
  layers: LayerRow[];
  notCounted: NotCountedNode[];
  /** Sum over counted layers. */
  macs: number;
  flops: number;
  /** Every tensor whose shape was inferred. */
  shapes: Map<string, number[]>;
}

/**
 * Infers shapes and counts MACs/FLOPs over the main graph.
 * @param graph the model's main graph
 * @param inputShapes concrete shapes of the graph inputs that are known (others stay unknown)
 * @param opset version of the default opset
 * @param initCounts element count per initializer name (for the per-layer parameter column)
 * @returns the per-layer table, the nodes not counted and the totals
 * @example
 * inferGraph(model.graph, { input: [1, 1, 64, 64] }, 13, counts).macs;
 */
export function inferGraph(
  graph: Graph,
  inputShapes: Record<string, number[]>,
  opset: number,
  initCounts: Map<string, number>,
): GraphInference {
  const known = new Map<string, Val>();
  for (const t of graph.initializer ?? []) {
    known.set(t.name ?? '', { shape: dimsOf(t), value: tensorValues(t, 64) });
  }
  for (const sp of graph.sparseInitializer ?? []) known.set(sp.values?.name ?? '', { shape: (sp.dims ?? []).map(num) });
  for (const [k, s] of Object.entries(inputShapes)) known.set(k, { shape: s });
  const layers: LayerRow[] = [];
  const notCounted: NotCountedNode[] = [];
  let macs = 0;
  let flops = 0;
  (graph.node ?? []).forEach((n, i) => {
    const op = n.opType ?? '';
    const name = n.name || `${op}_${i}`;
    const inputs = (n.input ?? []).filter((x) => x !== '');
    const dataInputs = inputs.filter((x) => !initCounts.has(x));
    const ins = (n.input ?? []).map((x) => (x === '' ? undefined : known.get(x)));
    const row: LayerRow = {
      name,
      op,
      inputs: dataInputs,
      inputShapes: dataInputs.map((x) => known.get(x)?.shape ?? null),
      outputShape: null,
      parameters: inputs.reduce((s, x) => s + (initCounts.get(x) ?? 0), 0),
      macs: null,
      flops: null,
    };
    layers.push(row);
    const domain = n.domain ?? '';
    const handler = domain === '' || domain === 'ai.onnx' ? HANDLERS[op] : undefined;
    if (!handler) {
      const why =
        domain && domain !== 'ai.onnx'
          ? `operator of domain "${domain}" is not counted by ptmc`
          : ['If', 'Loop', 'Scan'].includes(op)
            ? 'control flow: the cost of its subgraphs depends on runtime values and is not counted'
            : 'operator not counted by ptmc';
      notCounted.push({ name, op, reason: why });
      return;
    }
    try {
      const r = handler(n, ins, { opset });
      (n.output ?? []).forEach((o, j) => {
        const v = r.outputs[j];
        if (o && v) known.set(o, v);
      });
      row.outputShape = r.outputs[0]?.shape ?? null;
      row.macs = r.macs;
      row.flops = r.flops;
      macs += r.macs;
      flops += r.flops;
    } catch (e) {
      if (!(e instanceof NotInferable)) throw e;
      notCounted.push({ name, op, reason: e.message });
    }
  });
  const shapes = new Map<string, number[]>();
  for (const [k, v] of known) shapes.set(k, v.shape);
  return { layers, notCounted, macs, flops, shapes };
}
