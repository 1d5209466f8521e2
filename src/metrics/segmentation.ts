/**
 * Segmentation metrics over masks (N×H×W class indices): IoU (Jaccard, A.5), Dice (F1 over pixels,
 * A.6) and pixel accuracy (A.7), pooled over all pixels and per image, per class.
 *
 * Conventions (documented policy, not accidents):
 * - Scored classes: every class except background 0 by default (binary masks: class 1 only);
 *   `includeBackground: true` adds class 0 (MONAI's `include_background`).
 * - Empty masks: an image (or, pooled, a whole set) where a class is absent from both truth and
 *   prediction has 0/0 IoU and Dice. `emptyPolicy: 'nan'` (default, MONAI's `ignore_empty=True`)
 *   reports NaN and excludes it from means; `'one'` (MONAI `ignore_empty=False`) counts it as 1.
 * - Multi-class headline IoU/Dice: the mean over scored classes of the pooled per-class values;
 *   per image, the mean over scored classes present in truth or prediction.
 * References: Jaccard (1912); Dice (1945); MONAI `DiceMetric`/`MeanIoU`
 * (https://docs.monai.io/en/stable/metrics.html); Taha & Hanbury, BMC Med. Imaging 15:29 (2015).
 */
import { InputError } from '../util/errors.js';
import type { ConfidenceInterval } from '../results/types.js';
import { Rng } from '../util/random.js';
import { percentileInterval, type BootstrapOptions } from './ci.js';
import { checkMasks, maskCounts } from './mask-counts.js';

export { checkMasks } from './mask-counts.js';

/** Options of the segmentation metrics. */
export interface SegmentationOptions {
  /** Number of classes K (mask values 0..K−1); default 2 (binary 0/1 masks). */
  numClasses?: number;
  /** Score class 0 too (default false). */
  includeBackground?: boolean;
  /** 0/0 policy for images where a class is in neither mask: `nan` (default, excluded) or `one`. */
  emptyPolicy?: 'nan' | 'one';
  /**
   * Percentile-bootstrap intervals of the pooled figures, resampling images (default level 0.95, 1000 resamples, seed 0);
   * `false` for none.
   */
  ci?: false | BootstrapOptions;
}

/** Per-class pooled counts and scores. */
export interface SegmentationClassRow {
  label: number;
  iou: number;
  dice: number;
  tp: number;
  fp: number;
  fn: number;
}

/** Per-image scores (mean over scored classes for multi-class masks). */
export interface SegmentationImageRow {
  index: number;
  iou: number;
  dice: number;
  pixelAccuracy: number;
}

/** Result of {@link segmentationMetrics}. */
export interface SegmentationReport {
  /** Pooled over all pixels of all images (multi-class: mean over scored classes). */
  iou: number;
  dice: number;
  pixelAccuracy: number;
  perClass: SegmentationClassRow[];
  perImage: SegmentationImageRow[];
  /** Means of the per-image values, NaN entries excluded. */
  meanPerImage: { iou: number; dice: number; pixelAccuracy: number };
  /** Number of (image, class) pairs that were empty in both masks. */
  emptyCount: number;
  /** Classes scored. */
  labels: number[];
  emptyPolicy: 'nan' | 'one';
  /** Intervals of the pooled `iou`, `dice` and `pixelAccuracy` (images resampled). */
  ci: Record<string, ConfidenceInterval>;
}

function ratio(num: number, den: number, empty: number): number {
  return den === 0 ? empty : num / den;
}

function nanMean(v: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < v.length; i++)
    if (!Number.isNaN(v[i]!)) {
      s += v[i]!;
      c++;
    }
  return c ? s / c : NaN;
}

/**
 * IoU, Dice and pixel accuracy, pooled and per image, per class (see the module notes for the
 * class and empty-mask conventions).
 *
 * @param truth true masks, N×H×W class indices (C order)
 * @param pred predicted masks, same shape
 * @param shape `[N, H, W]` (or `[H, W]`)
 * @param opts numClasses (default 2), includeBackground (default false), emptyPolicy (default `nan`)
 * @returns pooled scores, per-class and per-image tables
 * @throws {InputError} shape mismatch, values outside 0..K−1
 * @example
 * segmentationMetrics(new Uint8Array([1, 1, 0, 0]), new Uint8Array([1, 0, 0, 0]), [1, 2, 2]).dice; // 0.666…
 */
export function segmentationMetrics(
  truth: ArrayLike<number>,
  pred: ArrayLike<number>,
  shape: readonly number[],
  opts: SegmentationOptions = {},
): SegmentationReport {
  const [n, px] = checkMasks(truth, pred, shape);
  const k = opts.numClasses ?? 2;
  if (!Number.isInteger(k) || k < 2 || k > 256)
    throw new InputError(`numClasses ${k} must be an integer in 2..256`, {
      field: 'numClasses',
      remedy: 'count the classes including background',
    });
  const policy = opts.emptyPolicy ?? 'nan';
  const empty = policy === 'one' ? 1 : NaN;
  const labels: number[] = [];
  for (let c = opts.includeBackground ? 0 : 1; c < k; c++) labels.push(c);
  const { tp: tpA, truth: stA, pred: spA, correct } = maskCounts(truth, pred, n, px, k);
  let emptyCount = 0;
  const perImage: SegmentationImageRow[] = [];
  for (let i = 0; i < n; i++) {
    const ious: number[] = [];
    const dices: number[] = [];
    for (const c of labels) {
      const tp = tpA[i * k + c]!;
      const den = stA[i * k + c]! + spA[i * k + c]!;
      if (den === 0) emptyCount++;
      ious.push(ratio(tp, den - tp, empty));
      dices.push(ratio(2 * tp, den, empty));
    }
    perImage.push({ index: i, iou: nanMean(ious), dice: nanMean(dices), pixelAccuracy: px ? correct[i]! / px : NaN });
  }
  const perClass: SegmentationClassRow[] = labels.map((c) => {
    let tp = 0;
    let st = 0;
    let sp = 0;
    for (let i = 0; i < n; i++) {
      tp += tpA[i * k + c]!;
      st += stA[i * k + c]!;
      sp += spA[i * k + c]!;
    }
    return { label: c, iou: ratio(tp, st + sp - tp, empty), dice: ratio(2 * tp, st + sp, empty), tp, fp: sp - tp, fn: st - tp };
  });
  const pooled = (w: Float64Array | undefined) => pooledScores(tpA, stA, spA, correct, labels, n, k, px, empty, w);
  const [iou, dice, pixelAccuracy] = pooled(undefined);
  const ci: Record<string, ConfidenceInterval> = {};
  if (opts.ci !== false && n > 0) {
    const b = opts.ci ?? {};
    const iterations = b.iterations ?? 1000;
    const reps = [new Float64Array(iterations), new Float64Array(iterations), new Float64Array(iterations)];
    const rng = new Rng(b.seed ?? 0);
    const counts = new Float64Array(n);
    for (let r = 0; r < iterations; r++) {
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[rng.int(n)]++;
      pooled(counts).forEach((v, j) => (reps[j]![r] = v));
    }
    ['iou', 'dice', 'pixelAccuracy'].forEach((name, j) => (ci[name] = percentileInterval(reps[j]!, b.level ?? 0.95)));
  }
  return {
    iou,
    dice,
    pixelAccuracy,
    perClass,
    perImage,
    meanPerImage: {
      iou: nanMean(perImage.map((r) => r.iou)),
      dice: nanMean(perImage.map((r) => r.dice)),
      pixelAccuracy: nanMean(perImage.map((r) => r.pixelAccuracy)),
    },
    emptyCount,
    labels,
    emptyPolicy: policy,
    ci,
  };
}

/** Pooled [IoU, Dice, pixel accuracy] from per-image counts, images weighted by `w` (bootstrap multiplicities). */
function pooledScores(
  tpA: Float64Array,
  stA: Float64Array,
  spA: Float64Array,
  correct: Float64Array,
  labels: number[],
  n: number,
  k: number,
  px: number,
  empty: number,
  w?: Float64Array,
): [number, number, number] {
  let iouSum = 0;
  let diceSum = 0;
  let cnt = 0;
  for (const c of labels) {
    let tp = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i]! : 1;
      tp += wi * tpA[i * k + c]!;
      den += wi * (stA[i * k + c]! + spA[i * k + c]!);
    }
    const iou = ratio(tp, den - tp, empty);
    const dice = ratio(2 * tp, den, empty);
    if (!Number.isNaN(iou)) {
      iouSum += iou;
      diceSum += dice;
      cnt++;
    }
  }
  let corr = 0;
  let tot = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    corr += wi * correct[i]!;
    tot += wi * px;
  }
  return [cnt ? iouSum / cnt : NaN, cnt ? diceSum / cnt : NaN, tot ? corr / tot : NaN];
}

/** Pooled IoU = TP / (TP + FP + FN) (A.5). See {@link segmentationMetrics}. @example iouScore(t, p, [n, h, w]); */
export function iouScore(
  truth: ArrayLike<number>,
  pred: ArrayLike<number>,
  shape: readonly number[],
  opts: SegmentationOptions = {},
): number {
  return segmentationMetrics(truth, pred, shape, opts).iou;
}

/** Pooled Dice = 2TP / (2TP + FP + FN) (A.6). See {@link segmentationMetrics}. @example diceScore(t, p, [n, h, w]); */
export function diceScore(
  truth: ArrayLike<number>,
  pred: ArrayLike<number>,
  shape: readonly number[],
  opts: SegmentationOptions = {},
): number {
  return segmentationMetrics(truth, pred, shape, opts).dice;
}

/** Pixel accuracy = correctly labelled pixels / all pixels (A.7). @example pixelAccuracyScore(t, p, [n, h, w]); */
export function pixelAccuracyScore(
  truth: ArrayLike<number>,
  pred: ArrayLike<number>,
  shape: readonly number[],
  opts: SegmentationOptions = {},
): number {
  return segmentationMetrics(truth, pred, shape, opts).pixelAccuracy;
}
