/**
 * Statistical helpers for the clause evaluations: normal and chi-square distributions, a
 * two-proportion z-test, Pearson's chi-square test of independence, Benjamini–Hochberg FDR control
 * and the Mann–Kendall trend test.
 * References: Press et al., Numerical Recipes 3rd ed. §6.1–6.2 (log-gamma, incomplete gamma);
 * Acklam (2003) inverse normal CDF; Benjamini & Hochberg, JRSS B 57 (1995) 289–300;
 * Mann (1945), Kendall (1975), tie-corrected variance as in Hipel & McLeod (1994).
 */
import { InputError } from '../util/errors.js';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * Natural log of the gamma function (Lanczos, g = 7; relative error ≈ 1e-15).
 * @param x > 0
 */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = LANCZOS[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Regularised lower incomplete gamma P(a, x) (series for x < a + 1, continued fraction otherwise).
 * @param a shape > 0
 * @param x ≥ 0
 * @param upper return Q = 1 − P instead (computed directly, without cancellation)
 */
export function gammaP(a: number, x: number, upper = false): number {
  if (x <= 0) return upper ? 1 : 0;
  const lg = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let ap = a;
    let sum = 1 / a;
    let del = sum;
    for (let n = 0; n < 1000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-17) break;
    }
    const p = sum * Math.exp(lg);
    return upper ? 1 - p : p;
  }
  // Lentz's continued fraction for Q
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  const q = Math.exp(lg) * h;
  return upper ? q : 1 - q;
}

/**
 * Standard normal CDF Φ(x) = ½ erfc(−x/√2), via the incomplete gamma function (|error| ≲ 1e-15).
 * @example normalCdf(1.959963984540054); // 0.975
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const z = (x * x) / 2;
  const tail = 0.5 * gammaP(0.5, z, true); // P(|Z| > |x|) / 2
  return x >= 0 ? 1 - tail : tail;
}

/**
 * Standard normal quantile Φ⁻¹(p) (Acklam's rational approximation refined by one Halley step).
 * @param p in (0, 1); 0 → −∞, 1 → +∞
 * @example normalQuantile(0.975); // 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  let x: number;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - lo) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  for (let i = 0; i < 2; i++) {
    const e = p < 0.5 ? normalCdf(x) - p : -(normalCdf(-x) - (1 - p));
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
    x = x - u / (1 + (x * u) / 2);
  }
  return x;
}

/**
 * Chi-square CDF with `df` degrees of freedom: P(df/2, x/2).
 * @param upper return the survival function 1 − CDF (the p-value of a statistic `x`)
 * @example chiSquareCdf(3.841458820694124, 1); // 0.95
 */
export function chiSquareCdf(x: number, df: number, upper = false): number {
  if (!(df > 0)) throw new InputError(`degrees of freedom ${df} must be > 0`, { field: 'df', remedy: 'use a positive df' });
  return gammaP(df / 2, Math.max(0, x) / 2, upper);
}

/**
 * Two-sided two-proportion z-test with pooled variance: H0 p₁ = p₂.
 * @param x1 successes in group 1
 * @param n1 trials in group 1
 * @param x2 successes in group 2
 * @param n2 trials in group 2
 * @returns z, two-sided p-value, the proportions and their difference (p₁ − p₂)
 * @throws {InputError} counts outside 0..n or an empty group
 * @example twoProportionZTest(45, 50, 30, 50).pValue; // ≈ 4.3e-4
 */
export function twoProportionZTest(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
): { z: number; pValue: number; p1: number; p2: number; difference: number } {
  for (const [x, n, f] of [
    [x1, n1, 'group 1'],
    [x2, n2, 'group 2'],
  ] as const)
    if (!(n > 0) || !(x >= 0 && x <= n))
      throw new InputError(`${f}: ${x} successes of ${n} trials`, { field: f, remedy: 'need n > 0 and 0 ≤ successes ≤ n' });
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const p = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  const z = se === 0 ? 0 : (p1 - p2) / se;
  return { z, pValue: se === 0 ? 1 : 2 * normalCdf(-Math.abs(z)), p1, p2, difference: p1 - p2 };
}

/**
 * Pearson's chi-square test of independence on an r×k contingency table (no Yates correction;
 * equals `scipy.stats.chi2_contingency(t, correction=False)`). Rows or columns summing to zero
 * are dropped first.
 * @param table counts, r ≥ 2 rows (e.g. correct/incorrect) × k columns (subgroups)
 * @returns statistic, degrees of freedom, p-value and expected counts
 * @throws {InputError} negative counts or a table smaller than 2×2 after dropping empty lines
 * @example chiSquareTest([[30, 45], [20, 5]]).pValue;
 */
export function chiSquareTest(table: number[][]): { statistic: number; df: number; pValue: number; expected: number[][] } {
  let t = table.filter((r) => r.reduce((a, b) => a + b, 0) > 0);
  const k = t[0]?.length ?? 0;
  if (t.some((r) => r.length !== k || r.some((v) => !(v >= 0))))
    throw new InputError('contingency table must be rectangular with counts ≥ 0', { field: 'table', remedy: 'pass rows of equal length' });
  const keep = Array.from({ length: k }, (_, j) => t.reduce((a, r) => a + r[j]!, 0) > 0);
  t = t.map((r) => r.filter((_, j) => keep[j]));
  const R = t.length;
  const C = t[0]?.length ?? 0;
  if (R < 2 || C < 2)
    throw new InputError(`contingency table is ${R}×${C} after dropping empty rows/columns`, {
      field: 'table',
      remedy: 'need at least two non-empty rows and columns',
    });
  const rs = t.map((r) => r.reduce((a, b) => a + b, 0));
  const cs = Array.from({ length: C }, (_, j) => t.reduce((a, r) => a + r[j]!, 0));
  const N = rs.reduce((a, b) => a + b, 0);
  let stat = 0;
  const expected = t.map((r, i) =>
    r.map((o, j) => {
      const e = (rs[i]! * cs[j]!) / N;
      stat += ((o - e) * (o - e)) / e;
      return e;
    }),
  );
  const df = (R - 1) * (C - 1);
  return { statistic: stat, df, pValue: chiSquareCdf(stat, df, true), expected };
}

/**
 * Benjamini–Hochberg step-up procedure controlling the false discovery rate at `q`.
 * @param pValues p-values
 * @param q FDR level (default 0.05)
 * @returns which hypotheses are rejected and BH-adjusted p-values (as statsmodels `fdr_bh`)
 * @example benjaminiHochberg([0.01, 0.04, 0.03, 0.2], 0.05).rejected; // [true, false, false, false]
 */
export function benjaminiHochberg(pValues: readonly number[], q = 0.05): { rejected: boolean[]; adjusted: number[] } {
  const m = pValues.length;
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1))
      throw new InputError(`p-value ${p} at position ${i} is not in [0, 1]`, { field: 'pValues', remedy: 'pass probabilities' });
  });
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]!);
  const adjusted = new Array<number>(m);
  let min = 1;
  for (let r = m - 1; r >= 0; r--) {
    const i = order[r]!;
    min = Math.min(min, (pValues[i]! * m) / (r + 1));
    adjusted[i] = min;
  }
  let kmax = -1;
  for (let r = 0; r < m; r++) if (pValues[order[r]!]! <= ((r + 1) / m) * q) kmax = r;
  const rejected = new Array<boolean>(m).fill(false);
  for (let r = 0; r <= kmax; r++) rejected[order[r]!] = true;
  return { rejected, adjusted };
}

/**
 * Mann–Kendall test for a monotonic trend in a series (e.g. a metric over increasing noise).
 * S = Σ_{i<j} sign(xⱼ − xᵢ); Var S = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)]/18 over tie groups t;
 * z with continuity correction; two-sided p-value; Kendall's τ = S / (n(n−1)/2).
 * @param series values in time/severity order (NaN not allowed)
 * @param alpha significance level for `trend` (default 0.05)
 * @throws {InputError} fewer than 3 values or NaN
 * @example mannKendall([0.9, 0.85, 0.8, 0.7]).trend; // 'decreasing'
 */
export function mannKendall(
  series: readonly number[],
  alpha = 0.05,
): { s: number; varS: number; z: number; pValue: number; tau: number; trend: 'increasing' | 'decreasing' | 'no trend' } {
  const n = series.length;
  if (n < 3 || series.some((v) => Number.isNaN(v)))
    throw new InputError('Mann–Kendall needs at least 3 values and no NaN', {
      field: 'series',
      remedy: 'pass a longer series without missing values',
    });
  let s = 0;
  for (let i = 0; i < n - 1; i++) for (let j = i + 1; j < n; j++) s += Math.sign(series[j]! - series[i]!);
  const counts = new Map<number, number>();
  for (const v of series) counts.set(v, (counts.get(v) ?? 0) + 1);
  let ties = 0;
  for (const t of counts.values()) ties += t * (t - 1) * (2 * t + 5);
  const varS = (n * (n - 1) * (2 * n + 5) - ties) / 18;
  const z = varS === 0 ? 0 : s > 0 ? (s - 1) / Math.sqrt(varS) : s < 0 ? (s + 1) / Math.sqrt(varS) : 0;
  const pValue = 2 * normalCdf(-Math.abs(z));
  const trend = pValue < alpha ? (z > 0 ? 'increasing' : 'decreasing') : 'no trend';
  return { s, varS, z, pValue, tau: s / ((n * (n - 1)) / 2), trend };
}
