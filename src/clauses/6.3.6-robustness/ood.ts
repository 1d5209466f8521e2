/**
 * A.12.2 b) for 6.3.6: other-type (`ood`) and obviously wrong (`invalid`) samples mixed into the
 * test set. Confidence is the maximum softmax probability (Hendrycks & Gimpel 2017); for binary
 * segmentation the image's confidence is the mean over pixels of max(p, 1 − p).
 */
import type { Prediction } from '../../case/predict.js';
import type { LoadedCase } from '../../case/types.js';
import { averagePrecisionScore, rocAucScore, rocCurvePoints } from '../../metrics/ranking.js';
import { percentileInterval, wilsonInterval } from '../../metrics/ci.js';
import type { ConfidenceInterval } from '../../results/types.js';
import { Rng } from '../../util/random.js';

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

/**
 * Negative free energy per sample, −E(x) = logsumexp of the logits (Liu et al., "Energy-based
 * out-of-distribution detection", NeurIPS 2020): higher means more in-distribution.
 * Softmax outputs use the logits over axis 1. A one-logit sigmoid output z is the two-logit softmax
 * (−z/2, z/2), so −E = logsumexp(−z/2, z/2) = |z|/2 + log(1 + e^−|z|) (symmetric in the two classes);
 * for sigmoid segmentation the per-pixel value is averaged over the image.
 * @param c the case (task and output activation)
 * @param logits the raw model output, N first
 * @param n number of samples
 * @returns one score per sample, or `undefined` when the output is already a probability (`none`)
 * @example
 * energyScore(c, Float32Array.of(0, 2), 2); // sigmoid: [0.6931…, 1.1269…]
 */
export function energyScore(c: Pick<LoadedCase, 'spec'>, logits: ArrayLike<number>, n: number): Float64Array | undefined {
  const act = c.spec.io.outputActivation;
  if (act === 'none' || n === 0) return undefined;
  const per = logits.length / n;
  const out = new Float64Array(n);
  if (act === 'sigmoid') {
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let i = k * per, e = i + per; i < e; i++) {
        const a = Math.abs(logits[i]!);
        s += a / 2 + Math.log1p(Math.exp(-a));
      }
      out[k] = s / per;
    }
    return out;
  }
  if (c.spec.task === 'segmentation') {
    // N×C×H×W: logsumexp over C per pixel, averaged over pixels.
    const nc = Math.max(2, c.spec.labels.length);
    const hw = per / nc;
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let p = 0; p < hw; p++) {
        let m = -Infinity;
        for (let j = 0; j < nc; j++) m = Math.max(m, logits[k * per + j * hw + p]!);
        let z = 0;
        for (let j = 0; j < nc; j++) z += Math.exp(logits[k * per + j * hw + p]! - m);
        s += m + Math.log(z);
      }
      out[k] = s / hw;
    }
    return out;
  }
  for (let k = 0; k < n; k++) {
    let m = -Infinity;
    for (let i = k * per, e = i + per; i < e; i++) m = Math.max(m, logits[i]!);
    let z = 0;
    for (let i = k * per, e = i + per; i < e; i++) z += Math.exp(logits[i]! - m);
    out[k] = m + Math.log(z);
  }
  return out;
}

/**
 * One feature vector per sample: a 4-D tensor N×C×H×W is average-pooled over H×W (N×C); any other
 * tensor is flattened per sample. Each vector is then scaled to unit L2 norm (Sun et al. 2022).
 * @param data the tensor values, N first
 * @param shape the tensor shape
 * @example
 * sampleFeatures(Float32Array.of(3, 4), [1, 2]); // [[0.6, 0.8]]
 */
export function sampleFeatures(data: ArrayLike<number>, shape: number[]): Float64Array[] {
  const n = shape[0] ?? 0;
  const per = n ? data.length / n : 0;
  const pooled = shape.length === 4;
  const c = pooled ? shape[1]! : per;
  const hw = pooled ? per / c : 1;
  const out: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    const v = new Float64Array(c);
    for (let j = 0; j < c; j++) {
      let s = 0;
      for (let p = 0; p < hw; p++) s += data[k * per + j * hw + p]!;
      v[j] = s / hw;
    }
    let norm = 0;
    for (let j = 0; j < c; j++) norm += v[j]! * v[j]!;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = 0; j < c; j++) v[j]! /= norm;
    out.push(v);
  }
  return out;
}

/**
 * k-NN feature-space score (Sun, Ming, Zhu & Li, "Out-of-distribution detection with deep nearest
 * neighbors", ICML 2022): minus the Euclidean distance from each query to its k-th nearest
 * reference vector (both L2-normalised); higher means more in-distribution.
 * @param reference in-distribution vectors (the training set)
 * @param query vectors to score
 * @param k neighbour rank (default 1; clamped to the reference size)
 * @example
 * knnScore([Float64Array.of(1, 0)], [Float64Array.of(0, 1)]); // [-1.4142…]
 */
export function knnScore(reference: Float64Array[], query: Float64Array[], k = 1): Float64Array {
  const kk = Math.max(1, Math.min(k, reference.length));
  const out = new Float64Array(query.length);
  const d = new Float64Array(reference.length);
  query.forEach((q, i) => {
    reference.forEach((r, j) => {
      let s = 0;
      for (let t = 0; t < q.length; t++) s += (q[t]! - r[t]!) ** 2;
      d[j] = Math.sqrt(s);
    });
    out[i] = reference.length ? -Float64Array.from(d).sort()[kk - 1]! : NaN;
  });
  return out;
}

/** One OOD score with its detection quality and bootstrap CIs. */
export interface OodScoreResult {
  /** `msp` (max softmax probability), `energy`, `feature` (k-NN), or the provider's rule. */
  score: string;
  detection: OodDetection;
  ci: { auroc: ConfidenceInterval; aupr: ConfidenceInterval; fprAt95Tpr: ConfidenceInterval };
  nIn: number;
  nOut: number;
}

/**
 * OOD detection with stratified seeded percentile-bootstrap CIs (in- and out-of-distribution
 * samples resampled separately, so every replicate has both classes).
 * @param inScores in-distribution scores (higher = more in-distribution)
 * @param outScores OOD scores
 * @param opts seed, iterations (default 500), level (default 0.95)
 * @example
 * oodDetectionCi('energy', inS, outS, { seed: 42 }).ci.auroc; // { low, high, method: 'bootstrap-percentile', level: 0.95 }
 */
export function oodDetectionCi(
  score: string,
  inScores: ArrayLike<number>,
  outScores: ArrayLike<number>,
  opts: { seed?: number; iterations?: number; level?: number } = {},
): OodScoreResult {
  const level = opts.level ?? 0.95;
  const iterations = opts.iterations ?? 500;
  const rng = new Rng(opts.seed ?? 0);
  const detection = oodDetection(inScores, outScores);
  const reps = { auroc: new Float64Array(iterations), aupr: new Float64Array(iterations), fprAt95Tpr: new Float64Array(iterations) };
  const a = new Float64Array(inScores.length);
  const b = new Float64Array(outScores.length);
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < a.length; i++) a[i] = inScores[rng.int(a.length)]!;
    for (let i = 0; i < b.length; i++) b[i] = outScores[rng.int(b.length)]!;
    const d = oodDetection(a, b);
    reps.auroc[it] = d.auroc;
    reps.aupr[it] = d.aupr;
    reps.fprAt95Tpr[it] = d.fprAt95Tpr;
  }
  return {
    score,
    detection,
    ci: {
      auroc: percentileInterval(reps.auroc, level),
      aupr: percentileInterval(reps.aupr, level),
      fprAt95Tpr: percentileInterval(reps.fprAt95Tpr, level),
    },
    nIn: inScores.length,
    nOut: outScores.length,
  };
}

/** The provider's rejection rule (case.json `robustness.rejection`): a sample is accepted when its value ≥ threshold. */
export interface RejectionRule {
  /** A model output (averaged per sample) that the provider thresholds… */
  output?: string;
  /** …or one of the clause's scores. */
  score?: 'msp' | 'energy' | 'feature';
  threshold: number;
  /** `below` (default): reject when the value is below the threshold; `above`: reject when above. */
  reject?: 'below' | 'above';
}

/** Accept rate under a rule, with its Wilson interval. */
export function ruleAcceptRate(
  values: ArrayLike<number>,
  rule: Pick<RejectionRule, 'threshold' | 'reject'>,
  level = 0.95,
): { rate: number; accepted: number; n: number; ci: ConfidenceInterval } {
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (rule.reject === 'above' ? v <= rule.threshold : v >= rule.threshold) k++;
  }
  const n = values.length;
  return { rate: n ? k / n : NaN, accepted: k, n, ci: wilsonInterval(k, n, level) };
}

/** Per-sample mean of a tensor (N first). */
export function perSampleMean(data: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  const per = n ? data.length / n : 0;
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let i = k * per, e = i + per; i < e; i++) s += data[i]!;
    out[k] = s / per;
  }
  return out;
}
