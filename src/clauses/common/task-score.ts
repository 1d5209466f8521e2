import type { Prediction } from '../../case/predict.js';
import type { LoadedCase } from '../../case/types.js';
import type { Dataset } from '../../data/types.js';
import { EvaluationError } from '../../util/errors.js';
import { accuracyScore } from '../../metrics/classification.js';
import { segmentationMetrics } from '../../metrics/segmentation.js';
import { bootstrapCI, wilsonInterval } from '../../metrics/ci.js';
import type { ConfidenceInterval } from '../../results/types.js';

/** The headline task metric of a case on a data set. */
export interface TaskScore {
  /** `dice` (segmentation, pooled over all pixels) or `accuracy` (classification). */
  metric: 'dice' | 'accuracy';
  value: number;
}

/**
 * Scores predictions with the case's headline A.10 metric: pooled Dice for segmentation (A.6),
 * accuracy for classification (A.1).
 * @throws EvaluationError when the data set has no ground truth for the task
 * @example
 * taskScore(c, testSet, await model.predict(testSet.x, testSet.shape)); // { metric: 'dice', value: 0.93 }
 */
export function taskScore(c: LoadedCase, ds: Dataset, pred: Prediction): TaskScore {
  requireTruth(c, ds, pred);
  if (c.spec.task === 'segmentation') {
    const shape = ds.maskShape ?? [ds.ids.length, ...ds.shape.slice(-2)];
    return { metric: 'dice', value: segmentationMetrics(ds.masks!, pred.masks!, shape).dice };
  }
  return { metric: 'accuracy', value: accuracyScore(ds.y!, pred.labels!) };
}

/** @throws EvaluationError when the data set or the prediction lacks what the task is scored on */
function requireTruth(c: LoadedCase, ds: Dataset, pred: Prediction): void {
  if (c.spec.task === 'segmentation') {
    if (!ds.masks || !pred.masks)
      throw new EvaluationError(`data set "${ds.role}" has no masks to score against`, { file: c.file, field: `/datasets/${ds.role}` });
  } else if (!ds.y || !pred.labels) {
    throw new EvaluationError(`data set "${ds.role}" has no labels to score against`, { file: c.file, field: `/datasets/${ds.role}` });
  }
}

/** A task score with its confidence interval and per-sample statistics. */
export interface TaskScoreCi extends TaskScore {
  ci: ConfidenceInterval;
  n: number;
}

/** Per-sample sufficient statistics of the task metric: the metric is Σnum / Σden over any subset. */
export interface SampleStats {
  metric: 'dice' | 'accuracy';
  /** accuracy: 1 when correct; pooled Dice: 2·|T∩P| of the image. */
  num: Float64Array;
  /** accuracy: 1; pooled Dice: |T| + |P| of the image. */
  den: Float64Array;
}

/**
 * Per-sample statistics whose pooled ratio is the task metric (accuracy, or Dice pooled over the
 * images' pixels), so that subsets (bootstrap resamples, subgroups) are scored without revisiting pixels.
 * @example
 * pooledRatio(sampleStats(c, ds, pred), [0, 1, 2]); // the metric on the first three samples
 */
export function sampleStats(c: LoadedCase, ds: Dataset, pred: Prediction): SampleStats {
  requireTruth(c, ds, pred);
  const n = ds.ids.length;
  const num = new Float64Array(n);
  const den = new Float64Array(n);
  if (c.spec.task === 'segmentation') {
    const px = ds.masks!.length / n;
    for (let k = 0; k < n; k++) {
      let a = 0;
      let b = 0;
      for (let i = k * px, e = i + px; i < e; i++) {
        const t = ds.masks![i]! ? 1 : 0;
        const p = pred.masks![i]! ? 1 : 0;
        a += t & p;
        b += t + p;
      }
      num[k] = 2 * a;
      den[k] = b;
    }
    return { metric: 'dice', num, den };
  }
  for (let k = 0; k < n; k++) {
    num[k] = ds.y![k] === pred.labels![k] ? 1 : 0;
    den[k] = 1;
  }
  return { metric: 'accuracy', num, den };
}

/** Σnum / Σden over the given sample indices (1 when both masks are empty everywhere). */
export function pooledRatio(s: SampleStats, idx: ArrayLike<number>): number {
  let a = 0;
  let b = 0;
  for (let i = 0; i < idx.length; i++) {
    a += s.num[idx[i]!]!;
    b += s.den[idx[i]!]!;
  }
  return b === 0 ? 1 : a / b;
}

/**
 * The headline task metric with a confidence interval: accuracy with Wilson's interval; pooled Dice
 * with a seeded percentile bootstrap over images (resampling whole images keeps pixels of one image
 * together).
 * @param opts seed, bootstrap iterations (default 500) and level (default 0.95)
 */
export function taskScoreCi(
  c: LoadedCase,
  ds: Dataset,
  pred: Prediction,
  opts: { seed?: number; iterations?: number; level?: number } = {},
): TaskScoreCi {
  const level = opts.level ?? 0.95;
  const n = ds.ids.length;
  const s = taskScore(c, ds, pred);
  const st = sampleStats(c, ds, pred);
  const ci =
    st.metric === 'dice'
      ? bootstrapCI((idx) => pooledRatio(st, idx), n, { seed: opts.seed ?? 0, iterations: opts.iterations ?? 500, level })
      : wilsonInterval(
          st.num.reduce((a, b) => a + b, 0),
          n,
          level,
        );
  return { ...s, ci, n };
}
