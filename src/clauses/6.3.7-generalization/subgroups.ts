/**
 * Subgroup analysis for 6.3.7 (A.12.1 a): the task metric per subgroup and per combination of
 * subgroup columns, with CIs, each group tested against the rest of the set, p-values controlled
 * for the false-discovery rate by Benjamini–Hochberg.
 * - accuracy: Wilson CI; two-proportion z-test against the rest;
 * - pooled Dice: percentile bootstrap over images (CI); the p-value of the difference group − rest
 *   from a seeded bootstrap of that difference (two-sided: 2·min(P(Δ* ≤ 0), P(Δ* ≥ 0))).
 */
import type { Prediction } from '../../case/predict.js';
import type { LoadedCase } from '../../case/types.js';
import type { Dataset } from '../../data/types.js';
import { bootstrapCI, wilsonInterval } from '../../metrics/ci.js';
import { benjaminiHochberg, twoProportionZTest } from '../../metrics/stats.js';
import { Rng } from '../../util/random.js';
import { pooledRatio as pooled, sampleStats, type SampleStats } from '../common/task-score.js';
import type { Bilingual } from '../../results/types.js';

/** One subgroup (or combination) against the rest. */
export interface SubgroupRow {
  /** e.g. `site=A` or `site=A & sex=F`. */
  group: string;
  columns: string;
  n: number;
  metric: string;
  value: number;
  low: number;
  high: number;
  /** value − overall. */
  difference: number;
  /** value ÷ overall. */
  ratio: number;
  /** Metric of the rest of the set. */
  rest: number;
  pValue: number;
  /** Benjamini–Hochberg adjusted p-value. */
  pAdjusted: number;
  /** Rejected at the FDR level: the group differs significantly from the rest. */
  significant: boolean;
  /** The test behind `pValue`. */
  test: Bilingual;
}

/** Every subgroup column value, and every combination of up to `maxOrder` columns, with at least `minSize` samples. */
export function subgroupIndex(
  ds: Dataset,
  columns: string[],
  maxOrder: number,
  minSize: number,
): { group: string; columns: string; indices: number[] }[] {
  const out: { group: string; columns: string; indices: number[] }[] = [];
  const combos: string[][] = [];
  const rec = (start: number, acc: string[]) => {
    if (acc.length) combos.push(acc);
    if (acc.length === maxOrder) return;
    for (let i = start; i < columns.length; i++) rec(i + 1, [...acc, columns[i]!]);
  };
  rec(0, []);
  combos.sort((a, b) => a.length - b.length);
  for (const cols of combos) {
    const groups = new Map<string, number[]>();
    for (let k = 0; k < ds.ids.length; k++) {
      const key = cols.map((col) => `${col}=${ds.meta[col]?.[k] ?? '∅'}`).join(' & ');
      (groups.get(key) ?? groups.set(key, []).get(key)!).push(k);
    }
    for (const [group, indices] of [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
      if (indices.length >= minSize && indices.length < ds.ids.length) out.push({ group, columns: cols.join(' & '), indices });
    }
  }
  return out;
}

/**
 * Analyses subgroups: metric and CI per group, test against the rest, BH control at level `q`.
 * @param opts seed, bootstrap iterations, minimum group size, maximum combination order, FDR level q
 */
export function analyseSubgroups(
  c: LoadedCase,
  ds: Dataset,
  pred: Prediction,
  opts: { seed: number; iterations: number; minSize: number; maxOrder: number; q: number; level?: number },
): { overall: number; metric: string; rows: SubgroupRow[] } {
  const s = sampleStats(c, ds, pred);
  const all = Array.from({ length: ds.ids.length }, (_, i) => i);
  const overall = pooled(s, all);
  const level = opts.level ?? 0.95;
  const groups = subgroupIndex(ds, ds.subgroups, opts.maxOrder, opts.minSize);
  const partial = groups.map((g, gi) => {
    const inG = new Set(g.indices);
    const rest = all.filter((i) => !inG.has(i));
    const value = pooled(s, g.indices);
    const restValue = pooled(s, rest);
    let ci;
    let pValue: number;
    let test: Bilingual;
    if (s.metric === 'accuracy') {
      const x1 = g.indices.reduce((a, i) => a + s.num[i]!, 0);
      const x2 = rest.reduce((a, i) => a + s.num[i]!, 0);
      ci = wilsonInterval(x1, g.indices.length, level);
      pValue = twoProportionZTest(x1, g.indices.length, x2, rest.length).pValue;
      test = { zh: '两比例 z 检验', en: 'two-proportion z-test' };
    } else {
      const sub = Int32Array.from(g.indices);
      ci = bootstrapCI(
        (idx) =>
          pooled(
            s,
            Array.from(idx, (i) => sub[i]!),
          ),
        sub.length,
        { seed: opts.seed + gi, iterations: opts.iterations, level },
      );
      pValue = bootstrapDifferenceP(s, g.indices, rest, opts.iterations, opts.seed + 7919 * (gi + 1));
      test = { zh: '差值的自助法检验（合并 Dice）', en: 'bootstrap of the difference (pooled Dice)' };
    }
    return {
      group: g.group,
      columns: g.columns,
      n: g.indices.length,
      metric: s.metric,
      value,
      low: ci.low,
      high: ci.high,
      difference: value - overall,
      ratio: overall ? value / overall : NaN,
      rest: restValue,
      pValue,
      test,
    };
  });
  const bh = benjaminiHochberg(
    partial.map((r) => r.pValue),
    opts.q,
  );
  return { overall, metric: s.metric, rows: partial.map((r, i) => ({ ...r, pAdjusted: bh.adjusted[i]!, significant: bh.rejected[i]! })) };
}

/** Two-sided bootstrap p-value of pooled(group) − pooled(rest) = 0, resampling within each. */
function bootstrapDifferenceP(s: SampleStats, group: number[], rest: number[], iterations: number, seed: number): number {
  const rng = new Rng(seed);
  let le = 0;
  let ge = 0;
  const gi = new Array<number>(group.length);
  const ri = new Array<number>(rest.length);
  for (let b = 0; b < iterations; b++) {
    for (let i = 0; i < group.length; i++) gi[i] = group[rng.int(group.length)]!;
    for (let i = 0; i < rest.length; i++) ri[i] = rest[rng.int(rest.length)]!;
    const d = pooled(s, gi) - pooled(s, ri);
    if (d <= 0) le++;
    if (d >= 0) ge++;
  }
  return Math.min(1, (2 * Math.min(le, ge) + 1) / (iterations + 1));
}
