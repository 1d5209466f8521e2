/**
 * Findings shared by clauses: training runs shorter than the case's settings (6.3.1, 6.3.3) and a
 * provider training command that was not run (6.3.1).
 */
import type { Finding } from '../../results/types.js';

/**
 * A major finding when the built-in trainer ran far shorter than the case's settings: fewer than half
 * the declared epochs, or fewer than half the available training samples.
 * @param item the sub-item (`5.2.1`, `5.2.3`)
 * @param run epochs declared and run, samples used and available
 * @returns the finding, or `undefined` when the run was at least half the declared one
 * @example
 * shortTrainingFinding('5.2.1', { epochsDeclared: 18, epochsRun: 2, samples: 48, samplesAvailable: 280 })!.severity; // 'major'
 */
export function shortTrainingFinding(
  item: string,
  run: { epochsDeclared: number; epochsRun: number; samples: number; samplesAvailable: number },
  claims: string[] = [],
): Finding | undefined {
  const shortEpochs = run.epochsRun < run.epochsDeclared / 2;
  const shortSamples = run.samples < run.samplesAvailable / 2;
  if (!shortEpochs && !shortSamples) return undefined;
  return {
    id: 'training-shorter-than-case',
    severity: 'major',
    item,
    text: {
      zh:
        `训练远短于案例设置：${run.epochsRun}/${run.epochsDeclared} 轮，${run.samples}/${run.samplesAvailable} 个训练样本；` +
        '“按 case.json 设置训练”的声称未在该设置下验证',
      en:
        `training far shorter than the case's settings: ${run.epochsRun} of ${run.epochsDeclared} epochs, ` +
        `${run.samples} of ${run.samplesAvailable} training samples; a claim "after training with the settings of case.json" ` +
        'was not tested under those settings',
    },
    measured: run,
    ...(claims.length ? { contradicts: claims } : {}),
  };
}

/**
 * A major finding when the case declares a provider training command that did not run.
 * @param why why it did not run (`not run by default: …`)
 */
export function providerNotRunFinding(item: string, why: string): Finding {
  return {
    id: 'provider-command-not-run',
    severity: 'major',
    item,
    text: {
      zh: '案例声明的提供方训练命令未运行；可训练性仅以内置训练器评估（用 -p useProviderCommand=true 运行）',
      en:
        `the provider's training command declared by the case was not run (${why}); trainability was judged ` +
        `with the built-in trainer only`,
    },
    measured: { run: false, reason: why },
  };
}

/** A validation metric that falls below this fraction of its best epoch counts as collapsed. */
const COLLAPSE_FRACTION = 0.5;

/**
 * A major finding when a training curve collapses: the loss diverged (non-finite, exploded, sustained
 * increase; see `analyzeConvergence`), or the validation metric fell to less than half its best epoch
 * (best ≥ 0.1) by the last epoch.
 * @param item the sub-item (`5.2.1`, `5.2.3`)
 * @param run which run (`fine-tune`, `training`), its loss status and its validation metric per epoch
 * @returns the finding, or `undefined` when the curve holds
 * @example
 * curveCollapseFinding('5.2.3', { run: 'fine-tune', diverged: false, metric: 'dice', values: [0.5, 0.7, 0.2] })!.id; // 'curve-collapse'
 */
export function curveCollapseFinding(
  item: string,
  run: { run: 'fine-tune' | 'training'; diverged: boolean; status?: string; metric: string; values: (number | undefined)[] },
): Finding | undefined {
  const vals = run.values.map((v) => (v !== undefined && Number.isFinite(v) ? v : NaN));
  let best = -Infinity;
  let bestAt = -1;
  vals.forEach((v, i) => {
    if (v > best) [best, bestAt] = [v, i];
  });
  const last = vals.length ? vals[vals.length - 1]! : NaN;
  const metricCollapsed = best >= 0.1 && bestAt < vals.length - 1 && !(last >= COLLAPSE_FRACTION * best);
  if (!run.diverged && !metricCollapsed) return undefined;
  const zhRun = run.run === 'fine-tune' ? '微调' : '训练';
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '无定义');
  const fe = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'undefined');
  return {
    id: 'curve-collapse',
    severity: 'major',
    item,
    text: metricCollapsed
      ? {
          zh: `${zhRun}曲线塌缩：验证集 ${run.metric} 由第 ${bestAt + 1} 轮的最佳值 ${f(best)} 降至最后一轮的 ${f(last)}（不足最佳值的一半）`,
          en:
            `the ${run.run} curve collapses: validation ${run.metric} fell from its best ${fe(best)} (epoch ${bestAt + 1}) ` +
            `to ${fe(last)} in the last epoch (less than half the best)`,
        }
      : {
          zh: `${zhRun}曲线塌缩：训练损失发散（${run.status ?? '发散'}）`,
          en: `the ${run.run} curve collapses: the training loss diverged (${run.status ?? 'diverged'})`,
        },
    measured: { run: run.run, diverged: run.diverged, metric: run.metric, best, bestEpoch: bestAt + 1, last },
  };
}

/**
 * An info finding when a metric is undefined on some samples or groups: segmentation images whose truth
 * and prediction are both empty (per-image Dice/IoU 0/0), or classification sets with a single class
 * (recall, specificity or AUC without positives or negatives).
 * @param item the sub-item
 * @param what `{ metric, undefinedOn, of, unit }`: how many of how many samples or groups
 * @param where where in words (`downstream test set`, `subgroups`)
 * @returns the finding, or `undefined` when `undefinedOn` is 0
 */
export function undefinedMetricFinding(
  item: string,
  what: { metric: string; undefinedOn: number; of: number; unit: 'images' | 'groups'; why: 'empty-masks' | 'one-class' },
  where: { zh: string; en: string },
): Finding | undefined {
  if (!(what.undefinedOn > 0)) return undefined;
  const zhUnit = what.unit === 'images' ? '张图像' : '个组';
  const zhWhy = what.why === 'empty-masks' ? '真值与预测均为空（0/0）' : '只含一个类别';
  const enWhy = what.why === 'empty-masks' ? 'their truth and prediction are both empty, 0/0' : 'they hold a single class';
  return {
    id: `metric-undefined-${what.why}`,
    severity: 'info',
    item,
    text: {
      zh: `${where.zh}中 ${what.undefinedOn}/${what.of} ${zhUnit}${zhWhy}，其上 ${what.metric} 无定义，已从均值中排除`,
      en:
        `${what.metric} is undefined on ${what.undefinedOn} of ${what.of} ${what.unit} of the ${where.en} (${enWhy}); ` +
        'they are left out of the means',
    },
    measured: what,
  };
}
