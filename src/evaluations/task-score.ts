import type { Prediction } from '../case/predict.js';
import type { LoadedCase } from '../case/types.js';
import type { Dataset } from '../data/types.js';
import { EvaluationError } from '../errors.js';
import { accuracyScore } from '../metrics/classification.js';
import { segmentationMetrics } from '../metrics/segmentation.js';
import { bootstrapCI, wilsonInterval } from '../metrics/ci.js';
import type { ConfidenceInterval } from '../results/types.js';

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
  if (c.spec.task === 'segmentation') {
    if (!ds.masks || !pred.masks) throw new EvaluationError(`data set "${ds.role}" has no masks to score against`, { file: c.file, field: `/datasets/${ds.role}` });
    const shape = [ds.ids.length, ...ds.shape.slice(-2)];
    return { metric: 'dice', value: segmentationMetrics(ds.masks, pred.masks, shape).dice };
  }
  if (!ds.y || !pred.labels) throw new EvaluationError(`data set "${ds.role}" has no labels to score against`, { file: c.file, field: `/datasets/${ds.role}` });
  return { metric: 'accuracy', value: accuracyScore(ds.y, pred.labels) };
}

/** A task score with its confidence interval and per-sample statistics. */
export interface TaskScoreCi extends TaskScore {
  ci: ConfidenceInterval;
  n: number;
}

/**
 * The headline task metric with a confidence interval: accuracy with Wilson's interval; pooled Dice
 * with a seeded percentile bootstrap over images (resampling whole images keeps pixels of one image
 * together).
 * @param opts seed, bootstrap iterations (default 500) and level (default 0.95)
 */
export function taskScoreCi(c: LoadedCase, ds: Dataset, pred: Prediction, opts: { seed?: number; iterations?: number; level?: number } = {}): TaskScoreCi {
  const level = opts.level ?? 0.95;
  const n = ds.ids.length;
  if (c.spec.task === 'segmentation') {
    const s = taskScore(c, ds, pred);
    const px = ds.masks!.length / n;
    const inter = new Float64Array(n);
    const sizes = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      let a = 0;
      let b = 0;
      for (let i = k * px, e = i + px; i < e; i++) {
        const t = ds.masks![i]! ? 1 : 0;
        const p = pred.masks![i]! ? 1 : 0;
        a += t & p;
        b += t + p;
      }
      inter[k] = a;
      sizes[k] = b;
    }
    const ci = bootstrapCI((idx) => {
      let a = 0;
      let b = 0;
      for (const i of idx) (a += inter[i]!), (b += sizes[i]!);
      return b === 0 ? 1 : (2 * a) / b;
    }, n, { seed: opts.seed ?? 0, iterations: opts.iterations ?? 500, level });
    return { ...s, ci, n };
  }
  const s = taskScore(c, ds, pred);
  let correct = 0;
  for (let i = 0; i < n; i++) if (ds.y![i] === pred.labels![i]) correct++;
  return { ...s, ci: wilsonInterval(correct, n, level), n };
}
