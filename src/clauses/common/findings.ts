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
