/**
 * Shape inference of the data-movement ops (no arithmetic, no cost) and constant folding of the
 * small integer tensors of shape computations (Shape → Gather → Unsqueeze → Concat → Reshape,
 * as torch's exporter writes them).
 */
import { attr, attrFloats, attrInt, attrInts, dimsOf, tensorValues } from '../onnx/read.js';
import { axis, broadcast, free, hasInput, NotInferable, prod, shapeOf, valueOf, type OpHandler, type Val } from './ops-common.js';

/** Axes given as an attribute (older opsets) or as input `i` (newer opsets); undefined when absent. */
function axesOf(n: Parameters<OpHandler>[0], ins: Parameters<OpHandler>[1], i: number): number[] | undefined {
  const a = attrInts(n, 'axes');
  if (a) return a;
  return hasInput(n, i) ? valueOf(ins, i, 'axes') : undefined;
}

const identity: OpHandler = (_n, ins) => free({ shape: shapeOf(ins, 0), value: ins[0]?.value });

const concat: OpHandler = (n, ins) => {
  const shapes = (n.input ?? []).map((_, i) => shapeOf(ins, i));
  const ax = axis(attrInt(n, 'axis', 0), shapes[0].length);
  const out = [...shapes[0]];
  out[ax] = shapes.reduce((s, sh) => s + sh[ax], 0);
  const vals = ins.map((v) => v?.value);
  const value = out.length === 1 && vals.every((v) => v) ? vals.flatMap((v) => v!) : undefined;
  return free({ shape: out, value });
};

const reshape: OpHandler = (n, ins) => {
  const x = shapeOf(ins, 0, 'data');
  const want = valueOf(ins, 1, 'shape');
  const allowZero = attrInt(n, 'allowzero', 0) === 1;
  const out = want.map((d, i) => (d === 0 && !allowZero ? x[i] : d));
  const minus = out.indexOf(-1);
  if (minus >= 0) out[minus] = prod(x) / prod(out.filter((_, i) => i !== minus));
  if (!out.every((d) => Number.isInteger(d) && d >= 0) || prod(out) !== prod(x)) {
    throw new NotInferable(`cannot reshape [${x}] to [${want}]`);
  }
  return free({ shape: out, value: ins[0]?.value });
};

const flatten: OpHandler = (n, ins) => {
  const x = shapeOf(ins, 0);
  const ax = axis(attrInt(n, 'axis', 1), x.length);
  return free({ shape: [prod(x.slice(0, ax)), prod(x.slice(ax))], value: ins[0]?.value });
};

const transpose: OpHandler = (n, ins) => {
  const x = shapeOf(ins, 0);
  const perm = attrInts(n, 'perm') ?? x.map((_, i) => x.length - 1 - i);
  return free({ shape: perm.map((p) => x[p]) });
};

const squeeze: OpHandler = (n, ins) => {
  const x = shapeOf(ins, 0);
  const axes = axesOf(n, ins, 1)?.map((a) => axis(a, x.length));
  const out = x.filter((d, i) => (axes ? !axes.includes(i) : d !== 1));
  return free({ shape: out, value: ins[0]?.value });
};

const unsqueeze: OpHandler = (n, ins) => {
  const x = shapeOf(ins, 0);
  const axes = axesOf(n, ins, 1);
  if (!axes) throw new NotInferable('axes unknown');
  const r = x.length + axes.length;
  const norm = axes.map((a) => axis(a, r));
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < r; i++) out.push(norm.includes(i) ? 1 : x[j++]);
  return free({ shape: out, value: ins[0]?.value });
};

/** Resize (opset 10: X, scales; 11+: X, roi, scales, sizes) and Upsample. */
const resize: OpHandler = (n, ins, ctx) => {
  const x = shapeOf(ins, 0, 'X');
  let scales: number[] | undefined = attrFloats(n, 'scales');
  let sizes: number[] | undefined;
  if (n.opType === 'Upsample' || ctx.opset < 11) {
    if (!scales && hasInput(n, 1)) scales = valueOf(ins, 1, 'scales');
  } else {
    if (hasInput(n, 3)) sizes = valueOf(ins, 3, 'sizes');
    else if (hasInput(n, 2)) scales = valueOf(ins, 2, 'scales');
  }
  let out: number[];
  if (sizes && sizes.length === x.length) out = sizes;
  else if (scales && scales.length === x.length) out = x.map((d, i) => Math.floor(d * scales![i]));
  else throw new NotInferable('scales/sizes unknown or of another rank than X');
  return free({ shape: out });
};

const shape: OpHandler = (n, ins) => {
  const x = shapeOf(ins, 0);
  const r = x.length;
  const clamp = (a: number): number => Math.min(Math.max(axis(a, r), 0), r);
  const a = attr(n, 'start') ? clamp(attrInt(n, 'start', 0)) : 0;
  const b = attr(n, 'end') ? clamp(attrInt(n, 'end', r)) : r;
  const value = x.slice(a, b);
  return free({ shape: [value.length], value });
};

const gather: OpHandler = (n, ins) => {
  const x = shapeOf(ins, 0, 'data');
  const idx = shapeOf(ins, 1, 'indices');
  const ax = axis(attrInt(n, 'axis', 0), x.length);
  const out = [...x.slice(0, ax), ...idx, ...x.slice(ax + 1)];
  const data = ins[0]?.value;
  const iv = ins[1]?.value;
  const value = data && iv && x.length === 1 ? iv.map((i) => data[i < 0 ? i + x[0] : i]) : undefined;
  return free({ shape: out, value });
};

const constant: OpHandler = (n) => {
  const a = (n.attribute ?? [])[0];
  if (!a) throw new NotInferable('Constant without a value');
  if (a.t) return free({ shape: dimsOf(a.t), value: tensorValues(a.t) });
  if (a.name === 'value_int' || a.name === 'value_float') {
    return free({ shape: [], value: [a.name === 'value_int' ? attrInt(n, a.name, 0) : Number(a.f)] });
  }
  const list = attrInts(n, 'value_ints') ?? attrFloats(n, 'value_floats');
  if (list) return free({ shape: [list.length], value: list });
  throw new NotInferable(`Constant ${a.name} not read`);
};

const slice: OpHandler = (n, ins, ctx) => {
  const x = shapeOf(ins, 0, 'data');
  const old = ctx.opset < 10;
  const starts = old ? attrInts(n, 'starts') : valueOf(ins, 1, 'starts');
  const ends = old ? attrInts(n, 'ends') : valueOf(ins, 2, 'ends');
  if (!starts || !ends) throw new NotInferable('starts/ends unknown');
  const axes = (old ? attrInts(n, 'axes') : hasInput(n, 3) ? valueOf(ins, 3, 'axes') : undefined) ?? starts.map((_, i) => i);
  const steps = (!old && hasInput(n, 4) ? valueOf(ins, 4, 'steps') : undefined) ?? starts.map(() => 1);
  const out = [...x];
  const picks: number[][] = [];
  axes.forEach((a0, j) => {
    const a = axis(a0, x.length);
    const d = x[a];
    const st = steps[j];
    let s = starts[j] < 0 ? starts[j] + d : starts[j];
    let e = ends[j] < 0 ? ends[j] + d : ends[j];
    s = st > 0 ? Math.min(Math.max(s, 0), d) : Math.min(Math.max(s, -1), d - 1);
    e = st > 0 ? Math.min(Math.max(e, 0), d) : Math.min(Math.max(e, -1), d - 1);
    const idx: number[] = [];
    for (let i = s; st > 0 ? i < e : i > e; i += st) idx.push(i);
    out[a] = idx.length;
    picks[a] = idx;
  });
  const data = ins[0]?.value;
  const value = data && x.length === 1 ? (picks[0] ?? data.map((_, i) => i)).map((i) => data[i]) : undefined;
  return free({ shape: out, value });
};

const pad: OpHandler = (n, ins, ctx) => {
  const x = shapeOf(ins, 0, 'data');
  const pads = ctx.opset < 11 ? attrInts(n, 'pads') : valueOf(ins, 1, 'pads');
  if (!pads) throw new NotInferable('pads unknown');
  const axes = ctx.opset >= 18 && hasInput(n, 3) ? valueOf(ins, 3, 'axes').map((a) => axis(a, x.length)) : x.map((_, i) => i);
  const out = [...x];
  axes.forEach((a, j) => (out[a] = x[a] + pads[j] + pads[j + axes.length]));
  return free({ shape: out });
};

/** Reductions: axes from the attribute (older opsets) or input 1; FLOPs = input elements. */
const reduce: OpHandler = (n, ins) => {
  const x = shapeOf(ins, 0);
  const keep = attrInt(n, 'keepdims', 1) === 1;
  let axes = axesOf(n, ins, 1)?.map((a) => axis(a, x.length));
  if (!axes || axes.length === 0) axes = attrInt(n, 'noop_with_empty_axes', 0) ? [] : x.map((_, i) => i);
  const out = keep ? x.map((d, i) => (axes!.includes(i) ? 1 : d)) : x.filter((_, i) => !axes!.includes(i));
  return { outputs: [{ shape: out }], macs: 0, flops: prod(x) };
};

const split: OpHandler = (n, ins) => {
  const x = shapeOf(ins, 0);
  const ax = axis(attrInt(n, 'axis', 0), x.length);
  const k = (n.output ?? []).length;
  const parts = attrInts(n, 'split') ?? (hasInput(n, 1) ? valueOf(ins, 1, 'split') : undefined);
  const sizes = parts ?? new Array(k).fill(0).map((_, i) => Math.ceil(x[ax] / k) - (i === k - 1 ? Math.ceil(x[ax] / k) * k - x[ax] : 0));
  return free(...sizes.map((s): Val => ({ shape: x.map((d, i) => (i === ax ? s : d)) })));
};

const expand: OpHandler = (_n, ins) => free({ shape: broadcast(shapeOf(ins, 0), valueOf(ins, 1, 'shape')) });
const constantOfShape: OpHandler = (_n, ins) => free({ shape: valueOf(ins, 0, 'shape') });
const tile: OpHandler = (_n, ins) => {
  const reps = valueOf(ins, 1, 'repeats');
  return free({ shape: shapeOf(ins, 0).map((d, i) => d * reps[i]) });
};

/** Handlers of the data-movement ops, by op type. */
export const SHAPE_OPS: Record<string, OpHandler> = {
  Identity: identity,
  Cast: identity,
  Concat: concat,
  Reshape: reshape,
  Flatten: flatten,
  Transpose: transpose,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Resize: resize,
  Upsample: resize,
  Shape: shape,
  Gather: gather,
  Constant: constant,
  Slice: slice,
  Pad: pad,
  ReduceMean: reduce,
  ReduceSum: reduce,
  ReduceMax: reduce,
  ReduceMin: reduce,
  ReduceProd: reduce,
  ReduceL2: reduce,
  Split: split,
  Expand: expand,
  ConstantOfShape: constantOfShape,
  Tile: tile,
};
