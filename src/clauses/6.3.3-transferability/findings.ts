/**
 * 6.3.3's findings, whatever the claims say: a downstream claim already met before fine-tuning, fine-tuning
 * worse than training from scratch, a fine-tune curve that collapses, a fine-tune far shorter than the
 * case's settings, and a metric undefined on some downstream test images.
 */
import type { Claim } from '../../case/types.js';
import type { ConfidenceInterval, Finding } from '../../results/types.js';
import type { TrainingHistory } from '../../training/trainer.js';
import { analyzeConvergence } from '../../training/convergence.js';
import { curveCollapseFinding, shortTrainingFinding, undefinedMetricFinding } from '../common/findings.js';
import { judgeClaim, type EvidenceInput } from '../judge.js';
import type { TransferScores } from './scores.js';

/** What {@link transferFindings} reads of a 6.3.3 run. */
export interface TransferRun {
  claims: Claim[];
  pre: TransferScores;
  fineTuned: TransferScores;
  /** The from-scratch scores, when the baseline ran. */
  scratch?: TransferScores;
  fineTune: TrainingHistory;
  /** The evidence of a metric of a model (intervals at the case's level). */
  evidenceFor: (metric: string, s: TransferScores) => EvidenceInput;
  /** The interval of the transfer gain (fine-tuned − scratch). */
  gainCi?: ConfidenceInterval;
  epochsDeclared: number;
  samples: number;
  samplesAvailable: number;
  /** Downstream test images whose truth and fine-tuned prediction are both empty (segmentation). */
  emptyImages?: number;
  testSamples: number;
}

/**
 * The findings of a 6.3.3 run (item 5.2.3).
 * @example
 * transferFindings(run).map((f) => f.id); // ['met-before-fine-tuning:transfer-dice', 'curve-collapse']
 */
export function transferFindings(r: TransferRun): Finding[] {
  const findings: Finding[] = [];
  const pre = r.pre;
  for (const k of r.claims) {
    if (k.metric === 'transferGain' || k.metric === 'improvement') continue;
    const before = judgeClaim(k, pre.metrics[k.metric], undefined, r.evidenceFor(k.metric, pre));
    if (before.met === true)
      findings.push({
        id: `met-before-fine-tuning:${k.id}`,
        severity: 'major',
        item: '5.2.3',
        text: {
          zh: `声称 ${k.id}（${k.metric} ${k.comparator} ${k.value}）在微调前已满足（预训练模型 ${pre.metrics[k.metric]!.toFixed(3)}）：该声称不能证明微调的作用`,
          en:
            `claim ${k.id} (${k.metric} ${k.comparator} ${k.value}) is already met before fine-tuning (pre-trained ` +
            `${pre.metrics[k.metric]!.toFixed(3)}): it does not show what fine-tuning adds`,
        },
        measured: { claim: k.id, pretrained: pre.metrics[k.metric], ci: before.evidence?.ci ?? null },
      });
  }
  const metric = r.fineTuned.headline.metric;
  const gain = r.scratch ? r.fineTuned.headline.value - r.scratch.headline.value : undefined;
  if (r.scratch && r.gainCi && gain !== undefined && gain < 0) {
    const ci = r.gainCi;
    findings.push({
      id: 'fine-tune-worse-than-scratch',
      severity: ci.high < 0 ? 'major' : 'minor',
      item: '5.2.3',
      text: {
        zh: `微调后的 ${metric} 低于同预算从头训练（迁移增益 ${gain.toFixed(3)}，区间 [${ci.low.toFixed(3)}, ${ci.high.toFixed(3)}]）`,
        en:
          `fine-tuned ${metric} is below training from scratch with the same budget (transfer gain ` +
          `${gain.toFixed(3)}, interval [${ci.low.toFixed(3)}, ${ci.high.toFixed(3)}])`,
      },
      measured: { transferGain: gain, ci },
    });
  }
  const conv = analyzeConvergence(r.fineTune.steps.map((x) => x.loss));
  const collapse = curveCollapseFinding('5.2.3', {
    run: 'fine-tune',
    diverged: conv.diverged || r.fineTune.stoppedNonFinite,
    status: conv.status,
    metric: r.fineTune.metricName,
    values: r.fineTune.epochs.map((e) => e.valMetric),
  });
  if (collapse) findings.push(collapse);
  const short = shortTrainingFinding('5.2.3', {
    epochsDeclared: r.epochsDeclared,
    epochsRun: r.fineTune.epochs.length,
    samples: r.samples,
    samplesAvailable: r.samplesAvailable,
  });
  if (short) findings.push(short);
  const undef = undefinedMetricFinding(
    '5.2.3',
    { metric: 'Dice', undefinedOn: r.emptyImages ?? 0, of: r.testSamples, unit: 'images', why: 'empty-masks' },
    { zh: '下游测试集', en: 'downstream test set' },
  );
  if (undef) findings.push(undef);
  const oneClass = Object.entries(r.fineTuned.metrics).filter(([, v]) => !Number.isFinite(v));
  if (oneClass.length && !r.emptyImages)
    findings.push(
      undefinedMetricFinding(
        '5.2.3',
        { metric: oneClass.map(([k]) => k).join(', '), undefinedOn: 1, of: 1, unit: 'groups', why: 'one-class' },
        { zh: '下游测试集', en: 'downstream test set' },
      )!,
    );
  return findings;
}
