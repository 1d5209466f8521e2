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
import { InputError } from '../errors.js';

/** Options of the segmentation metrics. */
export interface SegmentationOptions {
  /** Number of classes K (mask values 0..K−1); default 2 (binary 0/1 masks). */
  numClasses?: number;
  /** Score class 0 too (default false). */
  includeBackground?: boolean;
  /** 0/0 policy for images where a class is in neither mask: `nan` (default, excluded) or `one`. */
  emptyPolicy?: 'nan' | 'one';
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
}

function ratio(num: number, den: number, empty: number): number {
  return den === 0 ? empty : num / den;
}

function nanMean(v: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < v.length; i++) if (!Number.isNaN(v[i]!)) (s += v[i]!), c++;
  return c ? s / c : NaN;
}

/**
 * Checks two mask arrays against a shape `[N, H, W]` (or `[H, W]`, one image).
 * @throws {InputError} shape product ≠ length, or truth and prediction of different lengths
 */
export function checkMasks(truth: ArrayLike<number>, pred: ArrayLike<number>, shape: readonly number[]): [number, number] {
  const dims = shape.length === 2 ? [1, ...shape] : [...shape];
  if (dims.length !== 3 || dims.some((d) => !Number.isInteger(d) || d < 0))
    throw new InputError(`mask shape [${shape.join(', ')}] is not N×H×W`, { field: 'shape', remedy: 'pass masks as N×H×W (or H×W for one image)' });
  const total = dims[0]! * dims[1]! * dims[2]!;
  if (truth.length !== total || pred.length !== total)
    throw new InputError(`masks have ${truth.length} (truth) and ${pred.length} (prediction) pixels; shape [${dims.join(', ')}] needs ${total}`, {
      field: 'shape',
      remedy: 'truth and prediction masks must have the same N×H×W shape',
    });
  return [dims[0]!, dims[1]! * dims[2]!];
}

/** Sum of the four byte lanes of a 32-bit word. */
function laneSum(x: number): number {
  return (x & 0xff) + ((x >>> 8) & 0xff) + ((x >>> 16) & 0xff) + (x >>> 24);
}

/** Per-image [tp, truthCount, predCount] of class 1 for 0/1 masks; throws on other values. */
function binaryCounts(t: ArrayLike<number>, p: ArrayLike<number>, n: number, px: number): Float64Array {
  const out = new Float64Array(3 * n);
  const fast = t instanceof Uint8Array && p instanceof Uint8Array && px % 4 === 0 && t.byteOffset % 4 === 0 && p.byteOffset % 4 === 0;
  let bad = 0;
  if (fast) {
    const t32 = new Uint32Array(t.buffer, t.byteOffset, (n * px) >> 2);
    const p32 = new Uint32Array(p.buffer, p.byteOffset, (n * px) >> 2);
    const words = px >> 2;
    for (let img = 0; img < n; img++) {
      let tp = 0;
      let st = 0;
      let sp = 0;
      let or = 0;
      const end = (img + 1) * words;
      // SWAR: bytes are 0/1, so up to 255 words can be added lane-wise before a lane could carry;
      // then the four byte lanes are summed.
      for (let w = img * words; w < end; ) {
        const stop = Math.min(end, w + 255);
        let at = 0;
        let ap = 0;
        let atp = 0;
        for (; w < stop; w++) {
          const a = t32[w]!;
          const b = p32[w]!;
          or |= a | b;
          at += a;
          ap += b;
          atp += a & b;
        }
        tp += laneSum(atp);
        st += laneSum(at);
        sp += laneSum(ap);
      }
      bad |= or & 0xfefefefe;
      out[3 * img] = tp;
      out[3 * img + 1] = st;
      out[3 * img + 2] = sp;
    }
  } else {
    for (let img = 0; img < n; img++) {
      let tp = 0;
      let st = 0;
      let sp = 0;
      for (let i = img * px, e = i + px; i < e; i++) {
        const a = t[i]!;
        const b = p[i]!;
        if ((a !== 0 && a !== 1) || (b !== 0 && b !== 1)) bad = 1;
        tp += a & b;
        st += a;
        sp += b;
      }
      out[3 * img] = tp;
      out[3 * img + 1] = st;
      out[3 * img + 2] = sp;
    }
  }
  if (bad) throw new InputError('binary masks must hold only 0 and 1', { field: 'masks', remedy: 'binarise the masks (0 background, 1 foreground) or pass numClasses for class-index masks' });
  return out;
}

/** Per-image K×K confusion counts for class-index masks. */
function multiCounts(t: ArrayLike<number>, p: ArrayLike<number>, n: number, px: number, k: number): Float64Array {
  const out = new Float64Array(n * k * k);
  const c = new Uint32Array(k * k);
  for (let img = 0; img < n; img++) {
    c.fill(0);
    for (let i = img * px, e = i + px; i < e; i++) {
      const a = t[i]!;
      const b = p[i]!;
      if (!(a >= 0 && a < k && b >= 0 && b < k && a === (a | 0) && b === (b | 0)))
        throw new InputError(`mask value ${!(a >= 0 && a < k) ? a : b} at pixel ${i} is not a class index 0..${k - 1}`, { field: 'masks', remedy: 'store class indices, or raise numClasses' });
      c[a * k + b]++;
    }
    for (let j = 0; j < k * k; j++) out[img * k * k + j] = c[j]!;
  }
  return out;
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
export function segmentationMetrics(truth: ArrayLike<number>, pred: ArrayLike<number>, shape: readonly number[], opts: SegmentationOptions = {}): SegmentationReport {
  const [n, px] = checkMasks(truth, pred, shape);
  const k = opts.numClasses ?? 2;
  if (!Number.isInteger(k) || k < 2 || k > 256) throw new InputError(`numClasses ${k} must be an integer in 2..256`, { field: 'numClasses', remedy: 'count the classes including background' });
  const policy = opts.emptyPolicy ?? 'nan';
  const empty = policy === 'one' ? 1 : NaN;
  const labels: number[] = [];
  for (let c = opts.includeBackground ? 0 : 1; c < k; c++) labels.push(c);
  // per image, per class: tp, truth count, pred count; and per-image correct pixels
  const tpA = new Float64Array(n * k);
  const stA = new Float64Array(n * k);
  const spA = new Float64Array(n * k);
  const correct = new Float64Array(n);
  if (k === 2) {
    const b = binaryCounts(truth, pred, n, px);
    for (let i = 0; i < n; i++) {
      const tp = b[3 * i]!;
      const st = b[3 * i + 1]!;
      const sp = b[3 * i + 2]!;
      const tn = px - st - sp + tp;
      tpA[2 * i + 1] = tp;
      stA[2 * i + 1] = st;
      spA[2 * i + 1] = sp;
      tpA[2 * i] = tn;
      stA[2 * i] = px - st;
      spA[2 * i] = px - sp;
      correct[i] = tp + tn;
    }
  } else {
    const m = multiCounts(truth, pred, n, px, k);
    for (let i = 0; i < n; i++)
      for (let a = 0; a < k; a++)
        for (let b = 0; b < k; b++) {
          const v = m[i * k * k + a * k + b]!;
          stA[i * k + a] += v;
          spA[i * k + b] += v;
          if (a === b) (tpA[i * k + a] = v), (correct[i] += v);
        }
  }
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
    for (let i = 0; i < n; i++) (tp += tpA[i * k + c]!), (st += stA[i * k + c]!), (sp += spA[i * k + c]!);
    return { label: c, iou: ratio(tp, st + sp - tp, empty), dice: ratio(2 * tp, st + sp, empty), tp, fp: sp - tp, fn: st - tp };
  });
  let corr = 0;
  for (let i = 0; i < n; i++) corr += correct[i]!;
  return {
    iou: nanMean(perClass.map((r) => r.iou)),
    dice: nanMean(perClass.map((r) => r.dice)),
    pixelAccuracy: n * px ? corr / (n * px) : NaN,
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
  };
}

/** Pooled IoU = TP / (TP + FP + FN) (A.5). See {@link segmentationMetrics}. @example iouScore(t, p, [n, h, w]); */
export function iouScore(truth: ArrayLike<number>, pred: ArrayLike<number>, shape: readonly number[], opts: SegmentationOptions = {}): number {
  return segmentationMetrics(truth, pred, shape, opts).iou;
}

/** Pooled Dice = 2TP / (2TP + FP + FN) (A.6). See {@link segmentationMetrics}. @example diceScore(t, p, [n, h, w]); */
export function diceScore(truth: ArrayLike<number>, pred: ArrayLike<number>, shape: readonly number[], opts: SegmentationOptions = {}): number {
  return segmentationMetrics(truth, pred, shape, opts).dice;
}

/** Pixel accuracy = correctly labelled pixels / all pixels (A.7). @example pixelAccuracyScore(t, p, [n, h, w]); */
export function pixelAccuracyScore(truth: ArrayLike<number>, pred: ArrayLike<number>, shape: readonly number[], opts: SegmentationOptions = {}): number {
  return segmentationMetrics(truth, pred, shape, opts).pixelAccuracy;
}
