/** 6.3.3's scoring of a model on the downstream test set and the rule for a baseline that learned nothing. */
import { openCaseModel } from '../../case/predict.js';
import type { LoadedCase } from '../../case/types.js';
import type { Dataset } from '../../data/types.js';
import { classificationReport } from '../../metrics/classification-report.js';
import { segmentationMetrics } from '../../metrics/segmentation.js';
import type { EpChoice } from '../../model/types.js';
import type { ClaimCheck, ConfidenceInterval } from '../../results/types.js';
import { taskScoreCi } from '../common/task-score.js';

/** Headline metric at or below which a trained baseline counts as collapsed (learned nothing). */
export const COLLAPSE_LEVEL = 0.05;

/**
 * A transferGain claim is not judged (`met: null`) when the from-scratch baseline collapsed or did not
 * converge: a gain over a baseline that learned nothing is no evidence of transfer.
 * @example
 * baselineCheck('transferGain', 'collapsed', { …, met: true }).met; // null
 */
export function baselineCheck(metric: string, weak: string | undefined, check: ClaimCheck): ClaimCheck {
  if (metric !== 'transferGain' || !weak || check.met === null) return check;
  return {
    ...check,
    met: null,
    note: `the from-scratch baseline ${weak}: the gain over it is no evidence of transfer; train longer (-p epochs=…) to judge it`,
  };
}

/** Scores of one model on the downstream test set. */
export interface TransferScores {
  model: 'pretrained' | 'fine-tuned' | 'scratch';
  headline: { metric: string; value: number; ci: ConfidenceInterval };
  metrics: Record<string, number>;
  cis: Record<string, ConfidenceInterval>;
}

/** A model's A.10 scores on the downstream test set, with intervals; also its raw outputs and provider. */
export async function score(
  c: LoadedCase,
  ds: Dataset,
  model: TransferScores['model'],
  ep: EpChoice,
  seed: number,
  iterations: number,
  modelPath?: string,
) {
  const cm = await openCaseModel(c, { ep, modelPath });
  try {
    const pred = await cm.predict(ds.x, ds.shape);
    const h = taskScoreCi(c, ds, pred, { seed, iterations });
    const metrics: Record<string, number> = {};
    const cis: Record<string, ConfidenceInterval> = { [h.metric]: h.ci };
    if (c.spec.task === 'segmentation') {
      const r = segmentationMetrics(ds.masks!, pred.masks!, ds.maskShape ?? [ds.ids.length, ...ds.shape.slice(-2)]);
      Object.assign(metrics, { dice: r.dice, iou: r.iou, pixelAccuracy: r.pixelAccuracy });
    } else {
      const r = classificationReport(ds.y!, pred.labels!, { ci: { seed, iterations } });
      Object.assign(metrics, { accuracy: r.accuracy, precision: r.precision, recall: r.recall, f1: r.f1, specificity: r.specificity });
      Object.assign(cis, r.ci, { accuracy: h.ci });
    }
    return {
      scores: { model, headline: { metric: h.metric, value: h.value, ci: h.ci }, metrics, cis } as TransferScores,
      logits: pred.logits ?? pred.probs,
      info: cm.session.providerInfo(),
    };
  } finally {
    await cm.release();
  }
}
