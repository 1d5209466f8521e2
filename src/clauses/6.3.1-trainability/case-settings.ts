/** Claims of 6.3.1 stated "with the settings of case.json", judged only on a run under those settings. */
import type { Claim } from '../../case/types.js';
import type { Bilingual, ClaimCheck } from '../../results/types.js';
import { joined } from '../common/training.js';
import { withNote } from '../judge.js';

/** What {@link providerStatus} reads of the provider command's run. */
export interface ProviderOutcome {
  skipped?: string;
  /** `skipped` in Chinese. */
  skippedZh?: string;
  exitCode: number | null;
  timedOut?: boolean;
  records: unknown[];
}

/** True when a claim is stated for the settings of case.json (`conditions.settings: "case"`, or its English statement says so). */
export function claimsCaseSettings(claim: Claim): boolean {
  return claim.conditions?.['settings'] === 'case' || /with the settings of case\.json/i.test(claim.statement?.en ?? '');
}

/** What happened to the provider's training command, in words (`undefined` when it ran and logged metrics). */
export function providerStatus(provider: ProviderOutcome | undefined): string | undefined {
  return providerStatusText(provider)?.en;
}

/** {@link providerStatus} in both languages. */
export function providerStatusText(provider: ProviderOutcome | undefined): Bilingual | undefined {
  if (!provider)
    return {
      zh: '提供方训练命令未运行（用例未指定，或本次运行未要求运行）',
      en: 'the provider command was not run (the case names none, or the run did not ask for it)',
    };
  if (provider.skipped)
    return { zh: `提供方训练命令${provider.skippedZh ?? provider.skipped}`, en: `the provider command was ${provider.skipped}` };
  if (provider.exitCode !== 0 || provider.timedOut)
    return {
      zh: `提供方训练命令未正常结束（退出码 ${provider.exitCode}）`,
      en: `the provider command did not finish (exit ${provider.exitCode})`,
    };
  if (!provider.records.length) return { zh: '提供方训练命令未记录任何指标', en: 'the provider command logged no metrics' };
  return undefined;
}

/**
 * A claim stated "with the settings of case.json" is judged only on evidence under those settings:
 * when the built-in trainer ran a reduced set (fewer layers, samples or epochs than case.json) the claim
 * is not judged (`met: null`, inconclusive) with the deviations and the provider command's status — a
 * reduced run neither confirms nor refutes a claim about the full settings.
 * @param claim the claim
 * @param check its check under the built-in trainer
 * @param devs deviations of the built-in run from case.json ({@link deviations})
 * @param provider the provider command's status, `undefined` when it ran
 * @example
 * underCaseSettings(k, { ...check, met: true }, ['48 of 280 training samples'], 'the provider command was not run').met; // null
 */
export function underCaseSettings(
  claim: Claim,
  check: ClaimCheck,
  devs: (string | Bilingual)[],
  provider: string | Bilingual | undefined,
): ClaimCheck {
  if (!claimsCaseSettings(claim) || !devs.length) return check;
  const d = joined(devs);
  const p = provider === undefined ? undefined : typeof provider === 'string' ? { zh: provider, en: provider } : provider;
  const { note: _n, noteZh: _z, ...rest } = check;
  return withNote(
    { ...rest, met: null },
    {
      zh:
        `证据量低于最低要求：该声称针对 case.json 的设置，但内置训练器只运行了缩减的设置（${d.zh}）${p ? `，且${p.zh}` : ''}；` +
        `请用 -p trainable=case、用例的训练轮数和全部样本（或 --profile full）` +
        `${p ? '，或以 --allow-provider-commands 运行提供方训练命令' : ''}进行判定`,
      en:
        `evidence budget below minimum: stated for the settings of case.json, but the built-in trainer ran a reduced set ` +
        `(${d.en})${p ? ` and ${p.en}` : ''}, raise with -p trainable=case, the case's epochs and all ` +
        `samples (or --profile full)${p ? ', or run the provider command with --allow-provider-commands' : ''}, to judge it`,
    },
  );
}
