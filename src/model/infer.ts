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
 * Infers shapes and counts MACs/FLOPs over the main graph. If/Loop/Scan subgraphs are inferred in
 * the scope of their node: an If whose condition folds to a constant counts as the branch taken, any
 * other If as its larger branch (an upper bound; both are in the row's `branches`); a Loop/Scan body
 * is counted once and listed as not counted (a lower bound).
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
  for (const [k, sh] of Object.entries(inputShapes)) known.set(k, { shape: sh });
  return inferScope(graph, known, opset, initCounts, '');
}

/** Infers one graph whose outer scope is `outer` (subgraphs read the enclosing graph's tensors). */
function inferScope(
  graph: Graph,
  outer: Map<string, Val>,
  opset: number,
  outerCounts: Map<string, number>,
  prefix: string,
): GraphInference {
  const known = new Map<string, Val>(outer);
  const initCounts = new Map(outerCounts);
  for (const t of graph.initializer ?? []) {
    known.set(t.name ?? '', { shape: dimsOf(t), value: tensorValues(t, 64) });
    initCounts.set(
      t.name ?? '',
      dimsOf(t).reduce((a, b) => a * b, 1),
    );
  }
  for (const sp of graph.sparseInitializer ?? []) {
    known.set(sp.values?.name ?? '', { shape: (sp.dims ?? []).map(num) });
    initCounts.set(
      sp.values?.name ?? '',
      (sp.dims ?? []).map(num).reduce((a, b) => a * b, 1),
    );
  }
  const layers: LayerRow[] = [];
  const notCounted: NotCountedNode[] = [];
  let macs = 0;
  let flops = 0;
  (graph.node ?? []).forEach((n, i) => {
    const op = n.opType ?? '';
    const name = prefix + (n.name || `${op}_${i}`);
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
    if ((domain === '' || domain === 'ai.onnx') && ['If', 'Loop', 'Scan'].includes(op)) {
      const subs = (n.attribute ?? []).filter((a) => a.g).map((a) => ({ attr: a.name ?? '', g: a.g! }));
      const runs = subs.map(({ attr, g }) => ({ attr, g, r: inferScope(g, known, opset, initCounts, `${name}.${attr}/`) }));
      row.branches = runs.map(({ attr, r }) => ({
        name: attr,
        macs: r.macs,
        flops: r.flops,
        complete: r.notCounted.length === 0,
        layers: r.layers,
      }));
      row.parameters += runs.reduce((s, { r }) => s + r.layers.reduce((t, l) => t + l.parameters, 0), 0);
      const cond = op === 'If' ? ins[0]?.value : undefined;
      const taken = cond?.length === 1 ? runs.find((x) => x.attr === (cond[0] ? 'then_branch' : 'else_branch')) : undefined;
      const big = taken ?? runs.reduce<(typeof runs)[number] | undefined>((b, x) => (!b || x.r.macs > b.r.macs ? x : b), undefined);
      if (!big) {
        notCounted.push({ name, op, reason: 'control flow without a subgraph' });
        return;
      }
      row.macs = big.r.macs;
      row.flops = taken ? taken.r.flops : Math.max(...runs.map((x) => x.r.flops));
      macs += row.macs;
      flops += row.flops;
      for (const { r } of taken ? [taken] : runs) notCounted.push(...r.notCounted);
      if (op === 'If') {
        const outName = big.g.output?.[0]?.name ?? '';
        const sh = big.r.shapes.get(outName);
        if (sh) row.outputShape = sh;
        (n.output ?? []).forEach((o, j) => {
          const v = big.r.shapes.get(big.g.output?.[j]?.name ?? '');
          if (o && v) known.set(o, { shape: v });
        });
      } else {
        notCounted.push({
          name,
          op,
          reason: `${op} body counted once (${big.r.macs} MACs per iteration): the number of iterations is known only at run time`,
        });
      }
      return;
    }
    const handler = domain === '' || domain === 'ai.onnx' ? HANDLERS[op] : undefined;
    if (!handler) {
      const why = domain && domain !== 'ai.onnx' ? `operator of domain "${domain}" is not counted by ptmc` : 'operator not counted by ptmc';
      notCounted.push({ name, op, reason: why });
      return;
    }
    try {
      const r = handler(n, ins, { opset });
      const bad = r.outputs.some((v) => v && v.shape.some((d) => !Number.isFinite(d) || d < 0));
      if (bad || !Number.isFinite(r.macs) || !Number.isFinite(r.flops)) throw new NotInferable('output shape could not be inferred');
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
