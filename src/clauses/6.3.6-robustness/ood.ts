/**
 * A.12.2 b) for 6.3.6: other-type (`ood`) and obviously wrong (`invalid`) samples mixed into the
 * test set. Confidence is the maximum softmax probability (Hendrycks & Gimpel 2017); for binary
 * segmentation the image's confidence is the mean over pixels of max(p, 1 − p).
 */
import type { Prediction } from '../../case/predict.js';
import type { LoadedCase } from '../../case/types.js';
import { averagePrecisionScore, rocAucScore, rocCurvePoints } from '../../metrics/ranking.js';

/**
 * One confidence per sample: max softmax probability (classification) or mean pixel confidence
 * max(p, 1 − p) (binary segmentation).
 */
export function sampleConfidence(c: LoadedCase, pred: Prediction, n: number): Float64Array {
  const out = new Float64Array(n);
  const per = pred.probs.length / n;
  for (let k = 0; k < n; k++) {
    let s = c.spec.task === 'segmentation' ? 0 : -Infinity;
    for (let i = k * per, e = i + per; i < e; i++) {
      const p = pred.probs[i]!;
      if (c.spec.task === 'segmentation') s += p > 0.5 ? p : 1 - p;
      else if (p > s) s = p;
    }
    out[k] = c.spec.task === 'segmentation' ? s / per : s;
  }
  return out;
}

/** OOD detection quality with in-distribution samples as positives, scored by confidence. */
export interface OodDetection {
  auroc: number;
  /** Average precision with in-distribution as the positive class (AUPR-In). */
  aupr: number;
  /** False-positive rate (OOD accepted) at the smallest threshold reaching 95 % TPR. */
  fprAt95Tpr: number;
  roc: { fpr: number[]; tpr: number[] };
}

/**
 * Detection of OOD samples by confidence: in-distribution = positive.
 * @example
 * oodDetection(Float64Array.of(0.9, 0.8), Float64Array.of(0.6, 0.85)).auroc; // 0.75
 */
export function oodDetection(inConf: ArrayLike<number>, outConf: ArrayLike<number>): OodDetection {
  const y = new Int32Array(inConf.length + outConf.length);
  const s = new Float64Array(y.length);
  for (let i = 0; i < inConf.length; i++) {
    y[i] = 1;
    s[i] = inConf[i]!;
  }
  for (let i = 0; i < outConf.length; i++) s[inConf.length + i] = outConf[i]!;
  const roc = rocCurvePoints(y, s);
  let fpr95 = 1;
  for (let i = 0; i < roc.tpr.length; i++)
    if (roc.tpr[i]! >= 0.95) {
      fpr95 = roc.fpr[i]!;
      break;
    }
  return { auroc: rocAucScore(y, s), aupr: averagePrecisionScore(y, s), fprAt95Tpr: fpr95, roc: { fpr: roc.fpr, tpr: roc.tpr } };
}

/** Share of samples whose confidence is at least `threshold` (accepted with high confidence). */
export function acceptRate(conf: ArrayLike<number>, threshold: number): number {
  if (conf.length === 0) return NaN;
  let k = 0;
  for (let i = 0; i < conf.length; i++) if (conf[i]! >= threshold) k++;
  return k / conf.length;
}
