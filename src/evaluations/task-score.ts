import type { Prediction } from '../case/predict.js';
import type { LoadedCase } from '../case/types.js';
import type { Dataset } from '../data/types.js';
import { EvaluationError } from '../errors.js';
import { accuracyScore } from '../metrics/classification.js';
import { segmentationMetrics } from '../metrics/segmentation.js';

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
