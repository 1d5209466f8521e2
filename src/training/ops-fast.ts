/**
 * Fast differentiable forms of two common layers, built from reshapes and matMul (whose gradients
 * TensorFlow.js' CPU backend computes quickly) instead of its naive `Conv2DBackpropInput` and pooling
 * gradient loops: non-overlapping transposed convolutions (kernel = stride, no padding, e.g. the
 * U-Net's 2×2/2 up-sampling) and pooling with window = stride. Other configurations fall back to
 * TensorFlow.js' own kernels.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Transposed convolution with kernel = stride and no padding (each input pixel writes its own k×k block).
 * @param x NHWC input
 * @param w ONNX weight `[Cin, Cout, kh, kw]`
 * @returns `[N, H·kh, W·kw, Cout]`
 */
export function convTransposeBlocks(x: tf.Tensor4D, w: tf.Tensor): tf.Tensor4D {
  const [N, H, W, Cin] = x.shape;
  const [, Cout, kh, kw] = w.shape as number[];
  const wm = tf.transpose(w, [0, 2, 3, 1]).reshape([Cin, kh! * kw! * Cout!]);
  const y = tf.matMul(x.reshape([N * H * W, Cin]), wm).reshape([N, H, W, kh!, kw!, Cout!]);
  return tf.transpose(y, [0, 1, 3, 2, 4, 5]).reshape([N, H * kh!, W * kw!, Cout!]);
}

/**
 * Max or average pooling with window = stride and no padding, as a reshape and a reduction
 * (trailing rows/columns that do not fill a window are dropped, as ONNX floor mode does).
 */
export function poolBlocks(x: tf.Tensor4D, k: [number, number], kind: 'max' | 'avg'): tf.Tensor4D {
  const [N, H, W, C] = x.shape;
  const Ho = Math.floor(H / k[0]), Wo = Math.floor(W / k[1]);
  const xc = Ho * k[0] !== H || Wo * k[1] !== W ? tf.slice(x, [0, 0, 0, 0], [N, Ho * k[0], Wo * k[1], C]) : x;
  const r = xc.reshape([N, Ho, k[0], Wo, k[1], C]);
  return (kind === 'max' ? tf.max(r, [2, 4]) : tf.mean(r, [2, 4])) as tf.Tensor4D;
}
