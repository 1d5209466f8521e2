/**
 * Neural-network operators of the trainer (ONNX semantics, TensorFlow.js kernels, differentiable):
 * Conv, ConvTranspose, BatchNormalization (inference statistics), MaxPool, AveragePool,
 * GlobalAveragePool, Gemm, MatMul, Relu, LeakyRelu, Sigmoid, Tanh, Softmax, Dropout, Clip and the
 * elementwise Add/Sub/Mul/Div.
 */
import * as tf from '@tensorflow/tfjs';
import { ModelError } from '../util/errors.js';
import type { GraphNode } from './parsed-model.js';
import { poolBlocks } from './ops-fast.js';
import { convTransposeBlocksJs } from './js-blocks.js';
import { channelAffineJs, conv2dJs } from './js-kernels.js';
import { alignTo, hv, nchw, nhwc, nhwcAxis, tv, type Value } from './values.js';

/** What an operator may need besides its inputs. */
export interface OpContext {
  /** Training mode: Dropout active. BatchNormalization always uses the stored statistics. */
  training: boolean;
  /** Next dropout seed (deterministic sequence). */
  nextSeed(): number;
  /** Per input of the current node: whether it depends on a trainable parameter (needs a gradient). */
  liveInputs?: boolean[];
  /** Default-domain opset of the model. */
  opset: number;
  /** Model file (for error messages). */
  file: string;
}

/** An operator: ONNX node + input values → output values. */
export type OpFn = (node: GraphNode, x: (Value | undefined)[], ctx: OpContext) => Value[];

function ints(node: GraphNode, name: string, dflt: number[]): number[] {
  const v = node.attrs[name];
  return Array.isArray(v) ? v : dflt;
}

function unsupported(node: GraphNode, ctx: OpContext, what: string): never {
  throw new ModelError(`${node.opType} node '${node.name}': ${what} is not supported by the built-in trainer`, {
    file: ctx.file,
    field: `node ${node.name}`,
    remedy: "re-export the model without it, or train with the provider's own command (useProviderCommand)",
  });
}

function explicitPads(
  node: GraphNode,
  ctx: OpContext,
  k: number[],
  inHW: number[],
  strides: number[],
): [[number, number], [number, number], [number, number], [number, number]] {
  const auto = (node.attrs['auto_pad'] as string | undefined) ?? 'NOTSET';
  let p = ints(node, 'pads', [0, 0, 0, 0]);
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    p = [0, 0, 0, 0];
    for (let d = 0; d < 2; d++) {
      const out = Math.ceil(inHW[d]! / strides[d]!);
      const total = Math.max(0, (out - 1) * strides[d]! + k[d]! - inHW[d]!);
      const small = Math.floor(total / 2);
      p[d] = auto === 'SAME_UPPER' ? small : total - small;
      p[d + 2] = total - p[d]!;
    }
  } else if (auto !== 'NOTSET' && auto !== 'VALID') unsupported(node, ctx, `auto_pad=${auto}`);
  if (p.length !== 4) unsupported(node, ctx, `pads of length ${p.length} (only 2-D images)`);
  return [
    [0, 0],
    [p[0]!, p[2]!],
    [p[1]!, p[3]!],
    [0, 0],
  ];
}

const conv: OpFn = (node, [x, w, b], ctx) => {
  const X = nhwc(x!);
  const W = nchw(w!); // [O, I/g, kh, kw]
  const [O, Ig, kh, kw] = W.shape as number[];
  const strides = ints(node, 'strides', [1, 1]) as [number, number];
  const dil = ints(node, 'dilations', [1, 1]) as [number, number];
  const group = (node.attrs['group'] as number | undefined) ?? 1;
  const pad = explicitPads(node, ctx, [kh!, kw!], [X.shape[1], X.shape[2]], strides);
  const F = tf.transpose(W, [2, 3, 1, 0]) as tf.Tensor4D; // [kh, kw, I/g, O]
  const C = X.shape[3];
  let y: tf.Tensor4D;
  if (group === 1) {
    const bias = b ? nchw(b) : tf.zeros([O!]);
    return [
      tv(
        conv2dJs(
          X,
          F,
          bias as tf.Tensor1D,
          { strides, dilations: dil, pads: [pad[1][0], pad[1][1], pad[2][0], pad[2][1]] },
          ctx.liveInputs?.[0] ?? true,
        ),
        true,
      ),
    ];
  } else if (group === C && Ig === 1) y = tf.depthwiseConv2d(X, F.reshape([kh!, kw!, C, O! / C]) as tf.Tensor4D, strides, pad, 'NHWC', dil);
  else {
    const xs = tf.split(X, group, 3);
    const fs = tf.split(F, group, 3);
    y = tf.concat(
      xs.map((xi, i) => tf.conv2d(xi as tf.Tensor4D, fs[i] as tf.Tensor4D, strides, pad, 'NHWC', dil)),
      3,
    );
  }
  return [tv(b ? tf.add(y, nchw(b)) : y, true)];
};

const convTranspose: OpFn = (node, [x, w, b], ctx) => {
  const X = nhwc(x!);
  const W = nchw(w!); // [Cin, Cout, kh, kw]
  const [, Cout, kh, kw] = W.shape as number[];
  if (((node.attrs['group'] as number | undefined) ?? 1) !== 1) unsupported(node, ctx, 'group ≠ 1');
  if (ints(node, 'dilations', [1, 1]).some((d) => d !== 1)) unsupported(node, ctx, 'dilation ≠ 1');
  if (node.attrs['output_shape'] !== undefined) unsupported(node, ctx, 'the output_shape attribute');
  const auto = (node.attrs['auto_pad'] as string | undefined) ?? 'NOTSET';
  if (auto !== 'NOTSET' && auto !== 'VALID') unsupported(node, ctx, `auto_pad=${auto}`);
  const s = ints(node, 'strides', [1, 1]);
  const p = ints(node, 'pads', [0, 0, 0, 0]);
  const op = ints(node, 'output_padding', [0, 0]);
  const [N, H, Wd] = [X.shape[0], X.shape[1], X.shape[2]];
  const full = [s[0]! * (H - 1) + kh!, s[1]! * (Wd - 1) + kw!];
  if (op[0]! > p[2]! || op[1]! > p[3]!) unsupported(node, ctx, 'output_padding larger than the end padding');
  if (s[0] === kh && s[1] === kw && p.every((v) => v === 0) && op.every((v) => v === 0)) {
    return [tv(convTransposeBlocksJs(X, W, (b ? nchw(b) : tf.zeros([Cout!])) as tf.Tensor1D), true)];
  }
  const F = tf.transpose(W, [2, 3, 1, 0]) as tf.Tensor4D; // [kh, kw, Cout, Cin]
  let y: tf.Tensor4D = tf.conv2dTranspose(X, F, [N, full[0]!, full[1]!, Cout!], s as [number, number], 'valid');
  const outH = full[0]! - p[0]! - p[2]! + op[0]!;
  const outW = full[1]! - p[1]! - p[3]! + op[1]!;
  if (outH !== full[0] || outW !== full[1]) y = tf.slice(y, [0, p[0]!, p[1]!, 0], [N, outH, outW, Cout!]);
  return [tv(b ? tf.add(y, nchw(b)) : y, true)];
};

const batchNorm: OpFn = (node, [x, scale, bias, mean, variance]) => {
  const eps = (node.attrs['epsilon'] as number | undefined) ?? 1e-5;
  const is4 = x!.kind === 'tensor' ? x!.t.rank === 4 : x!.h.shape.length === 4;
  const X = is4 ? nhwc(x!) : nchw(x!);
  const a = tf.mul(tf.rsqrt(tf.add(nchw(variance!), eps)), nchw(scale!)) as tf.Tensor1D;
  const c = tf.sub(nchw(bias!), tf.mul(nchw(mean!), a)) as tf.Tensor1D;
  return [tv(channelAffineJs(X, a, c), is4)];
};

function pool(kind: 'max' | 'avg'): OpFn {
  return (node, [x], ctx) => {
    let X = nhwc(x!);
    const k = ints(node, 'kernel_shape', []) as [number, number];
    const s = ints(node, 'strides', [1, 1]) as [number, number];
    if (ints(node, 'dilations', [1, 1]).some((d) => d !== 1)) unsupported(node, ctx, 'dilation ≠ 1');
    const pad = explicitPads(node, ctx, k, [X.shape[1], X.shape[2]], s);
    const padded = pad.some(([a, c]) => a !== 0 || c !== 0);
    if (padded) {
      if (kind === 'avg' && !node.attrs['count_include_pad']) unsupported(node, ctx, 'padding with count_include_pad=0');
      X = tf.pad(X, pad, kind === 'max' ? -3.4e38 : 0);
    }
    if (node.attrs['ceil_mode']) {
      for (let d = 0; d < 2; d++) {
        const n = X.shape[d + 1]! - k[d]!;
        if (n % s[d]! !== 0) unsupported(node, ctx, 'ceil_mode=1 where it changes the output size');
      }
    }
    const y =
      !padded && k[0] === s[0] && k[1] === s[1]
        ? poolBlocks(X, k, kind)
        : kind === 'max'
          ? tf.maxPool(X, k, s, 'valid')
          : tf.avgPool(X, k, s, 'valid');
    return [tv(y, true)];
  };
}

function binary(f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, hostF: (a: number, b: number) => number): OpFn {
  return (_node, [a, b]) => {
    if (a!.kind === 'host' && b!.kind === 'host' && a!.h.dtype === 'int' && b!.h.dtype === 'int') {
      const A = a!.h,
        B = b!.h;
      const n = Math.max(A.data.length, B.data.length);
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push(Math.trunc(hostF(A.data[A.data.length === 1 ? 0 : i]!, B.data[B.data.length === 1 ? 0 : i]!)));
      return [hv(out, A.data.length >= B.data.length ? A.shape : B.shape)];
    }
    if (a!.kind === 'tensor' && a!.nhwc) return [tv(f(a!.t, alignTo(a!, b!)), true)];
    if (b!.kind === 'tensor' && b!.nhwc) return [tv(f(alignTo(b!, a!), b!.t), true)];
    return [tv(f(nchw(a!), nchw(b!)))];
  };
}

function unary(f: (t: tf.Tensor, node: GraphNode) => tf.Tensor): OpFn {
  return (node, [x]) => [x!.kind === 'tensor' ? tv(f(x!.t, node), x!.nhwc) : tv(f(nchw(x!), node))];
}

const gemm: OpFn = (node, [a, b, c]) => {
  const alpha = (node.attrs['alpha'] as number | undefined) ?? 1;
  const beta = (node.attrs['beta'] as number | undefined) ?? 1;
  let y = tf.matMul(nchw(a!) as tf.Tensor2D, nchw(b!) as tf.Tensor2D, !!node.attrs['transA'], !!node.attrs['transB']) as tf.Tensor;
  if (alpha !== 1) y = tf.mul(y, alpha);
  if (c) y = tf.add(y, beta === 1 ? nchw(c) : tf.mul(nchw(c), beta));
  return [tv(y)];
};

const matMul: OpFn = (_node, [a, b]) => {
  const A = nchw(a!),
    B = nchw(b!);
  if (A.rank > 2 && B.rank === 2) {
    const lead = A.shape.slice(0, -1);
    const y = tf.matMul(A.reshape([-1, A.shape[A.rank - 1]!]) as tf.Tensor2D, B as tf.Tensor2D);
    return [tv(y.reshape([...lead, B.shape[1]!]))];
  }
  return [tv(tf.matMul(A, B))];
};

const softmax: OpFn = (node, [x], ctx) => {
  const rank = x!.kind === 'tensor' ? x!.t.rank : x!.h.shape.length;
  const axis = (node.attrs['axis'] as number | undefined) ?? (ctx.opset >= 13 ? -1 : 1);
  const a = axis < 0 ? axis + rank : axis;
  if (ctx.opset < 13 && a !== rank - 1) {
    const t = nchw(x!);
    const flat = t.reshape([t.shape.slice(0, a).reduce((p, q) => p * q, 1), -1]);
    return [tv(tf.softmax(flat).reshape(t.shape))];
  }
  if (x!.kind === 'tensor' && x!.nhwc) {
    const ax = nhwcAxis(a, 4);
    if (ax === 3) return [tv(tf.softmax(x!.t), true)];
    const perm = [0, 1, 2, 3];
    perm[ax] = 3;
    perm[3] = ax;
    return [tv(tf.transpose(tf.softmax(tf.transpose(x!.t, perm)), perm), true)];
  }
  const t = nchw(x!);
  if (a === rank - 1) return [tv(tf.softmax(t))];
  const perm = [...Array(rank).keys()];
  perm[a] = rank - 1;
  perm[rank - 1] = a;
  return [tv(tf.transpose(tf.softmax(tf.transpose(t, perm)), perm))];
};

const dropout: OpFn = (node, [x, ratioIn, trainIn], ctx) => {
  const ratio = ratioIn?.kind === 'host' ? Number(ratioIn.h.data[0]) : ((node.attrs['ratio'] as number | undefined) ?? 0.5);
  const forced = trainIn?.kind === 'host' ? !!trainIn.h.data[0] : false;
  if (!(ctx.training || forced) || ratio === 0 || x!.kind !== 'tensor') return [x!];
  return [tv(tf.dropout(x!.t, ratio, undefined, ctx.nextSeed()), x!.nhwc)];
};

const clip: OpFn = (node, [x, lo, hi]) => {
  const min = lo?.kind === 'host' ? Number(lo.h.data[0]) : ((node.attrs['min'] as number | undefined) ?? -3.4e38);
  const max = hi?.kind === 'host' ? Number(hi.h.data[0]) : ((node.attrs['max'] as number | undefined) ?? 3.4e38);
  const t = x!.kind === 'tensor' ? x!.t : nchw(x!);
  return [tv(tf.clipByValue(t, min, max), x!.kind === 'tensor' && x!.nhwc)];
};

/** The neural-network operators, by ONNX op type. */
export const NN_OPS: Record<string, OpFn> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  BatchNormalization: batchNorm,
  MaxPool: pool('max'),
  AveragePool: pool('avg'),
  GlobalAveragePool: (_n, [x]) => [tv(tf.mean(nhwc(x!), [1, 2], true), true)],
  Gemm: gemm,
  MatMul: matMul,
  Relu: unary((t) => tf.relu(t)),
  LeakyRelu: unary((t, n) => tf.leakyRelu(t, (n.attrs['alpha'] as number | undefined) ?? 0.01)),
  Sigmoid: unary((t) => tf.sigmoid(t)),
  Tanh: unary((t) => tf.tanh(t)),
  Softmax: softmax,
  Dropout: dropout,
  Clip: clip,
  Add: binary(tf.add, (a, b) => a + b),
  Sub: binary(tf.sub, (a, b) => a - b),
  Mul: binary(tf.mul, (a, b) => a * b),
  Div: binary(tf.div, (a, b) => a / b),
};
