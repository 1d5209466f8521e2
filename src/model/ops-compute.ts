/**
 * Shape inference and cost of the compute ops: convolutions, Gemm/MatMul, pooling,
 * normalisations and element-wise ops.
 *
 * Conventions (documented in README): MACs count multiply-accumulates of Conv (output elements ×
 * C_in/group × kernel size), ConvTranspose (input elements × C_out/group × kernel size),
 * Gemm (M·N·K), MatMul (batch·M·N·K) and the per-element affine multiply-add of the inference
 * form of normalisations; bias additions are not counted (as fvcore and thop). FLOPs = 2 × MACs
 * plus one operation per output element of element-wise ops (Relu, Add, Softmax… — exp and
 * normalisation sub-steps are not separated) and per window element of pooling.
 */
import { attrInt, attrInts, attrString, type Node } from '../onnx/read.js';
import { broadcast, NotInferable, prod, shapeOf, type OpHandler, type OpResult, type Val } from './ops-common.js';

function windowOut(n: Node, inSp: number[], k: number[], ceil: boolean): number[] {
  const r = inSp.length;
  const s = attrInts(n, 'strides') ?? new Array(r).fill(1);
  const d = attrInts(n, 'dilations') ?? new Array(r).fill(1);
  const pads = attrInts(n, 'pads') ?? new Array(2 * r).fill(0);
  const autoPad = attrString(n, 'auto_pad', 'NOTSET');
  return inSp.map((x, i) => {
    const dk = (k[i] - 1) * d[i] + 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(x / s[i]);
    if (autoPad === 'VALID') return Math.floor((x - dk) / s[i]) + 1;
    const q = (x + pads[i] + pads[i + r] - dk) / s[i];
    return (ceil ? Math.ceil(q) : Math.floor(q)) + 1;
  });
}

const conv: OpHandler = (n, ins) => {
  const x = shapeOf(ins, 0, 'X');
  const w = shapeOf(ins, 1, 'W');
  const g = attrInt(n, 'group', 1);
  const k = attrInts(n, 'kernel_shape') ?? w.slice(2);
  const sp = windowOut(n, x.slice(2), k, false);
  if (sp.some((v) => v < 1)) throw new NotInferable(`output spatial size [${sp}] is empty`);
  const out = [x[0], w[0], ...sp];
  const macs = prod(out) * (x[1] / g) * prod(k);
  return { outputs: [{ shape: out }], macs, flops: 2 * macs };
};

const convTranspose: OpHandler = (n, ins) => {
  const x = shapeOf(ins, 0, 'X');
  const w = shapeOf(ins, 1, 'W');
  const g = attrInt(n, 'group', 1);
  const r = x.length - 2;
  const k = attrInts(n, 'kernel_shape') ?? w.slice(2);
  const s = attrInts(n, 'strides') ?? new Array(r).fill(1);
  const d = attrInts(n, 'dilations') ?? new Array(r).fill(1);
  const pads = attrInts(n, 'pads') ?? new Array(2 * r).fill(0);
  const op = attrInts(n, 'output_padding') ?? new Array(r).fill(0);
  const given = attrInts(n, 'output_shape');
  const autoPad = attrString(n, 'auto_pad', 'NOTSET');
  const sp = given?.length
    ? given.slice(-r)
    : x.slice(2).map((v, i) => {
        if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return v * s[i];
        const full = s[i] * (v - 1) + op[i] + (k[i] - 1) * d[i] + 1;
        return autoPad === 'VALID' ? full : full - pads[i] - pads[i + r];
      });
  const cout = w[1] * g;
  const macs = prod(x) * (cout / g) * prod(k);
  return { outputs: [{ shape: [x[0], cout, ...sp] }], macs, flops: 2 * macs };
};

const gemm: OpHandler = (n, ins) => {
  const a = shapeOf(ins, 0, 'A');
  const b = shapeOf(ins, 1, 'B');
  const [m, k] = attrInt(n, 'transA', 0) ? [a[1], a[0]] : [a[0], a[1]];
  const nn = attrInt(n, 'transB', 0) ? b[0] : b[1];
  const macs = m * nn * k;
  return { outputs: [{ shape: [m, nn] }], macs, flops: 2 * macs };
};

const matmul: OpHandler = (_n, ins) => {
  const a0 = shapeOf(ins, 0, 'A');
  const b0 = shapeOf(ins, 1, 'B');
  const a = a0.length === 1 ? [1, a0[0]] : a0;
  const b = b0.length === 1 ? [b0[0], 1] : b0;
  const m = a[a.length - 2];
  const k = a[a.length - 1];
  const nn = b[b.length - 1];
  if (b[b.length - 2] !== k) throw new NotInferable(`inner dims differ: [${a0}] × [${b0}]`);
  const batch = broadcast(a.slice(0, -2), b.slice(0, -2));
  const out = [...batch, ...(a0.length === 1 ? [] : [m]), ...(b0.length === 1 ? [] : [nn])];
  const macs = prod(batch) * m * nn * k;
  return { outputs: [{ shape: out }], macs, flops: 2 * macs };
};

function pool(global: boolean): OpHandler {
  return (n, ins) => {
    const x = shapeOf(ins, 0, 'X');
    if (global) {
      const out = [x[0], x[1], ...x.slice(2).map(() => 1)];
      return { outputs: [{ shape: out }], macs: 0, flops: prod(x) };
    }
    const k = attrInts(n, 'kernel_shape');
    if (!k) throw new NotInferable('kernel_shape attribute missing');
    const sp = windowOut(n, x.slice(2), k, attrInt(n, 'ceil_mode', 0) === 1);
    const out = [x[0], x[1], ...sp];
    return { outputs: [{ shape: out }, { shape: out }], macs: 0, flops: prod(out) * prod(k) };
  };
}

/** Normalisations: output shaped as X; the affine multiply-add per element counted as one MAC. */
const norm: OpHandler = (_n, ins) => {
  const x = shapeOf(ins, 0, 'X');
  const e = prod(x);
  return { outputs: [{ shape: x }], macs: e, flops: 2 * e };
};

/** Unary element-wise ops: output shaped as the input, one FLOP per element. */
const unary: OpHandler = (_n, ins) => {
  const x = shapeOf(ins, 0);
  return { outputs: [{ shape: x }], macs: 0, flops: prod(x) };
};

/** Broadcasting element-wise ops (Add, Mul, Where, Sum…): one FLOP per output element and operand pair. */
const nary: OpHandler = (n, ins) => {
  const shapes = (n.input ?? []).map((_, i) => shapeOf(ins, i));
  const out = broadcast(...shapes);
  const res: OpResult = { outputs: [{ shape: out }], macs: 0, flops: prod(out) * Math.max(1, shapes.length - 1) };
  const vals = ins.map((v) => v?.value);
  const op = n.opType;
  if (shapes.length === 2 && vals[0] && vals[1] && out.length <= 1 && ['Add', 'Sub', 'Mul', 'Div', 'Equal'].includes(op ?? '')) {
    const len = prod(out);
    const at = (v: number[], i: number): number => (v.length === 1 ? v[0] : v[i]);
    const value: number[] = [];
    for (let i = 0; i < len; i++) {
      const p = at(vals[0], i);
      const q = at(vals[1], i);
      const ints = Number.isInteger(p) && Number.isInteger(q);
      if (op === 'Equal') {
        value.push(p === q ? 1 : 0);
        continue;
      }
      value.push(op === 'Add' ? p + q : op === 'Sub' ? p - q : op === 'Mul' ? p * q : ints ? Math.trunc(p / q) : p / q);
    }
    (res.outputs[0] as Val).value = value;
  }
  return res;
};

/** Dropout: identity at inference (the optional mask output has the same shape). */
const dropout: OpHandler = (_n, ins) => {
  const x = shapeOf(ins, 0);
  return { outputs: [{ shape: x, value: ins[0]?.value }, { shape: x }], macs: 0, flops: 0 };
};

const UNARY = [
  'Relu',
  'LeakyRelu',
  'PRelu',
  'Sigmoid',
  'HardSigmoid',
  'HardSwish',
  'Tanh',
  'Elu',
  'Selu',
  'Celu',
  'Gelu',
  'Softplus',
  'Softsign',
  'Mish',
  'Exp',
  'Log',
  'Sqrt',
  'Abs',
  'Neg',
  'Erf',
  'Clip',
  'Reciprocal',
  'Floor',
  'Ceil',
  'Round',
  'Sign',
  'Not',
  'Sin',
  'Cos',
  'ThresholdedRelu',
  'Softmax',
  'LogSoftmax',
  'Hardmax',
  'IsNaN',
];
const NARY = [
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Pow',
  'Max',
  'Min',
  'Sum',
  'Mean',
  'Equal',
  'Greater',
  'Less',
  'GreaterOrEqual',
  'LessOrEqual',
  'And',
  'Or',
  'Xor',
  'Where',
  'Mod',
  'BitShift',
];

/**
 * LSTM/GRU/RNN (layout 0: X [seq, batch, input]): MACs = seq · batch · directions · gates · H · (input + H),
 * gates 4 (LSTM), 3 (GRU), 1 (RNN); outputs Y [seq, dirs, batch, H], Y_h (and Y_c) [dirs, batch, H].
 */
function recurrent(gates: number): OpHandler {
  return (n, ins) => {
    if (attrInt(n, 'layout', 0) !== 0) throw new NotInferable('layout=1 is not counted by ptmc');
    const x = shapeOf(ins, 0, 'X');
    const w = shapeOf(ins, 1, 'W');
    const [seq, batch, input] = x as [number, number, number];
    const dirs = w[0]!;
    const h = attrInt(n, 'hidden_size', w[1]! / gates);
    const macs = seq * batch * dirs * gates * h * (input + h);
    const state = { shape: [dirs, batch, h] };
    return { outputs: [{ shape: [seq, dirs, batch, h] }, state, state], macs, flops: 2 * macs + seq * batch * dirs * gates * h };
  };
}

/** Handlers of the compute ops, by op type. */
export const COMPUTE_OPS: Record<string, OpHandler> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  Gemm: gemm,
  MatMul: matmul,
  MaxPool: pool(false),
  AveragePool: pool(false),
  GlobalAveragePool: pool(true),
  GlobalMaxPool: pool(true),
  BatchNormalization: norm,
  InstanceNormalization: norm,
  LayerNormalization: norm,
  GroupNormalization: norm,
  Dropout: dropout,
  LSTM: recurrent(4),
  GRU: recurrent(3),
  RNN: recurrent(1),
  ...Object.fromEntries(UNARY.map((o) => [o, unary])),
  ...Object.fromEntries(NARY.map((o) => [o, nary])),
};
