/** The corruption errors of 6.3.6 and the judging of its 5.2.6 claims. */
import type { Claim } from '../../case/types.js';
import type { ClaimCheck } from '../../results/types.js';
import { judgeClaim, type EvidenceInput } from '../judge.js';
import type { CorruptionErrorRow, SeverityRow } from './types.js';

/** Corruption error (CE) and relative CE per corruption; normalised when reference errors are given. */
export function corruptionErrors(rows: SeverityRow[], cleanValue: number, reference?: Record<string, number[]>): CorruptionErrorRow[] {
  const names = [...new Set(rows.map((r) => r.corruption))];
  return names.map((name) => {
    const rs = rows.filter((r) => r.corruption === name);
    const err = rs.reduce((a, r) => a + (1 - r.value), 0);
    const rel = rs.reduce((a, r) => a + (cleanValue - r.value), 0);
    const ref = reference?.[name];
    const refSum = ref ? rs.reduce((a, r) => a + (ref[r.severity - 1] ?? NaN), 0) : NaN;
    if (ref && Number.isFinite(refSum) && refSum > 0)
      return { corruption: name, corruptionError: err / refSum, relativeCorruptionError: rel / refSum, normalised: true };
    return { corruption: name, corruptionError: err / rs.length, relativeCorruptionError: rel / rs.length, normalised: false };
  });
}

/** Judges a 5.2.6 claim. A task-metric claim holds at every run severity up to its `severity`. */
export function judgeRobustness(
  claim: Claim,
  rows: SeverityRow[],
  taskMetric: string,
  values: Record<string, number | undefined>,
  evidence: (metric: string) => EvidenceInput = () => ({}),
  rowEvidence: { n: number | null; method: string; level: number } = { n: null, method: 'bootstrap-percentile', level: 0.95 },
): ClaimCheck {
  if (claim.metric in values)
    return judgeClaim(
      claim,
      values[claim.metric],
      values[claim.metric] === undefined ? 'not measured: the case has no such data set' : undefined,
      evidence(claim.metric),
    );
  if (claim.metric !== taskMetric)
    return judgeClaim(claim, undefined, `metric "${claim.metric}" is not measured by 6.3.6 for this task (task metric: ${taskMetric})`);
  const cond = claim.conditions ?? {};
  const upTo = typeof cond.severity === 'number' ? cond.severity : 5;
  const rs = rows.filter((r) => (cond.corruption === undefined || r.corruption === cond.corruption) && r.severity <= upTo);
  if (!rs.length) return judgeClaim(claim, undefined, `no run matches ${JSON.stringify(cond)}`);
  const worst = rs.reduce((w, r) => (r.value < w.value ? r : w));
  return judgeClaim(
    claim,
    worst.value,
    `worst over ${rs.length} run(s) up to severity ${upTo}: ${worst.corruption} severity ${worst.severity}`,
    { n: rowEvidence.n, ci: { low: worst.low, high: worst.high, method: rowEvidence.method, level: rowEvidence.level } },
  );
}
