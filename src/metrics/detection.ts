/**
 * Detection / instance metrics (A.8): COCO-style average precision — AP@[.50:.05:.95], AP50, AP75
 * and mAP over classes — as pycocotools' `COCOeval` computes them for boxes (`bbox`) or instance
 * masks (`segm`, overlap = mask IoU): per image and class,
 * detections sorted by score (top `maxDets`), greedily matched to the unmatched ground truth of
 * highest IoU ≥ t; precision made monotone and sampled at 101 recall points; classes without
 * ground truth are left out of the mean. Area ranges and crowd regions are not modelled
 * (all boxes count, `iscrowd` is not read).
 * References: Lin et al., "Microsoft COCO: Common Objects in Context", ECCV 2014;
 * pycocotools `cocoeval.py` (evaluateImg, accumulate).
 */
import { InputError } from '../util/errors.js';

/** A box `[x, y, width, height]` (COCO convention). */
export type Box = [number, number, number, number];

/** A ground-truth object. */
export interface GroundTruthBox {
  imageId: string | number;
  category: string | number;
  bbox: Box;
  /** Instance segmentation: the object's binary mask over the whole image (H×W, 0/1), used with `iouType: 'segm'`. */
  mask?: Uint8Array;
}

/** A detection with its confidence. */
export interface DetectionBox extends GroundTruthBox {
  score: number;
}

/** Options of {@link cocoAveragePrecision}. */
export interface DetectionOptions {
  /** IoU thresholds (default 0.50:0.05:0.95). */
  iouThresholds?: number[];
  /** Detections kept per image and class, highest scores first (default 100). */
  maxDets?: number;
  /** Overlap measure: box IoU (`bbox`, default) or mask IoU (`segm`, instance segmentation; every object needs `mask`). */
  iouType?: 'bbox' | 'segm';
}

/** Result of {@link cocoAveragePrecision}. */
export interface DetectionReport {
  /** Mean AP over IoU thresholds and classes (COCO "AP"). */
  map: number;
  /** AP at IoU 0.5 averaged over classes. */
  ap50: number;
  /** AP at IoU 0.75 averaged over classes (NaN when 0.75 is not a threshold). */
  ap75: number;
  /** Per class: AP averaged over thresholds, AP50, number of ground truths and detections. */
  perClass: { category: string | number; ap: number; ap50: number; groundTruths: number; detections: number }[];
  iouThresholds: number[];
}

/**
 * IoU of two `[x, y, w, h]` boxes (no +1 pixel convention, as pycocotools).
 * @example boxIou([0, 0, 2, 2], [1, 0, 2, 2]); // 1/3
 */
export function boxIou(a: Box, b: Box): number {
  const iw = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * IoU of two binary masks of the same image (0/1 values, same length).
 * @example maskIou(Uint8Array.from([1, 1, 0]), Uint8Array.from([0, 1, 1])); // 1/3
 */
export function maskIou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    inter += a[i]! & b[i]!;
    union += a[i]! | b[i]!;
  }
  return union ? inter / union : 0;
}

function checkBox(b: unknown, i: number, what: string): void {
  if (!Array.isArray(b) || b.length !== 4 || b.some((v) => !Number.isFinite(v)) || b[2] < 0 || b[3] < 0)
    throw new InputError(`${what}[${i}].bbox is not [x, y, w, h] with w, h ≥ 0`, {
      field: `${what}[${i}].bbox`,
      remedy: 'give boxes as [x, y, width, height]',
    });
}

/** 101-point interpolated AP of one class at one IoU threshold (pycocotools `accumulate`). */
function interpolatedAp(tpFlags: Uint8Array, nGt: number): number {
  const n = tpFlags.length;
  const rc = new Float64Array(n);
  const pr = new Float64Array(n);
  let tp = 0;
  for (let i = 0; i < n; i++) {
    tp += tpFlags[i]!;
    rc[i] = tp / nGt;
    pr[i] = tp / (i + 1);
  }
  for (let i = n - 1; i > 0; i--) if (pr[i]! > pr[i - 1]!) pr[i - 1] = pr[i]!;
  let sum = 0;
  let j = 0;
  for (let r = 0; r <= 100; r++) {
    const thr = r / 100;
    while (j < n && rc[j]! < thr) j++; // searchsorted(rc, thr, side='left')
    if (j < n) sum += pr[j]!;
  }
  return sum / 101;
}

/**
 * COCO-style box AP over IoU thresholds and classes.
 *
 * @param truth ground-truth boxes of every image
 * @param dets detections of every image, with scores
 * @param opts IoU thresholds (default 0.50:0.05:0.95), maxDets per image (default 100)
 * @returns mAP, AP50, AP75 and per-class values
 * @throws {InputError} malformed boxes or non-finite scores
 * @example
 * cocoAveragePrecision([{ imageId: 1, category: 'lesion', bbox: [0, 0, 10, 10] }],
 *   [{ imageId: 1, category: 'lesion', bbox: [0, 0, 10, 7], score: 0.9 }]).ap50; // 1
 */
export function cocoAveragePrecision(truth: GroundTruthBox[], dets: DetectionBox[], opts: DetectionOptions = {}): DetectionReport {
  // numpy.linspace(.5, .95, 10) exactly as pycocotools builds it (0.6000000000000001 …)
  const thresholds = opts.iouThresholds ?? Array.from({ length: 10 }, (_, i) => (i === 9 ? 0.95 : 0.5 + i * ((0.95 - 0.5) / 9)));
  const maxDets = opts.maxDets ?? 100;
  const segm = opts.iouType === 'segm';
  truth.forEach((g, i) => checkBox(g.bbox, i, 'truth'));
  if (segm)
    [...truth, ...dets].forEach((o, i) => {
      if (!(o.mask instanceof Uint8Array))
        throw new InputError(`object ${i} has no mask (iouType 'segm')`, {
          field: `objects[${i}].mask`,
          remedy: "give every object a 0/1 Uint8Array mask of its image, or use iouType 'bbox'",
        });
    });
  dets.forEach((d, i) => {
    checkBox(d.bbox, i, 'detections');
    if (!Number.isFinite(d.score))
      throw new InputError(`detections[${i}].score is not a finite number`, {
        field: `detections[${i}].score`,
        remedy: 'give every detection a confidence score',
      });
  });
  const categories = [...new Set([...truth.map((g) => g.category), ...dets.map((d) => d.category)])].sort((a, b) =>
    String(a).localeCompare(String(b), 'en', { numeric: true }),
  );
  const key = (img: string | number, cat: string | number) => `${typeof img}:${img}\u0000${typeof cat}:${cat}`;
  const gts = new Map<string, GroundTruthBox[]>();
  const dts = new Map<string, DetectionBox[]>();
  for (const g of truth)
    (gts.get(key(g.imageId, g.category)) ?? gts.set(key(g.imageId, g.category), []).get(key(g.imageId, g.category))!).push(g);
  for (const d of dets)
    (dts.get(key(d.imageId, d.category)) ?? dts.set(key(d.imageId, d.category), []).get(key(d.imageId, d.category))!).push(d);
  const images = [...new Set([...truth.map((g) => g.imageId), ...dets.map((d) => d.imageId)])];
  const T = thresholds.length;
  const perClass: DetectionReport['perClass'] = [];
  const apTable: number[][] = []; // [class][threshold]
  for (const cat of categories) {
    let nGt = 0;
    const scores: number[] = [];
    const flags: number[][] = thresholds.map(() => []);
    for (const img of images) {
      const g = gts.get(key(img, cat)) ?? [];
      const d = [...(dts.get(key(img, cat)) ?? [])]
        .map((x, i) => ({ x, i }))
        .sort((a, b) => b.x.score - a.x.score || a.i - b.i)
        .slice(0, maxDets)
        .map((o) => o.x);
      nGt += g.length;
      const ious = d.map((dd) =>
        g.map((gg) => {
          if (!segm) return boxIou(dd.bbox, gg.bbox);
          if (dd.mask!.length !== gg.mask!.length)
            throw new InputError(`masks of image ${img} differ in size`, {
              field: 'mask',
              remedy: 'give masks over the whole image, all of one size',
            });
          return maskIou(dd.mask!, gg.mask!);
        }),
      );
      thresholds.forEach((t, ti) => {
        const used = new Uint8Array(g.length);
        d.forEach((_, di) => {
          let best = Math.min(t, 1 - 1e-10);
          let m = -1;
          for (let gi = 0; gi < g.length; gi++) {
            if (used[gi]) continue;
            if (ious[di]![gi]! < best) continue;
            best = ious[di]![gi]!;
            m = gi;
          }
          if (m >= 0) used[m] = 1;
          flags[ti]!.push(m >= 0 ? 1 : 0);
        });
      });
      for (const dd of d) scores.push(dd.score);
    }
    // stable sort of all detections of the class by descending score (mergesort in pycocotools)
    const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
    const aps = thresholds.map((_, ti) =>
      nGt === 0
        ? NaN
        : interpolatedAp(
            Uint8Array.from(order, (i) => flags[ti]![i]!),
            nGt,
          ),
    );
    apTable.push(aps);
    const i50c = thresholds.findIndex((t) => Math.abs(t - 0.5) < 1e-9);
    perClass.push({
      category: cat,
      ap: nGt === 0 ? NaN : aps.reduce((a, b) => a + b, 0) / T,
      ap50: i50c >= 0 ? aps[i50c]! : NaN,
      groundTruths: nGt,
      detections: scores.length,
    });
  }
  const meanAt = (ti: number) => {
    const v = apTable.map((r) => r[ti]!).filter((x) => !Number.isNaN(x));
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
  };
  const all = apTable.flat().filter((x) => !Number.isNaN(x));
  const i50 = thresholds.findIndex((t) => Math.abs(t - 0.5) < 1e-9);
  const i75 = thresholds.findIndex((t) => Math.abs(t - 0.75) < 1e-9);
  return {
    map: all.length ? all.reduce((a, b) => a + b, 0) / all.length : NaN,
    ap50: i50 >= 0 ? meanAt(i50) : NaN,
    ap75: i75 >= 0 ? meanAt(i75) : NaN,
    perClass,
    iouThresholds: thresholds,
  };
}
