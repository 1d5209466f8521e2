/**
 * Pooling with window = stride as a reshape and a reduction, whose gradient TensorFlow.js' CPU
 * backend computes quickly (instead of its naive `MaxPoolGrad` loop). Other configurations fall back
 * to TensorFlow.js' own kernels.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Max or average pooling with window = stride and no padding, as a reshape and a reduction
 * (trailing rows/columns that do not fill a window are dropped, as ONNX floor mode does).
 */
export function poolBlocks(x: tf.Tensor4D, k: [number, number], kind: 'max' | 'avg'): tf.Tensor4D {
  const [N, H, W, C] = x.shape;
  const Ho = Math.floor(H / k[0]),
    Wo = Math.floor(W / k[1]);
  const xc = Ho * k[0] !== H || Wo * k[1] !== W ? tf.slice(x, [0, 0, 0, 0], [N, Ho * k[0], Wo * k[1], C]) : x;
  const r = xc.reshape([N, Ho, k[0], Wo, k[1], C]);
  return (kind === 'max' ? tf.max(r, [2, 4]) : tf.mean(r, [2, 4])) as tf.Tensor4D;
}
