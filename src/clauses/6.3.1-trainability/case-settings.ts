/** Claims of 6.3.1 stated "with the settings of case.json", judged only on a run under those settings. */
import type { Claim } from '../../case/types.js';
import type { ClaimCheck } from '../../results/types.js';

/** What {@link providerStatus} reads of the provider command's run. */
export interface ProviderOutcome {
  skipped?: string;
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
  if (!provider) return 'the provider command was not run (the case names none, or the run did not ask for it)';
  if (provider.skipped) return `the provider command was ${provider.skipped}`;
  if (provider.exitCode !== 0 || provider.timedOut) return `the provider command did not finish (exit ${provider.exitCode})`;
  if (!provider.records.length) return 'the provider command logged no metrics';
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
export function underCaseSettings(claim: Claim, check: ClaimCheck, devs: string[], provider: string | undefined): ClaimCheck {
  if (!claimsCaseSettings(claim) || !devs.length) return check;
  return {
    ...check,
    met: null,
    note:
      `evidence budget below minimum: stated for the settings of case.json, but the built-in trainer ran a reduced set ` +
      `(${devs.join('; ')})${provider ? ` and ${provider}` : ''}, raise with -p trainable=case, the case's epochs and all ` +
      `samples (or --profile full)${provider ? ', or run the provider command with --allow-provider-commands' : ''}, to judge it`,
  };
}
