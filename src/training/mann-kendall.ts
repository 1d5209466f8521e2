/**
 * The Mann–Kendall trend test (Mann 1945; Kendall 1975), as in `pymannkendall.original_test`:
 * `S = Σ_{i<j} sign(x_j − x_i)`, `Var(S) = [n(n−1)(2n+5) − Σ_t t(t−1)(2t+5)] / 18` (ties
 * corrected), continuity-corrected `z`, two-sided p-value, Kendall's τ = S / (n(n−1)/2).
 * (Implemented here because `src/metrics` has no `mannKendall` yet.)
 */

/** Result of {@link mannKendall}. */
export interface MannKendallResult {
  n: number;
  s: number;
  varS: number;
  z: number;
  /** Two-sided p-value. */
  p: number;
  tau: number;
  /** Significant direction at `alpha`, or `no trend`. */
  trend: 'increasing' | 'decreasing' | 'no trend';
}

/** Standard normal CDF (erf by Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - (((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t) * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * Mann–Kendall trend test.
 * @param x the series (non-finite values are skipped)
 * @param alpha significance level (default 0.05)
 * @returns S, Var(S), z, two-sided p, τ and the trend; `n < 3` gives `no trend` with p = 1
 * @example
 * mannKendall([1, 2, 3, 4, 5]); // { s: 10, varS: 16.67, z: 2.205, p: 0.0275, tau: 1, trend: 'increasing' }
 */
export function mannKendall(x: ArrayLike<number>, alpha = 0.05): MannKendallResult {
  const v = Array.from(x).filter(Number.isFinite);
  const n = v.length;
  if (n < 3) return { n, s: 0, varS: 0, z: 0, p: 1, tau: 0, trend: 'no trend' };
  let s = 0;
  for (let i = 0; i < n - 1; i++) for (let j = i + 1; j < n; j++) s += Math.sign(v[j]! - v[i]!);
  const counts = new Map<number, number>();
  for (const a of v) counts.set(a, (counts.get(a) ?? 0) + 1);
  let ties = 0;
  for (const t of counts.values()) if (t > 1) ties += t * (t - 1) * (2 * t + 5);
  const varS = (n * (n - 1) * (2 * n + 5) - ties) / 18;
  const z = varS === 0 ? 0 : s > 0 ? (s - 1) / Math.sqrt(varS) : s < 0 ? (s + 1) / Math.sqrt(varS) : 0;
  const p = 2 * (1 - normalCdf(Math.abs(z)));
  const tau = s / ((n * (n - 1)) / 2);
  return { n, s, varS, z, p, tau, trend: p < alpha ? (z > 0 ? 'increasing' : 'decreasing') : 'no trend' };
}
