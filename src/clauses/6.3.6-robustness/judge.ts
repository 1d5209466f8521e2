/** The corruption errors of 6.3.6 and the judging of its 5.2.6 claims. */
import type { Claim } from '../../case/types.js';
import { bootstrapReplicates, percentileInterval } from '../../metrics/ci.js';
import type { ClaimCheck, ConfidenceInterval } from '../../results/types.js';
import { judgeClaim, type EvidenceInput } from '../judge.js';
import { pooledRatio, type SampleStats } from '../common/task-score.js';
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

/**
 * Intervals of the mean (and relative) corruption error: a seeded percentile bootstrap over the test
 * images, one resample shared by the clean set and every (corruption, severity) cell (the cells score the
 * same images, so the resample keeps them paired), each cell's metric pooled over the resampled images.
 * @param cells per-sample statistics of each cell, in the order of `rows`
 * @param clean per-sample statistics of the clean test set
 * @example
 * corruptionErrorIntervals(rows, cells, clean, undefined, { seed: 42 }).meanCorruptionError; // { low, high, … }
 */
export function corruptionErrorIntervals(
  rows: SeverityRow[],
  cells: SampleStats[],
  clean: SampleStats,
  reference: Record<string, number[]> | undefined,
  opts: { seed?: number; iterations?: number; level?: number } = {},
): Record<'meanCorruptionError' | 'relativeCorruptionError', ConfidenceInterval> {
  const level = opts.level ?? 0.95;
  const mean = (es: CorruptionErrorRow[], k: 'corruptionError' | 'relativeCorruptionError') =>
    es.length ? es.reduce((a, e) => a + e[k], 0) / es.length : NaN;
  const errorsOf = (idx: Int32Array) =>
    corruptionErrors(
      rows.map((r, i) => ({ ...r, value: pooledRatio(cells[i]!, idx) })),
      pooledRatio(clean, idx),
      reference,
    );
  const n = clean.num.length;
  const [m, r] = bootstrapReplicates(
    [(idx) => mean(errorsOf(idx), 'corruptionError'), (idx) => mean(errorsOf(idx), 'relativeCorruptionError')],
    n,
    { seed: opts.seed ?? 0, iterations: opts.iterations ?? 300, level },
  );
  return { meanCorruptionError: percentileInterval(m!, level), relativeCorruptionError: percentileInterval(r!, level) };
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
      values[claim.metric] === undefined
        ? { zh: '未测量：用例没有该数据集', en: 'not measured: the case has no such data set' }
        : undefined,
      evidence(claim.metric),
    );
  if (claim.metric !== taskMetric)
    return judgeClaim(claim, undefined, {
      zh: `6.3.6 对该任务不测量指标 "${claim.metric}"（任务指标：${taskMetric}）`,
      en: `metric "${claim.metric}" is not measured by 6.3.6 for this task (task metric: ${taskMetric})`,
    });
  const cond = claim.conditions ?? {};
  const upTo = typeof cond.severity === 'number' ? cond.severity : 5;
  const rs = rows.filter((r) => (cond.corruption === undefined || r.corruption === cond.corruption) && r.severity <= upTo);
  if (!rs.length) {
    const ran = [...new Set(rows.map((r) => r.corruption))].join(', ') || 'none';
    const c = JSON.stringify(cond);
    return judgeClaim(claim, undefined, { zh: `没有与 ${c} 匹配的运行（已运行的腐蚀：${ran}）`, en: `no run matches ${c} (corruptions run: ${ran})` });
  }
  const worst = rs.reduce((w, r) => (r.value < w.value ? r : w));
  return judgeClaim(
    claim,
    worst.value,
    {
      zh: `严重度 ≤ ${upTo} 的 ${rs.length} 次运行中最差：${worst.corruption}，严重度 ${worst.severity}`,
      en: `worst over ${rs.length} run(s) up to severity ${upTo}: ${worst.corruption} severity ${worst.severity}`,
    },
    { n: rowEvidence.n, ci: { low: worst.low, high: worst.high, method: rowEvidence.method, level: rowEvidence.level } },
  );
}
