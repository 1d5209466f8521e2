/**
 * Score-based metrics: ROC curve and ROC AUC (binary and one-vs-rest), precision–recall curve and
 * average precision, with scikit-learn 1.2's definitions (`roc_auc_score`, `roc_curve`,
 * `average_precision_score` = Σₙ (Rₙ − Rₙ₋₁) Pₙ, the step-wise, non-interpolated area).
 * References: Fawcett, "An introduction to ROC analysis", Pattern Recognit. Lett. 27 (2006);
 * scikit-learn user guide 3.3.2.8–3.3.2.9 (https://scikit-learn.org/1.2/modules/model_evaluation.html).
 */
import { InputError } from '../util/errors.js';
import { checkSameLength, checkWeights, uniqueLabels } from './options.js';
import { argsortRuns } from './sort.js';

/** Cumulative counts at each distinct score threshold, highest threshold first. */
export interface BinaryCurve {
  /** Distinct thresholds, descending. */
  thresholds: Float64Array;
  /** (Weighted) true positives with score ≥ threshold. */
  tps: Float64Array;
  /** (Weighted) false positives with score ≥ threshold. */
  fps: Float64Array;
}

/** Options of the score-based metrics. */
export interface RankingOptions {
  sampleWeight?: ArrayLike<number>;
  /** Positive class of binary truth (default: the larger of the two labels for ROC AUC, 1 for AP — as scikit-learn). */
  posLabel?: number;
  /** Multiclass averaging over one-vs-rest AUCs/APs (default `macro`). */
  average?: 'macro' | 'weighted';
  /** Class labels, the order of the score columns (default: sorted labels of the truth). */
  labels?: readonly number[];
  /** Collects warnings (undefined AUC/AP). */
  warnings?: string[];
}

/**
 * Checks scores: finite numbers, one per sample.
 * @throws {InputError} NaN or infinite score, naming its position
 */
export function checkScores(scores: ArrayLike<number>, field = 'scores'): void {
  for (let i = 0; i < scores.length; i++)
    if (!Number.isFinite(scores[i]!))
      throw new InputError(`score ${scores[i]} at position ${i} is not a finite number`, {
        field,
        remedy: 'pass finite scores (probabilities or logits), no NaN',
      });
}

/**
 * Threshold-wise cumulative TP/FP counts (scikit-learn `_binary_clf_curve`).
 * @param isPos 1 for positive samples, 0 otherwise
 * @param scores scores, higher = more positive
 * @param w optional weights
 */
export function binaryCurve(isPos: Uint8Array, scores: ArrayLike<number>, w?: ArrayLike<number>): BinaryCurve {
  const n = scores.length;
  const { order, runStart } = argsortRuns(scores);
  const th = new Float64Array(n);
  const tpsA = new Float64Array(n);
  const fpsA = new Float64Array(n);
  let k = 0;
  let tp = 0;
  let fp = 0;
  for (let j = n - 1; j >= 0; j--) {
    const i = order[j]!;
    const wi = w ? w[i]! : 1;
    if (isPos[i]) tp += wi;
    else fp += wi;
    if (runStart[j]) {
      th[k] = scores[i]!;
      tpsA[k] = tp;
      fpsA[k++] = fp;
    }
  }
  return { thresholds: th.subarray(0, k), tps: tpsA.subarray(0, k), fps: fpsA.subarray(0, k) };
}

function positives(yTrue: ArrayLike<number>, pos: number): Uint8Array {
  const out = new Uint8Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) out[i] = yTrue[i] === pos ? 1 : 0;
  return out;
}

/** Trapezoidal area under the ROC curve from a {@link BinaryCurve}; NaN (and a warning) without both classes. */
function aucFromCurve(c: BinaryCurve, warnings?: string[]): number {
  const k = c.tps.length;
  const P = k ? c.tps[k - 1]! : 0;
  const N = k ? c.fps[k - 1]! : 0;
  if (P === 0 || N === 0) {
    warnings?.push('Only one class present in the truth: ROC AUC is not defined (reported as NaN).');
    return NaN;
  }
  let area = 0;
  let x0 = 0;
  let y0 = 0;
  for (let j = 0; j < k; j++) {
    const x = c.fps[j]!;
    const y = c.tps[j]!;
    area += (x - x0) * (y + y0);
    x0 = x;
    y0 = y;
  }
  return area / (2 * P * N);
}

/** Step-wise AP from a curve; 0 (and a warning) without positives, as scikit-learn 1.2. */
function apFromCurve(c: BinaryCurve, warnings?: string[]): number {
  const k = c.tps.length;
  const P = k ? c.tps[k - 1]! : 0;
  if (P === 0) {
    warnings?.push('No positive class found in the truth: recall is set to one for all thresholds and average precision is 0.');
    return 0;
  }
  let ap = 0;
  let r0 = 0;
  for (let j = 0; j < k; j++) {
    const tp = c.tps[j]!;
    const ps = tp + c.fps[j]!;
    const r = tp / P;
    if (r !== r0) ap += (r - r0) * (ps === 0 ? 0 : tp / ps);
    r0 = r;
  }
  return ap;
}

/**
 * ROC curve (false- and true-positive rates at each distinct threshold, starting at (0, 0) with
 * threshold +∞), without dropping collinear points.
 * @param yTrue binary truth
 * @param scores scores of the positive class
 * @param opts posLabel (default: the larger label), sampleWeight
 * @throws {InputError} length mismatch, NaN scores, more than two labels in the truth
 * @example
 * rocCurvePoints([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).tpr; // [0, 0.5, 0.5, 1, 1]
 */
export function rocCurvePoints(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  opts: RankingOptions = {},
): { fpr: number[]; tpr: number[]; thresholds: number[] } {
  const c = binaryInput(yTrue, scores, opts, 'max');
  const P = c.tps[c.tps.length - 1] ?? 0;
  const N = c.fps[c.fps.length - 1] ?? 0;
  return {
    fpr: [0, ...Array.from(c.fps, (v) => (N ? v / N : NaN))],
    tpr: [0, ...Array.from(c.tps, (v) => (P ? v / P : NaN))],
    thresholds: [Infinity, ...c.thresholds],
  };
}

/**
 * Precision–recall curve, highest threshold first (scikit-learn returns it reversed, with the
 * final point (recall 0, precision 1) appended).
 * @param yTrue binary truth
 * @param scores scores of the positive class
 * @param opts posLabel (default 1), sampleWeight
 * @example
 * precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).precision;
 */
export function precisionRecallCurve(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  opts: RankingOptions = {},
): { precision: number[]; recall: number[]; thresholds: number[] } {
  const c = binaryInput(yTrue, scores, opts, 'one');
  const P = c.tps[c.tps.length - 1] ?? 0;
  return {
    precision: Array.from(c.tps, (tp, j) => (tp + c.fps[j]! ? tp / (tp + c.fps[j]!) : 0)),
    recall: Array.from(c.tps, (tp) => (P ? tp / P : 1)),
    thresholds: Array.from(c.thresholds),
  };
}

function binaryInput(yTrue: ArrayLike<number>, scores: ArrayLike<number>, opts: RankingOptions, defaultPos: 'max' | 'one'): BinaryCurve {
  checkSameLength({ yTrue, scores, sampleWeight: opts.sampleWeight });
  checkWeights(opts.sampleWeight);
  checkScores(scores);
  const present = uniqueLabels(yTrue);
  if (present.length > 2)
    throw new InputError(`the truth holds ${present.length} labels; binary scores need two`, {
      field: 'yTrue',
      remedy: 'pass one score column per class for multiclass data',
    });
  const pos = opts.posLabel ?? (defaultPos === 'max' ? (present.length === 2 ? present[1]! : 1) : 1);
  if (present.length === 2 && !present.includes(pos))
    throw new InputError(`posLabel ${pos} is not one of [${present.join(', ')}]`, {
      field: 'posLabel',
      remedy: 'set posLabel to the positive class',
    });
  return binaryCurve(positives(yTrue, pos), scores, opts.sampleWeight);
}

/** Scores as N×K: a flat row-major array or rows. */
export type ScoreMatrix = ArrayLike<number> | ArrayLike<number>[];

function column(scores: ScoreMatrix, n: number, k: number, j: number): Float64Array {
  const out = new Float64Array(n);
  if (n > 0 && typeof (scores as ArrayLike<number>[])[0] === 'object') {
    const rows = scores as ArrayLike<number>[];
    for (let i = 0; i < n; i++) out[i] = rows[i]![j]!;
  } else {
    const flat = scores as ArrayLike<number>;
    for (let i = 0; i < n; i++) out[i] = flat[i * k + j]!;
  }
  return out;
}

function ovr(yTrue: ArrayLike<number>, scores: ScoreMatrix, opts: RankingOptions, fn: (c: BinaryCurve, w?: string[]) => number): number {
  const n = yTrue.length;
  const labels = opts.labels ? [...opts.labels] : uniqueLabels(yTrue);
  const k = labels.length;
  const nested = n > 0 && typeof (scores as ArrayLike<number>[])[0] === 'object';
  const len = nested ? scores.length : scores.length / k;
  if (len !== n || (nested && (scores as ArrayLike<number>[]).some((r) => r.length !== k)))
    throw new InputError(`scores must be ${n}×${k} (one column per label [${labels.join(', ')}])`, {
      field: 'scores',
      remedy: 'give one score column per class label, in label order',
    });
  checkSameLength({ yTrue, sampleWeight: opts.sampleWeight });
  checkWeights(opts.sampleWeight);
  const extra = uniqueLabels(yTrue).filter((l) => !labels.includes(l));
  if (extra.length)
    throw new InputError(`truth labels [${extra.join(', ')}] are not among labels [${labels.join(', ')}]`, {
      field: 'labels',
      remedy: 'list every class of the truth',
    });
  const values: number[] = [];
  const weights: number[] = [];
  for (let j = 0; j < k; j++) {
    const col = column(scores, n, k, j);
    checkScores(col, `scores[:, ${j}]`);
    const isPos = positives(yTrue, labels[j]!);
    values.push(fn(binaryCurve(isPos, col, opts.sampleWeight), opts.warnings));
    let wsum = 0;
    for (let i = 0; i < n; i++) if (isPos[i]) wsum += opts.sampleWeight ? opts.sampleWeight[i]! : 1;
    weights.push(wsum);
  }
  const weighted = opts.average === 'weighted';
  let s = 0;
  let sw = 0;
  for (let j = 0; j < k; j++) {
    const w = weighted ? weights[j]! : 1;
    s += values[j]! * w;
    sw += w;
  }
  return sw === 0 ? 0 : s / sw;
}

/**
 * Area under the ROC curve. Binary: `scores` holds the positive class's score per sample
 * (positive = the larger label unless `posLabel`). Multiclass one-vs-rest: `scores` is N×K
 * (columns in `labels` order) and the per-class AUCs are averaged (`macro`, or `weighted` by
 * sample-weighted prevalence), as scikit-learn's `multi_class='ovr'` (which additionally insists
 * that rows sum to one; this function does not). A class absent from the truth has an undefined
 * AUC: NaN with a warning (scikit-learn raises).
 *
 * @param yTrue true labels
 * @param scores N scores (binary) or an N×K matrix
 * @param opts sampleWeight, posLabel, average, labels, warnings
 * @throws {InputError} NaN scores, size mismatch, truth labels missing from `labels`
 * @example
 * rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 */
export function rocAucScore(yTrue: ArrayLike<number>, scores: ScoreMatrix, opts: RankingOptions = {}): number {
  if (isMulticlass(yTrue, scores, opts)) return ovr(yTrue, scores, opts, aucFromCurve);
  return aucFromCurve(binaryInput(yTrue, scores as ArrayLike<number>, opts, 'max'), opts.warnings);
}

/**
 * Average precision AP = Σₙ (Rₙ − Rₙ₋₁) Pₙ over descending thresholds (no interpolation; equals
 * scikit-learn's `average_precision_score`). Binary: `posLabel` default 1. Multiclass:
 * one-vs-rest over N×K scores, averaged `macro` or `weighted` (scikit-learn ≥ 1.3 semantics;
 * 1.2 needs `label_binarize` first, which gives the same numbers).
 *
 * @param yTrue true labels
 * @param scores N scores (binary) or an N×K matrix
 * @param opts sampleWeight, posLabel, average, labels, warnings
 * @throws {InputError} NaN scores, size mismatch
 * @example
 * averagePrecisionScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.8333…
 */
export function averagePrecisionScore(yTrue: ArrayLike<number>, scores: ScoreMatrix, opts: RankingOptions = {}): number {
  if (isMulticlass(yTrue, scores, opts)) return ovr(yTrue, scores, opts, apFromCurve);
  return apFromCurve(binaryInput(yTrue, scores as ArrayLike<number>, opts, 'one'), opts.warnings);
}

function isMulticlass(yTrue: ArrayLike<number>, scores: ScoreMatrix, opts: RankingOptions): boolean {
  const nested = scores.length > 0 && typeof (scores as ArrayLike<number>[])[0] === 'object';
  if (nested) return true;
  if (opts.labels && opts.labels.length > 2) return true;
  return scores.length !== yTrue.length && yTrue.length > 0;
}
