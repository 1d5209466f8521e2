/**
 * Shape and layout operators of the trainer: Concat, Flatten, Reshape, Transpose, Pad, Identity,
 * Cast and the shape chains PyTorch's exporter emits (Shape, Constant, Gather, Unsqueeze, Squeeze,
 * Slice, ConstantOfShape), which run on the host when their inputs are host values.
 */
import * as tf from '@tensorflow/tfjs';
import { ModelError } from '../util/errors.js';
import type { HostTensor } from './parsed-model.js';
import type { OpFn } from './ops-nn.js';
import { concatChannelsJs } from './js-blocks.js';
import { hv, nchw, nhwc, nhwcAxis, onnxShape, sizeOf, tv, type Value } from './values.js';

function hostInts(v: Value | undefined, what: string, node: { name: string }, file: string): number[] {
  if (!v || v.kind !== 'host') {
    throw new ModelError(`node '${node.name}': ${what} must be a constant (computed from shapes), not a data-dependent tensor`, {
      file,
      field: `node ${node.name}`,
      remedy: 're-export the model with static shapes (torch.onnx.export(..., do_constant_folding=True))',
    });
  }
  return Array.from(v.h.data, Number);
}

function axesOf(node: Parameters<OpFn>[0], x: (Value | undefined)[], file: string): number[] {
  if (Array.isArray(node.attrs['axes'])) return node.attrs['axes'] as number[];
  return x[1] ? hostInts(x[1], 'axes', node, file) : [];
}

const concat: OpFn = (node, x) => {
  const vals = x.filter((v): v is Value => !!v);
  const axis = (node.attrs['axis'] as number | undefined) ?? 0;
  if (vals.every((v) => v.kind === 'host')) {
    const hs = vals.map((v) => (v as { h: HostTensor }).h);
    if (hs.every((h) => h.shape.length <= 1)) {
      const data = hs.flatMap((h) => Array.from(h.data, Number));
      return [hv(data, [data.length], hs[0]!.dtype)];
    }
  }
  const rank = onnxShape(vals[0]!).length;
  if (rank === 4 && vals.some((v) => v.kind === 'tensor' && v.nhwc)) {
    const ts = vals.map((v) => nhwc(v));
    const ax = nhwcAxis(axis, 4);
    return [tv(ax === 3 ? concatChannelsJs(ts) : tf.concat(ts, ax), true)];
  }
  return [tv(tf.concat(vals.map(nchw), axis < 0 ? axis + rank : axis))];
};

const reshape: OpFn = (node, [x, s], ctx) => {
  const target = hostInts(s, 'the shape input', node, ctx.file);
  const inShape = onnxShape(x!);
  const shape = target.map((d, i) => (d === 0 && !node.attrs['allowzero'] ? inShape[i]! : d));
  if (x!.kind === 'host') {
    const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    return [
      hv(
        x!.h.data,
        shape.map((d) => (d === -1 ? x!.h.data.length / known : d)),
        x!.h.dtype,
      ),
    ];
  }
  return [tv(tf.reshape(nchw(x!), shape))];
};

const flatten: OpFn = (node, [x]) => {
  const shape = onnxShape(x!);
  let axis = (node.attrs['axis'] as number | undefined) ?? 1;
  if (axis < 0) axis += shape.length;
  const lead = sizeOf(shape.slice(0, axis));
  return [tv(tf.reshape(nchw(x!), [lead, sizeOf(shape) / lead]))];
};

const transpose: OpFn = (node, [x]) => {
  const perm = node.attrs['perm'] as number[] | undefined;
  return [tv(tf.transpose(nchw(x!), perm))];
};

const shapeOp: OpFn = (node, [x]) => {
  let s = onnxShape(x!);
  const start = (node.attrs['start'] as number | undefined) ?? 0;
  const end = (node.attrs['end'] as number | undefined) ?? s.length;
  s = s.slice(start < 0 ? start + s.length : start, end < 0 ? end + s.length : end);
  return [hv(s, [s.length])];
};

const gather: OpFn = (node, [x, i], ctx) => {
  const axis = (node.attrs['axis'] as number | undefined) ?? 0;
  if (x!.kind === 'host' && i!.kind === 'host' && x!.h.shape.length <= 1) {
    const idx = Array.from(i!.h.data, Number).map((k) => (k < 0 ? k + x!.h.data.length : k));
    const data = idx.map((k) => Number(x!.h.data[k]));
    return [hv(data, i!.h.shape, x!.h.dtype)];
  }
  const t = nchw(x!);
  const idx = hostInts(i, 'the indices', node, ctx.file).map((k) => (k < 0 ? k + t.shape[axis < 0 ? axis + t.rank : axis]! : k));
  const y = tf.gather(t, tf.tensor1d(idx, 'int32'), axis);
  const ishape = i!.kind === 'host' ? i!.h.shape : [idx.length];
  const a = axis < 0 ? axis + t.rank : axis;
  return [tv(tf.reshape(y, [...t.shape.slice(0, a), ...ishape, ...t.shape.slice(a + 1)]))];
};

const unsqueeze: OpFn = (node, x, ctx) => {
  const axes = axesOf(node, x, ctx.file);
  const inShape = onnxShape(x[0]!);
  const out = [...inShape];
  const rank = inShape.length + axes.length;
  for (const a of axes.map((a) => (a < 0 ? a + rank : a)).sort((p, q) => p - q)) out.splice(a, 0, 1);
  const v = x[0]!;
  return [v.kind === 'host' ? hv(v.h.data, out, v.h.dtype) : tv(tf.reshape(nchw(v), out))];
};

const squeeze: OpFn = (node, x, ctx) => {
  const inShape = onnxShape(x[0]!);
  const axes = axesOf(node, x, ctx.file).map((a) => (a < 0 ? a + inShape.length : a));
  const out = inShape.filter((d, i) => (axes.length ? !axes.includes(i) : d !== 1));
  const v = x[0]!;
  return [v.kind === 'host' ? hv(v.h.data, out, v.h.dtype) : tv(tf.reshape(nchw(v), out))];
};

const slice: OpFn = (node, x, ctx) => {
  const v = x[0]!;
  // opset < 10 (paddle2onnx's opset 9) gives starts/ends/axes as attributes, later opsets as inputs
  const attr = (k: string) => (Array.isArray(node.attrs[k]) ? (node.attrs[k] as number[]).map(Number) : undefined);
  const starts = attr('starts') ?? hostInts(x[1], 'starts', node, ctx.file);
  const ends = attr('ends') ?? hostInts(x[2], 'ends', node, ctx.file);
  const shape = onnxShape(v);
  const axes = attr('axes') ?? (x[3] ? hostInts(x[3], 'axes', node, ctx.file) : starts.map((_, i) => i));
  const steps = x[4] ? hostInts(x[4], 'steps', node, ctx.file) : starts.map(() => 1);
  const begin = shape.map(() => 0);
  const size = [...shape];
  axes.forEach((a0, k) => {
    const a = a0 < 0 ? a0 + shape.length : a0;
    if (steps[k] !== 1)
      throw new ModelError(`Slice node '${node.name}': steps ≠ 1 are not supported by the built-in trainer`, {
        file: ctx.file,
        field: `node ${node.name}`,
      });
    const clampI = (i: number) => Math.min(Math.max(i < 0 ? i + shape[a]! : i, 0), shape[a]!);
    begin[a] = clampI(starts[k]!);
    size[a] = Math.max(0, clampI(ends[k]!) - begin[a]!);
  });
  if (v.kind === 'host' && shape.length === 1)
    return [hv(Array.from(v.h.data).slice(begin[0], begin[0]! + size[0]!), [size[0]!], v.h.dtype)];
  return [tv(tf.slice(nchw(v), begin, size))];
};

const pad: OpFn = (node, x, ctx) => {
  const mode = (node.attrs['mode'] as string | undefined) ?? 'constant';
  if (mode !== 'constant')
    throw new ModelError(`Pad node '${node.name}': mode '${mode}' is not supported by the built-in trainer`, {
      file: ctx.file,
      field: `node ${node.name}`,
    });
  const pads = Array.isArray(node.attrs['pads']) ? (node.attrs['pads'] as number[]) : hostInts(x[1], 'pads', node, ctx.file);
  const value = x[2]?.kind === 'host' ? Number(x[2].h.data[0]) : ((node.attrs['value'] as number | undefined) ?? 0);
  const t = nchw(x[0]!);
  const r = t.rank;
  const pairs = [...Array(r).keys()].map((i) => [pads[i]!, pads[i + r]!] as [number, number]);
  return [tv(tf.pad(t, pairs, value))];
};

const constant: OpFn = (node) => {
  const t = node.attrs['value'];
  if (t && typeof t === 'object' && !Array.isArray(t)) return [{ kind: 'host', h: t }];
  if (typeof node.attrs['value_float'] === 'number') return [hv([node.attrs['value_float'] as number], [], 'float32')];
  if (typeof node.attrs['value_int'] === 'number') return [hv([node.attrs['value_int'] as number], [])];
  if (Array.isArray(node.attrs['value_ints']))
    return [hv(node.attrs['value_ints'] as number[], [(node.attrs['value_ints'] as number[]).length])];
  return [hv(node.attrs['value_floats'] as number[], [(node.attrs['value_floats'] as number[]).length], 'float32')];
};

const constantOfShape: OpFn = (node, [s], ctx) => {
  const shape = hostInts(s, 'the shape', node, ctx.file);
  const t = node.attrs['value'] as HostTensor | undefined;
  const fill = t ? Number(t.data[0]) : 0;
  const n = sizeOf(shape);
  return [t?.dtype === 'int' ? hv(new Array(n).fill(fill), shape) : hv(new Float32Array(n).fill(fill), shape, 'float32')];
};

const cast: OpFn = (node, [x]) => {
  const to = node.attrs['to'] as number;
  const isFloat = to === 1 || to === 10 || to === 11 || to === 16;
  if (x!.kind === 'host')
    return [
      isFloat
        ? hv(Float32Array.from(x!.h.data, Number), x!.h.shape, 'float32')
        : hv(
            Array.from(x!.h.data, (d) => Math.trunc(Number(d))),
            x!.h.shape,
          ),
    ];
  return [tv(tf.cast(x!.t, isFloat ? 'float32' : to === 9 ? 'bool' : 'int32'), x!.nhwc)];
};

/** The shape/layout operators, by ONNX op type. */
export const SHAPE_OPS: Record<string, OpFn> = {
  Concat: concat,
  Reshape: reshape,
  Flatten: flatten,
  Transpose: transpose,
  Shape: shapeOp,
  Gather: gather,
  Unsqueeze: unsqueeze,
  Squeeze: squeeze,
  Slice: slice,
  Pad: pad,
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Cast: cast,
  Identity: (_n, [x]) => [x!],
};
