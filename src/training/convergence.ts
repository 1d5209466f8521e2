/**
 * Convergence analysis of a loss curve (6.3.1): exponential smoothing, relative decrease, plateau
 * detection, divergence (non-finite loss, explosion, sustained increase), a Mann–Kendall trend test
 * (`mannKendall` of `src/metrics/stats.ts`) on the last window, the train–validation gap, and the findings in words (zh/en).
 */
import { mannKendall } from '../metrics/stats.js';
import type { Bilingual } from '../results/types.js';

/** Mann–Kendall result on the last window (`src/metrics/stats.ts`), with the number of points. */
export type TrendTest = ReturnType<typeof mannKendall> & { n: number };

function trendTest(x: number[], alpha: number): TrendTest {
  const v = x.filter(Number.isFinite);
  if (v.length < 3) return { n: v.length, s: 0, varS: 0, z: 0, pValue: 1, tau: 0, trend: 'no trend' };
  return { n: v.length, ...mannKendall(v, alpha) };
}

/** Options of {@link analyzeConvergence}. */
export interface ConvergenceOptions {
  /** Smoothing factor of the exponential moving average, 0 < α ≤ 1 (default 0.3; 1 = no smoothing). */
  smoothing?: number;
  /** Points in the last window for the trend test and plateau check (default max(5, ⌈n/4⌉)). */
  window?: number;
  /** Plateau: relative change of the smoothed loss across the last window below this (default 0.02). */
  plateauTolerance?: number;
  /** Explosion: final smoothed loss above this multiple of the first (default 2). */
  explosionFactor?: number;
  /** Sustained increase: significant increasing trend and final above (1 + this) × minimum (default 0.1). */
  increaseTolerance?: number;
  /** Significance level of the trend test (default 0.05). */
  alpha?: number;
  /** Minimum relative decrease to call the loss decreasing (default 0.01). */
  minDecrease?: number;
}

/** Overall state of the curve. */
export type ConvergenceStatus = 'converged' | 'decreasing' | 'diverged' | 'not-decreasing';

/** Result of {@link analyzeConvergence}. */
export interface ConvergenceAnalysis {
  n: number;
  smoothed: number[];
  initial: number;
  final: number;
  min: number;
  /** `(initial − final) / |initial|` on the smoothed curve (or on the given initial/final values). */
  relativeDecrease: number;
  /** Index of the first non-finite loss, or null. */
  nonFiniteAt: number | null;
  exploded: boolean;
  sustainedIncrease: boolean;
  diverged: boolean;
  /** Index from which the smoothed curve stays within the plateau tolerance, or null. */
  plateauAt: number | null;
  trend: TrendTest;
  window: number;
  /** Final validation minus final train loss, and relative to the train loss (when validation given). */
  gap?: { absolute: number; relative: number };
  status: ConvergenceStatus;
  reasons: Bilingual[];
}

/** Exponential moving average (non-finite values propagate). */
export function smoothCurve(y: ArrayLike<number>, alpha = 0.3): number[] {
  const out: number[] = [];
  let s = NaN;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    s = i === 0 || !Number.isFinite(s) ? v : alpha * v + (1 - alpha) * s;
    out.push(s);
  }
  return out;
}

const f = (v: number, d = 4) => (Number.isFinite(v) ? Number(v.toPrecision(d)).toString() : String(v));

/**
 * Analyses a loss curve.
 * @param loss losses in training order (per step or per epoch)
 * @param opts thresholds (see {@link ConvergenceOptions}); `validation` gives the train–validation gap
 *   (against `final` when given, else the last loss); `initial`/`final` replace the smoothed end points
 * @returns the analysis with reasons in words
 * @example
 * analyzeConvergence([1, 0.6, 0.4, 0.35, 0.34, 0.34]).status; // 'converged'
 */
export function analyzeConvergence(
  loss: ArrayLike<number>,
  opts: ConvergenceOptions & { validation?: ArrayLike<number>; initial?: number; final?: number } = {},
): ConvergenceAnalysis {
  const y = Array.from(loss);
  const n = y.length;
  const smoothed = smoothCurve(y, opts.smoothing ?? 0.3);
  const window = Math.min(n, opts.window ?? Math.max(5, Math.ceil(n / 4)));
  const firstBad = y.findIndex((v) => !Number.isFinite(v));
  const nonFiniteAt = firstBad >= 0 ? firstBad : null;
  const finite = nonFiniteAt === null ? smoothed : smoothed.slice(0, nonFiniteAt);
  const initial = opts.initial ?? finite[0] ?? NaN;
  const final = nonFiniteAt !== null ? NaN : (opts.final ?? smoothed[n - 1] ?? NaN);
  const min = finite.length ? Math.min(...finite) : NaN;
  const relativeDecrease = (initial - final) / Math.abs(initial);
  const trend = trendTest(y.slice(n - window), opts.alpha ?? 0.05);
  const exploded = nonFiniteAt === null && final > initial * (opts.explosionFactor ?? 2);
  const sustainedIncrease = nonFiniteAt === null && trend.trend === 'increasing' && final > min * (1 + (opts.increaseTolerance ?? 0.1));
  const diverged = nonFiniteAt !== null || exploded || sustainedIncrease;
  const tol = opts.plateauTolerance ?? 0.02;
  let plateauAt: number | null = null;
  if (!diverged && n >= 2) {
    const last = smoothed[n - 1]!;
    let i = n - 1;
    while (i > 0 && Math.abs(smoothed[i - 1]! - last) <= tol * Math.abs(last)) i--;
    if (n - i >= window) plateauAt = i;
  }
  const reasons: Bilingual[] = [];
  let status: ConvergenceStatus;
  if (nonFiniteAt !== null) {
    reasons.push({
      zh: `损失在第 ${nonFiniteAt + 1} 个点变为非有限值（${y[nonFiniteAt]}），训练发散。`,
      en: `the loss became non-finite (${y[nonFiniteAt]}) at point ${nonFiniteAt + 1}: training diverged.`,
    });
  }
  if (exploded)
    reasons.push({
      zh: `最终损失 ${f(final)} 超过初始损失 ${f(initial)} 的 ${opts.explosionFactor ?? 2} 倍，训练发散。`,
      en: `the final loss ${f(final)} exceeds ${opts.explosionFactor ?? 2}× the initial loss ${f(initial)}: training diverged.`,
    });
  if (sustainedIncrease)
    reasons.push({
      zh: `最后 ${window} 个点的损失呈显著上升趋势（Mann–Kendall z = ${f(trend.z, 3)}，p = ${f(trend.pValue, 2)}），且高于最小值 ${f(min)}。`,
      en:
        `the loss rises significantly over the last ${window} points (Mann–Kendall z = ${f(trend.z, 3)}, p ` +
        `= ${f(trend.pValue, 2)}) and is above its minimum ${f(min)}.`,
    });
  if (diverged) status = 'diverged';
  else if (!(relativeDecrease >= (opts.minDecrease ?? 0.01))) {
    status = 'not-decreasing';
    reasons.push({
      zh: `损失相对下降 ${f(relativeDecrease * 100, 3)}%，未见有效下降。`,
      en: `the loss decreased by only ${f(relativeDecrease * 100, 3)} % (relative): no effective decrease.`,
    });
  } else {
    reasons.push({
      zh: `损失从 ${f(initial)} 降至 ${f(final)}（相对下降 ${f(relativeDecrease * 100, 3)}%）。`,
      en: `the loss fell from ${f(initial)} to ${f(final)} (relative decrease ${f(relativeDecrease * 100, 3)} %).`,
    });
    if (plateauAt !== null || trend.trend === 'no trend') {
      status = 'converged';
      reasons.push(
        plateauAt !== null
          ? {
              zh: `平滑曲线自第 ${plateauAt + 1} 个点起变化小于 ${tol * 100}%，已进入平台期（收敛）。`,
              en: `the smoothed curve stays within ${tol * 100} % from point ${plateauAt + 1} on: it has reached a plateau (converged).`,
            }
          : {
              zh: `最后 ${window} 个点无显著趋势（Mann–Kendall p = ${f(trend.pValue, 2)}），视为收敛。`,
              en: `no significant trend over the last ${window} points (Mann–Kendall p = ${f(trend.pValue, 2)}): treated as converged.`,
            },
      );
    } else {
      status = 'decreasing';
      reasons.push({
        zh: `最后 ${window} 个点仍显著下降（Mann–Kendall z = ${f(trend.z, 3)}，p = ${f(trend.pValue, 2)}），尚未进入平台期，更多轮次可能继续改善。`,
        en:
          `the loss is still falling significantly over the last ${window} points (Mann–Kendall z ` +
          `= ${f(trend.z, 3)}, p = ${f(trend.pValue, 2)}); no plateau yet, more epochs may improve it further.`,
      });
    }
  }
  const out: ConvergenceAnalysis = {
    n,
    smoothed,
    initial,
    final,
    min,
    relativeDecrease,
    nonFiniteAt,
    exploded,
    sustainedIncrease,
    diverged,
    plateauAt,
    trend,
    window,
    status,
    reasons,
  };
  const val = opts.validation ? Array.from(opts.validation) : [];
  const lastTrain = opts.final ?? y[n - 1],
    lastVal = val[val.length - 1];
  if (lastTrain !== undefined && lastVal !== undefined && Number.isFinite(lastTrain) && Number.isFinite(lastVal)) {
    out.gap = { absolute: lastVal - lastTrain, relative: (lastVal - lastTrain) / Math.abs(lastTrain) };
    reasons.push({
      zh: `训练–验证差距：验证损失 ${f(lastVal)} − 训练损失 ${f(lastTrain)} = ${f(out.gap.absolute, 3)}（${f(out.gap.relative * 100, 3)}%）。`,
      en:
        `train–validation gap: validation loss ${f(lastVal)} − train loss ${f(lastTrain)} ` +
        `= ${f(out.gap.absolute, 3)} (${f(out.gap.relative * 100, 3)} %).`,
    });
  }
  return out;
}
