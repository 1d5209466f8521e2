/** 6.3.3's scoring of a model on the downstream test set and the rule for a baseline that learned nothing. */
import { openCaseModel } from '../../case/predict.js';
import type { LoadedCase } from '../../case/types.js';
import type { Dataset } from '../../data/types.js';
import { classificationReport } from '../../metrics/classification-report.js';
import { segmentationMetrics } from '../../metrics/segmentation.js';
import type { EpChoice } from '../../model/types.js';
import type { Bilingual, ClaimCheck, ConfidenceInterval } from '../../results/types.js';
import type { EvidenceInput } from '../judge.js';
import { taskScoreCi } from '../common/task-score.js';

/** Headline metric at or below which a trained baseline counts as collapsed (learned nothing). */
export const COLLAPSE_LEVEL = 0.05;

/**
 * A transferGain claim is not judged (`met: null`) when the from-scratch baseline collapsed or did not
 * converge: a gain over a baseline that learned nothing is no evidence of transfer.
 * @example
 * baselineCheck('transferGain', 'collapsed', { …, met: true }).met; // null
 */
export function baselineCheck(metric: string, weakness: string | Bilingual | undefined, check: ClaimCheck): ClaimCheck {
  if (metric !== 'transferGain' || !weakness || check.met === null) return check;
  const weak = typeof weakness === 'string' ? { zh: weakness, en: weakness } : weakness;
  return {
    ...check,
    met: null,
    note: `the from-scratch baseline ${weak.en}: the gain over it is no evidence of transfer; train longer (-p epochs=…) to judge it`,
    noteZh: `从头训练基线${weak.zh}：相对它的增益不能证明可迁移性；请延长训练（-p epochs=…）后判定`,
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
  level = 0.95,
) {
  const cm = await openCaseModel(c, { ep, modelPath });
  try {
    const pred = await cm.predict(ds.x, ds.shape);
    const h = taskScoreCi(c, ds, pred, { seed, iterations, level });
    const metrics: Record<string, number> = {};
    const cis: Record<string, ConfidenceInterval> = { [h.metric]: h.ci };
    let emptyImages: number | undefined;
    if (c.spec.task === 'segmentation') {
      // every figure with its own percentile bootstrap over the images (the same seed and level)
      const maskShape = ds.maskShape ?? [ds.ids.length, ...ds.shape.slice(-2)];
      const r = segmentationMetrics(ds.masks!, pred.masks!, maskShape, { ci: { seed, iterations, level } });
      Object.assign(metrics, { dice: r.dice, iou: r.iou, pixelAccuracy: r.pixelAccuracy });
      for (const k of ['iou', 'pixelAccuracy']) if (r.ci?.[k]) cis[k] = r.ci[k];
      emptyImages = r.emptyCount;
    } else {
      const r = classificationReport(ds.y!, pred.labels!, { ci: { seed, iterations, level } });
      Object.assign(metrics, { accuracy: r.accuracy, precision: r.precision, recall: r.recall, f1: r.f1, specificity: r.specificity });
      Object.assign(cis, r.ci, { accuracy: h.ci });
    }
    return {
      emptyImages,
      scores: { model, headline: { metric: h.metric, value: h.value, ci: h.ci }, metrics, cis } as TransferScores,
      logits: pred.logits ?? pred.probs,
      info: cm.session.providerInfo(),
    };
  } finally {
    await cm.release();
  }
}

/**
 * The interval of a difference of two headline scores on the same test set: half-widths added in
 * quadrature (the two scores are positively correlated, so this is wider than a paired interval: conservative).
 */
export function diffCi(a: TransferScores, b: TransferScores): ConfidenceInterval {
  const d = a.headline.value - b.headline.value;
  const lo = Math.hypot(a.headline.value - a.headline.ci.low, b.headline.ci.high - b.headline.value);
  const hi = Math.hypot(a.headline.ci.high - a.headline.value, b.headline.value - b.headline.ci.low);
  return { low: d - lo, high: d + hi, method: `difference of ${a.headline.ci.method} intervals`, level: a.headline.ci.level };
}

/**
 * The evidence of a 6.3.3 claim metric on a model's scores: `transferGain` (against the from-scratch
 * scores) and `improvement` (against the pre-trained ones) by {@link diffCi}; a task metric by its own
 * interval; a figure without one is not decided on its point estimate (rule `none`).
 */
export function transferEvidence(
  name: string,
  s: TransferScores,
  ctx: { n: number; fineTuned: TransferScores; pre: TransferScores; scratch?: TransferScores },
): EvidenceInput {
  if (name === 'transferGain') return ctx.scratch ? { n: ctx.n, ci: diffCi(ctx.fineTuned, ctx.scratch) } : { rule: 'none' };
  if (name === 'improvement') return { n: ctx.n, ci: diffCi(ctx.fineTuned, ctx.pre) };
  return s.cis[name] ? { n: ctx.n, ci: s.cis[name] } : { n: ctx.n, rule: 'none' };
}
