/**
 * 6.3.6 evidence and findings: intervals of the OOD-detection figures and acceptance rates (seeded
 * percentile bootstrap over the in-distribution and the OOD confidences, resampled independently;
 * Wilson for acceptance rates), the findings an assessor flags whatever the claims say (invalid samples
 * accepted with high confidence, OOD not separable, Dice undefined on some samples) and the clause's
 * evidence minimum (samples per severity).
 */
import { percentileInterval, wilsonInterval } from '../../metrics/ci.js';
import { Rng } from '../../util/random.js';
import type { ConfidenceInterval, Finding } from '../../results/types.js';
import type { Shortfall } from '../clause.js';
import type { EvidenceInput } from '../judge.js';
import { oodDetection } from './ood.js';

/** The fewest test samples per (corruption, severity) cell under which 6.3.6 judges task-metric claims. */
export const ROBUSTNESS_MINIMUM = { samplesPerSeverity: 30 } as const;

/** An acceptance rate above which invalid samples count as "accepted with high confidence". */
const INVALID_ACCEPT_MAJOR = 0.5;
/** OOD AUROC at or below which in- and out-of-distribution are not separable. */
const OOD_INSEPARABLE = 0.6;

/**
 * Intervals of AUROC, AUPR and FPR at 95 % TPR: the in-distribution and OOD confidences resampled
 * independently (500 resamples, seeded).
 * @example
 * oodIntervals(inConf, oodConf, 42).oodAuroc; // { low, high, method: 'bootstrap-percentile', level: 0.95 }
 */
export function oodIntervals(inConf: Float64Array, outConf: Float64Array, seed: number, level = 0.95): Record<string, ConfidenceInterval> {
  const iterations = 500;
  const rIn = new Rng(seed);
  const rOut = new Rng(seed + 1);
  const a = new Float64Array(iterations);
  const b = new Float64Array(iterations);
  const f = new Float64Array(iterations);
  const xi = new Float64Array(inConf.length);
  const xo = new Float64Array(outConf.length);
  for (let r = 0; r < iterations; r++) {
    for (let i = 0; i < xi.length; i++) xi[i] = inConf[rIn.int(xi.length)]!;
    for (let i = 0; i < xo.length; i++) xo[i] = outConf[rOut.int(xo.length)]!;
    const d = oodDetection(xi, xo);
    a[r] = d.auroc;
    b[r] = d.aupr;
    f[r] = d.fprAt95Tpr;
  }
  return { oodAuroc: percentileInterval(a, level), oodAupr: percentileInterval(b, level), fprAt95Tpr: percentileInterval(f, level) };
}

/** The evidence of a 6.3.6 figure claim (`oodAuroc`, acceptance rates …). */
export function robustnessEvidence(
  metric: string,
  ctx: { inConf: Float64Array; extra: Record<string, Float64Array>; threshold: number; seed: number; level: number },
  cache: { ood?: Record<string, ConfidenceInterval> } = {},
): EvidenceInput {
  const accepted = (conf: Float64Array) => conf.reduce((k, v) => k + (v >= ctx.threshold ? 1 : 0), 0);
  if (metric === 'oodAcceptRate' || metric === 'invalidAcceptRate') {
    const conf = ctx.extra[metric === 'oodAcceptRate' ? 'ood' : 'invalid'];
    return conf?.length ? { n: conf.length, ci: wilsonInterval(accepted(conf), conf.length, ctx.level) } : { rule: 'none' };
  }
  if (metric === 'oodAuroc' || metric === 'oodAupr' || metric === 'fprAt95Tpr') {
    const out = ctx.extra.ood;
    if (!out?.length || !ctx.inConf.length) return { rule: 'none' };
    cache.ood ??= oodIntervals(ctx.inConf, out, ctx.seed, ctx.level);
    return { n: ctx.inConf.length + out.length, ci: cache.ood[metric]! };
  }
  // corruption-error means without their bootstrap interval (no corruption run): not decided on a point estimate
  return { rule: 'none' };
}

/**
 * The findings of 6.3.6 (item 5.2.6.i unless said): invalid samples accepted with confidence ≥ the
 * threshold at a rate above 50 % (major); OOD AUROC ≤ 0.6 (major: confidence does not separate OOD
 * from test data); test images whose Dice is undefined because truth and prediction are both empty (info, 5.2.6.h).
 */
export function robustnessFindings(m: {
  invalidAcceptRate?: number;
  invalidN?: number;
  oodAuroc?: number;
  oodN?: number;
  threshold: number;
  emptyImages?: number;
  samples: number;
}): Finding[] {
  const out: Finding[] = [];
  if (m.invalidAcceptRate !== undefined && m.invalidAcceptRate > INVALID_ACCEPT_MAJOR) {
    const pct = (m.invalidAcceptRate * 100).toFixed(1);
    out.push({
      id: 'invalid-accepted',
      severity: 'major',
      item: '5.2.6.i',
      text: {
        zh: `${pct} % 的不合格样本（共 ${m.invalidN} 个）以置信度 ≥ ${m.threshold} 被接受：模型未拒绝不合格输入`,
        en:
          `${pct} % of ${m.invalidN} invalid samples are accepted with confidence ≥ ${m.threshold}: the model ` +
          `does not reject invalid input`,
      },
      measured: { invalidAcceptRate: m.invalidAcceptRate, samples: m.invalidN, threshold: m.threshold },
    });
  }
  if (m.oodAuroc !== undefined && m.oodAuroc <= OOD_INSEPARABLE)
    out.push({
      id: 'ood-inseparable',
      severity: 'major',
      item: '5.2.6.i',
      text: {
        zh: `分布外样本无法与测试样本区分（AUROC ${m.oodAuroc.toFixed(3)} ≤ ${OOD_INSEPARABLE}，共 ${m.oodN} 个分布外样本）`,
        en:
          `out-of-distribution samples are not separable from test samples (AUROC ${m.oodAuroc.toFixed(3)} ≤ ` +
          `${OOD_INSEPARABLE}, ${m.oodN} OOD samples)`,
      },
      measured: { oodAuroc: m.oodAuroc, samples: m.oodN },
    });
  if (m.emptyImages)
    out.push({
      id: 'metric-undefined-empty-masks',
      severity: 'info',
      item: '5.2.6.h',
      text: {
        zh: `${m.emptyImages}/${m.samples} 张测试图像的真值与预测均为空，单图 Dice 无定义（合并 Dice 不受影响）`,
        en:
          `${m.emptyImages} of ${m.samples} test images have empty truth and prediction: per-image Dice is ` +
          `undefined there (pooled Dice is not affected)`,
      },
      measured: { emptyImages: m.emptyImages, samples: m.samples },
    });
  return out;
}

/** The shortfall when fewer test samples than {@link ROBUSTNESS_MINIMUM} were used per severity. */
export function robustnessShortfalls(samples: number, claimIds: string[]): Shortfall[] {
  if (samples >= ROBUSTNESS_MINIMUM.samplesPerSeverity || !claimIds.length) return [];
  const min = ROBUSTNESS_MINIMUM.samplesPerSeverity;
  return [
    {
      id: 'budget-samples-per-severity',
      item: '5.2.6.h',
      text: {
        zh: `每个严重度仅 ${samples} 个样本，少于 ${min}；用 -p samples=${min}（或 --profile full）提高`,
        en: `${samples} samples per severity < ${min}, raise with -p samples=${min} (or --profile full)`,
      },
      measured: { samples, minimum: min },
      claims: claimIds,
    },
  ];
}
