/**
 * Confusion matrices: the sufficient statistics of every classification metric.
 * Reference: scikit-learn `confusion_matrix` and `multilabel_confusion_matrix`
 * (https://scikit-learn.org/1.2/modules/model_evaluation.html#confusion-matrix).
 */
import { InputError } from '../util/errors.js';
import { checkSameLength, checkWeights, encodeLabels, uniqueLabels } from './options.js';

/**
 * Weighted confusion counts over `labels`: `m[i * K + j]` = weight of samples with truth
 * `labels[i]` predicted as `labels[j]`. Samples whose truth or prediction is not in `labels`
 * are not counted. Hot loop over typed arrays; no validation (see {@link confusionMatrix}).
 *
 * @param yTrue true labels
 * @param yPred predicted labels
 * @param labels label list (K entries)
 * @param sampleWeight optional weights
 * @returns K×K counts, row = truth, column = prediction
 */
export function confusionCounts(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  labels: readonly number[],
  sampleWeight?: ArrayLike<number>,
): Float64Array {
  const k = labels.length;
  const n = yTrue.length;
  const m = new Float64Array(k * k);
  const t = encodeLabels(yTrue, labels);
  const p = encodeLabels(yPred, labels);
  if (sampleWeight) {
    for (let i = 0; i < n; i++) {
      const a = t[i]!;
      const b = p[i]!;
      if (a >= 0 && b >= 0) m[a * k + b] += sampleWeight[i]!;
    }
  } else {
    const c = new Uint32Array(k * k);
    for (let i = 0; i < n; i++) {
      const a = t[i]!;
      const b = p[i]!;
      if ((a | b) >= 0) c[a * k + b]++;
    }
    for (let j = 0; j < k * k; j++) m[j] = c[j]!;
  }
  return m;
}

/** Options of {@link confusionMatrix}. */
export interface ConfusionMatrixOptions {
  labels?: readonly number[];
  sampleWeight?: ArrayLike<number>;
  /** Normalise over true rows (`true`), predicted columns (`pred`) or everything (`all`). */
  normalize?: 'true' | 'pred' | 'all';
}

/**
 * Confusion matrix, rows = truth, columns = prediction, in `labels` order (default: the sorted
 * union of labels in truth and prediction) — scikit-learn's `confusion_matrix`.
 *
 * @param yTrue true class labels (integers)
 * @param yPred predicted class labels
 * @param opts labels, sample weights, normalisation (a 0/0 normalised entry is 0 as in scikit-learn)
 * @returns K×K matrix
 * @throws {InputError} length mismatch, non-integer labels, no `labels` entry present in the truth
 * @example
 * confusionMatrix([0, 1, 1], [0, 1, 0]); // [[1, 0], [1, 1]]
 */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, opts: ConfusionMatrixOptions = {}): number[][] {
  checkSameLength({ yTrue, yPred, sampleWeight: opts.sampleWeight });
  checkWeights(opts.sampleWeight);
  const present = uniqueLabels(yTrue, yPred);
  const labels = opts.labels ? [...opts.labels] : present;
  if (opts.labels) {
    const truth = new Set(uniqueLabels(yTrue));
    if (labels.length === 0) throw new InputError('labels is empty', { field: 'labels', remedy: 'list at least one label' });
    if (yTrue.length > 0 && !labels.some((l) => truth.has(l)))
      throw new InputError('none of the given labels occurs in the truth', { field: 'labels', remedy: 'list labels that occur in yTrue' });
  }
  const k = labels.length;
  const m = confusionCounts(yTrue, yPred, labels, opts.sampleWeight);
  const rows: number[][] = [];
  for (let i = 0; i < k; i++) rows.push(Array.from(m.subarray(i * k, (i + 1) * k)));
  if (opts.normalize) {
    const total = m.reduce((a, b) => a + b, 0);
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) {
        const den =
          opts.normalize === 'all'
            ? total
            : opts.normalize === 'true'
              ? rows[i]!.reduce((a, b) => a + b, 0)
              : rows.reduce((a, r) => a + r[j]!, 0);
        rows[i]![j] = den === 0 ? 0 : m[i * k + j]! / den;
      }
  }
  return rows;
}

/**
 * One-vs-rest sufficient statistics per label (scikit-learn's `multilabel_confusion_matrix`
 * reduced to sums): `tp`, `predSum` (tp + fp), `trueSum` (tp + fn) and `total` — every sample
 * counts, including those whose labels are outside `labels` (they are negatives for each class).
 */
export interface ClassStats {
  labels: number[];
  tp: Float64Array;
  predSum: Float64Array;
  trueSum: Float64Array;
  /** Total (weighted) number of samples. */
  total: number;
}

/**
 * Per-label one-vs-rest counts.
 * @param yTrue true labels
 * @param yPred predicted labels
 * @param labels labels to report
 * @param sampleWeight optional weights
 * @returns tp, predicted and true sums per label, and the total weight
 */
export function classStats(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  labels: readonly number[],
  sampleWeight?: ArrayLike<number>,
): ClassStats {
  const all = [...labels, ...uniqueLabels(yTrue, yPred).filter((l) => !labels.includes(l))];
  const k = all.length;
  const m = confusionCounts(yTrue, yPred, all, sampleWeight);
  const r = labels.length;
  const tp = new Float64Array(r);
  const predSum = new Float64Array(r);
  const trueSum = new Float64Array(r);
  let total = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      const v = m[i * k + j]!;
      total += v;
      if (i < r) trueSum[i] += v;
      if (j < r) predSum[j] += v;
      if (i === j && i < r) tp[i] = v;
    }
  return { labels: [...labels], tp, predSum, trueSum, total };
}
