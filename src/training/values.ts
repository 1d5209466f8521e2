/**
 * Values flowing through the trainer's TensorFlow.js graph. Image tensors (rank 4) are kept in
 * NHWC internally (TensorFlow.js' CPU convolutions only support NHWC) and flagged, so that the
 * ONNX NCHW semantics of layout-sensitive operators (Flatten, Reshape, axis attributes) are kept;
 * shape chains (Shape → Gather → Concat …) run on the host as plain numbers.
 */
import * as tf from '@tensorflow/tfjs';
import { transpose4Js } from './js-kernels.js';
import type { HostTensor } from './parsed-model.js';

/** A value of the graph: a TensorFlow.js tensor (with its layout) or a host tensor. */
export type Value = { kind: 'tensor'; t: tf.Tensor; nhwc: boolean } | { kind: 'host'; h: HostTensor };

/** Wraps a tensor (`nhwc` only for rank-4 tensors stored channels-last). */
export function tv(t: tf.Tensor, nhwc = false): Value {
  return { kind: 'tensor', t, nhwc: nhwc && t.rank === 4 };
}

/** Wraps host data. */
export function hv(data: number[] | Float32Array, shape: number[], dtype: 'float32' | 'int' = 'int'): Value {
  return { kind: 'host', h: { dtype, shape, data } };
}

/** The ONNX (NCHW) shape of a value. */
export function onnxShape(v: Value): number[] {
  if (v.kind === 'host') return v.h.shape;
  const s = v.t.shape;
  return v.nhwc ? [s[0]!, s[3]!, s[1]!, s[2]!] : [...s];
}

/** The value as a tensor in ONNX (NCHW) layout. */
export function nchw(v: Value): tf.Tensor {
  if (v.kind === 'host') return tf.tensor(Array.from(v.h.data), v.h.shape, v.h.dtype === 'int' ? 'int32' : 'float32');
  return v.nhwc ? transpose4Js(v.t, [0, 3, 1, 2]) : v.t;
}

/** The value as a channels-last rank-4 tensor (for convolutions and pooling). */
export function nhwc(v: Value): tf.Tensor4D {
  if (v.kind === 'tensor' && v.nhwc) return v.t as tf.Tensor4D;
  const t = nchw(v);
  return (t.rank === 4 ? transpose4Js(t, [0, 2, 3, 1]) : tf.transpose(t, [0, 2, 3, 1])) as tf.Tensor4D;
}

/** Maps an ONNX axis of a rank-4 NCHW tensor to the NHWC axis. */
export function nhwcAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  return rank === 4 ? [0, 3, 1, 2][a]! : a;
}

/**
 * Brings `other` into the layout of `ref` for broadcasting elementwise ops: when `ref` is NHWC, a
 * NCHW-broadcastable operand (e.g. a bias `[C,1,1]`) is padded to rank 4 and transposed.
 */
export function alignTo(ref: Value, other: Value): tf.Tensor {
  if (ref.kind === 'tensor' && ref.nhwc) {
    if (other.kind === 'tensor' && other.nhwc) return other.t;
    const t = nchw(other);
    if (t.size === 1) return t.reshape([]);
    const shape = [...t.shape];
    while (shape.length < 4) shape.unshift(1);
    return tf.transpose(t.reshape(shape), [0, 2, 3, 1]);
  }
  return nchw(other);
}

/** Element count of a shape. */
export function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
