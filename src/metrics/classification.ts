/**
 * Classification metrics from labels: accuracy, precision, recall, F-beta/F1, specificity, per class
 * and averaged (binary, micro, macro, weighted), with scikit-learn's definitions and zero-division
 * conventions (scikit-learn 1.2 `precision_recall_fscore_support`, `accuracy_score`).
 * Standard appendix A.1–A.4. Specificity (TN / (TN + FP)) follows imbalanced-learn's
 * `specificity_score` (same averaging as recall).
 */
import { InputError } from '../util/errors.js';
import { classStats, type ClassStats } from './confusion.js';
import {
  checkSameLength,
  checkWeights,
  uniqueLabels,
  zeroDivide,
  type Average,
  type ClassificationOptions,
  type ZeroDivision,
} from './options.js';

/** Per-label scores and supports, in `labels` order. */
export interface PerClassScores {
  labels: number[];
  precision: number[];
  recall: number[];
  fscore: number[];
  specificity: number[];
  /** (Weighted) number of true samples of each label. */
  support: number[];
}

/** Averaged scores (per `average`) plus the per-class scores they came from. */
export interface PrfsResult {
  average: Average;
  precision: number;
  recall: number;
  fscore: number;
  specificity: number;
  perClass: PerClassScores;
}

/**
 * Accuracy: (weighted) fraction of samples whose prediction equals the truth (A.1).
 * @param yTrue true labels
 * @param yPred predicted labels
 * @param opts `sampleWeight`
 * @throws {InputError} length mismatch, no samples, bad weights
 * @example
 * accuracyScore([0, 1, 1, 0], [0, 1, 0, 0]); // 0.75
 */
export function accuracyScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, opts: { sampleWeight?: ArrayLike<number> } = {}): number {
  const n = checkSameLength({ yTrue, yPred, sampleWeight: opts.sampleWeight });
  checkWeights(opts.sampleWeight);
  if (n === 0) throw new InputError('no samples', { field: 'yTrue', remedy: 'pass at least one sample' });
  const w = opts.sampleWeight;
  let ok = 0;
  let tot = 0;
  if (w) {
    for (let i = 0; i < n; i++) {
      if (yTrue[i] === yPred[i]) ok += w[i]!;
      tot += w[i]!;
    }
  } else {
    for (let i = 0; i < n; i++) if (yTrue[i] === yPred[i]) ok++;
    tot = n;
  }
  return ok / tot;
}

/**
 * The labels scored under `average` (scikit-learn `_check_set_wise_labels`): for `binary`, only
 * `posLabel` (and the data must hold at most two labels); otherwise `labels` or the sorted union.
 * @throws {InputError} multiclass data with `average: 'binary'`; `posLabel` absent from 2-label data
 */
export function setWiseLabels(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, opts: ClassificationOptions): number[] {
  const average = opts.average ?? 'binary';
  const present = uniqueLabels(yTrue, yPred);
  if (average === 'binary') {
    if (present.length > 2)
      throw new InputError(`the data hold ${present.length} labels but average is 'binary'`, {
        field: 'average',
        remedy: "choose average 'micro', 'macro' or 'weighted'",
      });
    const pos = opts.posLabel ?? 1;
    if (!present.includes(pos) && present.length >= 2)
      throw new InputError(`posLabel ${pos} is not one of the labels [${present.join(', ')}]`, {
        field: 'posLabel',
        remedy: 'set posLabel to the positive class',
      });
    return [pos];
  }
  if (opts.posLabel !== undefined && opts.posLabel !== 1)
    opts.warnings?.push(`posLabel (${opts.posLabel}) is ignored when average is '${average}'; use labels: [posLabel] to score one class`);
  if (!['micro', 'macro', 'weighted'].includes(average))
    throw new InputError(`unknown average '${average}'`, { field: 'average', remedy: "use 'binary', 'micro', 'macro' or 'weighted'" });
  return opts.labels ? [...opts.labels] : present;
}

/** Mean ignoring NaN entries (and their weights); NaN when nothing is left. */
function nanAverage(v: ArrayLike<number>, w?: ArrayLike<number>): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < v.length; i++) {
    if (Number.isNaN(v[i]!)) continue;
    const wi = w ? w[i]! : 1;
    s += v[i]! * wi;
    sw += wi;
  }
  return sw === 0 ? NaN : s / sw;
}

function divide(
  num: ArrayLike<number>,
  den: ArrayLike<number>,
  zd: ZeroDivision,
  what: string,
  modifier: string,
  warnings?: string[],
): number[] {
  const out: number[] = [];
  let ill = false;
  for (let i = 0; i < num.length; i++) {
    if (den[i] === 0) ill = true;
    out.push(zeroDivide(num[i]!, den[i]!, zd));
  }
  if (ill && zd === 'warn')
    warnings?.push(
      `${what} is ill-defined and being set to 0.0 in labels with no ${modifier} samples. Use the ` +
        `zeroDivision option to control this behaviour.`,
    );
  return out;
}

/**
 * Precision, recall, F-beta, specificity and support from one-vs-rest counts, averaged as
 * scikit-learn 1.2 does (including its special case of `weighted` with zero total support).
 * @param s per-label counts ({@link classStats})
 * @param average averaging
 * @param beta F-beta weight of recall (1 for F1)
 * @param zd zero-division policy
 * @param warnings warning sink
 */
export function scoresFromStats(s: ClassStats, average: Average, beta = 1, zd: ZeroDivision = 'warn', warnings?: string[]): PrfsResult {
  const r = s.labels.length;
  const fp = Array.from(s.predSum, (p, i) => p - s.tp[i]!);
  const tn = Array.from(s.tp, (tp, i) => s.total - s.predSum[i]! - s.trueSum[i]! + tp);
  const perClass = prf(s.tp, s.predSum, s.trueSum, tn, fp, beta, zd, average === 'micro' ? undefined : warnings);
  const pc: PerClassScores = { labels: s.labels, ...perClass, support: Array.from(s.trueSum) };
  if (average === 'micro') {
    const sum = (a: ArrayLike<number>) => {
      let t = 0;
      for (let i = 0; i < a.length; i++) t += a[i]!;
      return t;
    };
    const m = prf([sum(s.tp)], [sum(s.predSum)], [sum(s.trueSum)], [sum(tn)], [sum(fp)], beta, zd, warnings);
    return {
      average,
      precision: m.precision[0]!,
      recall: m.recall[0]!,
      fscore: m.fscore[0]!,
      specificity: m.specificity[0]!,
      perClass: pc,
    };
  }
  let weights: ArrayLike<number> | undefined;
  if (average === 'weighted') {
    weights = s.trueSum;
    let tsum = 0;
    let psum = 0;
    for (let i = 0; i < r; i++) {
      tsum += s.trueSum[i]!;
      psum += s.predSum[i]!;
    }
    if (tsum === 0) {
      const z = zd === 'warn' ? 0 : zd;
      return psum === 0
        ? { average, precision: z, recall: z, fscore: z, specificity: z, perClass: pc }
        : { average, precision: 0, recall: z, fscore: 0, specificity: z, perClass: pc };
    }
  }
  return {
    average,
    precision: nanAverage(pc.precision, weights),
    recall: nanAverage(pc.recall, weights),
    fscore: nanAverage(pc.fscore, weights),
    specificity: nanAverage(pc.specificity, weights),
    perClass: pc,
  };
}

function prf(
  tp: ArrayLike<number>,
  predSum: ArrayLike<number>,
  trueSum: ArrayLike<number>,
  tn: number[],
  fp: number[],
  beta: number,
  zd: ZeroDivision,
  warnings?: string[],
) {
  const precision = divide(tp, predSum, zd, 'Precision', 'predicted', warnings);
  const recall = divide(tp, trueSum, zd, 'Recall', 'true', warnings);
  const specificity = divide(
    tn,
    tn.map((v, i) => v + fp[i]!),
    zd,
    'Specificity',
    'negative',
    warnings,
  );
  const b2 = beta * beta;
  const fscore = precision.map((p, i) => {
    const rc = recall[i]!;
    if (!Number.isFinite(beta)) return rc;
    let den = b2 * p + rc;
    if (den === 0) den = 1;
    return ((1 + b2) * p * rc) / den;
  });
  return { precision, recall, fscore, specificity };
}

/**
 * Precision, recall, F-beta and specificity under `opts.average`, with per-class values and
 * supports (scikit-learn's `precision_recall_fscore_support`).
 *
 * @param yTrue true labels (integers)
 * @param yPred predicted labels
 * @param opts labels, average (default `binary`), posLabel (default 1), zeroDivision (default
 *   `warn`), sampleWeight, warnings; `beta` (default 1)
 * @returns averaged scores and the per-class table
 * @throws {InputError} length mismatch, bad weights, binary average on multiclass data
 * @example
 * precisionRecallFscoreSupport([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], { average: 'macro' }).fscore; // 0.2666…
 */
export function precisionRecallFscoreSupport(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  opts: ClassificationOptions & { beta?: number } = {},
): PrfsResult {
  checkSameLength({ yTrue, yPred, sampleWeight: opts.sampleWeight });
  checkWeights(opts.sampleWeight);
  const beta = opts.beta ?? 1;
  if (!(beta >= 0)) throw new InputError(`beta ${beta} must be >= 0`, { field: 'beta', remedy: 'use beta >= 0 (1 for F1)' });
  const labels = setWiseLabels(yTrue, yPred, opts);
  const s = classStats(yTrue, yPred, labels, opts.sampleWeight);
  return scoresFromStats(s, opts.average ?? 'binary', beta, opts.zeroDivision ?? 'warn', opts.warnings);
}

/**
 * Precision TP / (TP + FP) (A.2), averaged per `opts.average`. See {@link precisionRecallFscoreSupport}.
 * @example precisionScore([0, 1, 1], [1, 1, 1]); // 0.666…
 */
export function precisionScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, opts: ClassificationOptions = {}): number {
  return precisionRecallFscoreSupport(yTrue, yPred, opts).precision;
}

/** Recall (sensitivity) TP / (TP + FN) (A.3), averaged per `opts.average`. @example recallScore([0, 1, 1], [1, 1, 0]); // 0.5 */
export function recallScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, opts: ClassificationOptions = {}): number {
  return precisionRecallFscoreSupport(yTrue, yPred, opts).recall;
}

/** F1 = 2PR / (P + R) (A.4), averaged per `opts.average`. @example f1Score([0, 1, 1], [1, 1, 0]); // 0.5 */
export function f1Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, opts: ClassificationOptions = {}): number {
  return precisionRecallFscoreSupport(yTrue, yPred, { ...opts, beta: 1 }).fscore;
}

/** F-beta = (1 + β²)PR / (β²P + R). @example fbetaScore([0, 1, 1], [1, 1, 0], 2); */
export function fbetaScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, beta: number, opts: ClassificationOptions = {}): number {
  return precisionRecallFscoreSupport(yTrue, yPred, { ...opts, beta }).fscore;
}

/** Specificity TN / (TN + FP), averaged per `opts.average` like recall. @example specificityScore([0, 0, 1], [0, 1, 1]); // 0.5 */
export function specificityScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, opts: ClassificationOptions = {}): number {
  return precisionRecallFscoreSupport(yTrue, yPred, opts).specificity;
}
