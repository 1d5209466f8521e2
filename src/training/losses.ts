/**
 * Training losses and batch metrics on model outputs (logits, or probabilities when the graph ends
 * in its own Softmax/Sigmoid): cross-entropy, binary cross-entropy, soft Dice, Dice + BCE.
 */
import * as tf from '@tensorflow/tfjs';
import { sigmoidLossJs } from './js-kernels.js';

/** Loss names (as in the case's TrainingSpec). */
export type LossName = 'cross-entropy' | 'binary-cross-entropy' | 'dice' | 'dice-bce';

/** How the model output becomes probabilities (the case's `io.outputActivation`). */
export type OutputActivation = 'sigmoid' | 'softmax' | 'none';

const EPS = 1e-7;

/** Probabilities from model outputs. */
export function toProbabilities(out: tf.Tensor, activation: OutputActivation): tf.Tensor {
  if (activation === 'sigmoid') return tf.sigmoid(out);
  if (activation === 'softmax')
    return out.rank === 4 ? tf.transpose(tf.softmax(tf.transpose(out, [0, 2, 3, 1])), [0, 3, 1, 2]) : tf.softmax(out);
  return out;
}

function bce(target: tf.Tensor, out: tf.Tensor, activation: OutputActivation): tf.Scalar {
  if (activation === 'sigmoid') {
    // stable: max(z,0) − z·y + log(1 + e^{−|z|})
    return tf.mean(tf.add(tf.sub(tf.relu(out), tf.mul(out, target)), tf.log1p(tf.exp(tf.neg(tf.abs(out)))))) as tf.Scalar;
  }
  const p = tf.clipByValue(toProbabilities(out, activation), EPS, 1 - EPS);
  return tf.neg(tf.mean(tf.add(tf.mul(target, tf.log(p)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p)))))) as tf.Scalar;
}

function crossEntropy(target: tf.Tensor, out: tf.Tensor, activation: OutputActivation): tf.Scalar {
  if (activation === 'sigmoid' || out.shape[1] === 1) return bce(target, out, activation === 'none' ? 'none' : 'sigmoid');
  const axis = 1;
  const logp =
    activation === 'softmax'
      ? out.rank === 4
        ? tf.transpose(tf.logSoftmax(tf.transpose(out, [0, 2, 3, 1])), [0, 3, 1, 2])
        : tf.logSoftmax(out)
      : tf.log(tf.clipByValue(out, EPS, 1));
  return tf.neg(tf.mean(tf.sum(tf.mul(target, logp), axis))) as tf.Scalar;
}

/** Soft Dice loss `1 − (2Σpy + 1)/(Σp + Σy + 1)` per image and channel, averaged (smoothing 1). */
function diceLoss(target: tf.Tensor, out: tf.Tensor, activation: OutputActivation): tf.Scalar {
  const p = toProbabilities(out, activation === 'none' ? 'none' : activation);
  const axes = out.rank === 4 ? [2, 3] : [1];
  const inter = tf.sum(tf.mul(p, target), axes);
  const denom = tf.add(tf.sum(p, axes), tf.sum(target, axes));
  return tf.mean(tf.sub(1, tf.div(tf.add(tf.mul(inter, 2), 1), tf.add(denom, 1)))) as tf.Scalar;
}

/**
 * The loss of a batch.
 * @param name loss name
 * @param target one-hot (classification, `[N,C]`) or 0/1 masks (`[N,1,H,W]`), same shape as `out`
 * @param out model output
 * @param activation how outputs become probabilities
 * @returns a scalar tensor
 * @example
 * computeLoss('dice-bce', masks, logits, 'sigmoid');
 */
export function computeLoss(name: LossName, target: tf.Tensor, out: tf.Tensor, activation: OutputActivation): tf.Scalar {
  if (activation === 'sigmoid' && name !== 'cross-entropy')
    return sigmoidLossJs(target, out, name === 'binary-cross-entropy' ? 'bce' : name);
  switch (name) {
    case 'cross-entropy':
      return crossEntropy(target, out, activation);
    case 'binary-cross-entropy':
      return bce(target, out, activation);
    case 'dice':
      return diceLoss(target, out, activation);
    case 'dice-bce':
      return tf.add(diceLoss(target, out, activation), bce(target, out, activation)) as tf.Scalar;
  }
}

/** Counts for a pooled task metric over batches: Dice (segmentation) or accuracy (classification). */
export interface MetricCounts {
  /** Segmentation: intersection, predicted and true foreground pixels. Classification: correct, total. */
  a: number;
  b: number;
  c: number;
}

/**
 * Adds a batch's counts: segmentation (`threshold` on the foreground probability, channel 0 for
 * sigmoid, argmax otherwise) or classification (argmax, or threshold for one output).
 */
export function accumulateCounts(
  acc: MetricCounts,
  target: tf.Tensor,
  out: tf.Tensor,
  activation: OutputActivation,
  task: 'segmentation' | 'classification',
  threshold = 0.5,
): void {
  if (task === 'segmentation' && activation === 'sigmoid' && out.shape[1] === 1) {
    const Z = out.dataSync(),
      Y = target.dataSync();
    const zt = Math.log(threshold / (1 - threshold));
    for (let i = 0; i < Z.length; i++) {
      const p = Z[i]! > zt ? 1 : 0,
        y = Y[i]! > 0 ? 1 : 0;
      acc.a += p * y;
      acc.b += p;
      acc.c += y;
    }
    return;
  }
  const [a, b, c] = tf.tidy(() => {
    const p = toProbabilities(out, activation);
    if (task === 'segmentation') {
      const pred = p.shape[1] === 1 ? tf.cast(tf.greater(p, threshold), 'float32') : tf.cast(tf.expandDims(tf.argMax(p, 1), 1), 'float32');
      const truth = target.shape[1] === 1 ? target : tf.cast(tf.expandDims(tf.argMax(target, 1), 1), 'float32');
      const fg = (t: tf.Tensor) => tf.cast(tf.greater(t, 0), 'float32');
      return [tf.sum(tf.mul(fg(pred), fg(truth))), tf.sum(fg(pred)), tf.sum(fg(truth))].map((t) => t.dataSync()[0]!);
    }
    const pred = p.shape[1] === 1 ? tf.cast(tf.greater(tf.squeeze(p, [1]), threshold), 'int32') : tf.argMax(p, 1);
    const truth = target.shape[1] === 1 ? tf.cast(tf.squeeze(target, [1]), 'int32') : tf.argMax(target, 1);
    return [tf.sum(tf.cast(tf.equal(pred, truth), 'float32')).dataSync()[0]!, pred.shape[0]!, 0];
  });
  acc.a += a!;
  acc.b += b!;
  acc.c += c!;
}

/** The pooled metric from counts: Dice `2a/(b+c)` (1 when both empty) or accuracy `a/b`. */
export function metricFromCounts(acc: MetricCounts, task: 'segmentation' | 'classification'): number {
  if (task === 'segmentation') return acc.b + acc.c === 0 ? 1 : (2 * acc.a) / (acc.b + acc.c);
  return acc.b === 0 ? NaN : acc.a / acc.b;
}
