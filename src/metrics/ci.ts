/**
 * Confidence intervals: Wilson score intervals for proportions and seeded percentile bootstrap
 * intervals for everything else.
 * References: Wilson, JASA 22 (1927) 209–212; Brown, Cai & DasGupta, Stat. Sci. 16 (2001) 101–133;
 * Efron & Tibshirani, An Introduction to the Bootstrap (1993), ch. 13 (percentile interval).
 */
import { InputError } from '../util/errors.js';
import type { ConfidenceInterval } from '../results/types.js';
import { Rng } from '../util/random.js';
import { normalQuantile } from './stats.js';

/** A figure with its confidence interval. */
export interface Estimate {
  value: number;
  ci?: ConfidenceInterval;
}

/** Options of the bootstrap. */
export interface BootstrapOptions {
  /** Seed of the resampling (default 0); the same seed gives the same interval. */
  seed?: number;
  /** Number of resamples (default 1000). */
  iterations?: number;
  /** Confidence level (default 0.95). */
  level?: number;
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1))
    throw new InputError(`confidence level ${level} must be in (0, 1)`, { field: 'level', remedy: 'use e.g. 0.95' });
}

/**
 * Wilson score interval for a binomial proportion `successes / n`.
 * With n = 0 the interval is the whole [0, 1] (nothing is known).
 * @param successes number of successes (may be fractional for weighted counts)
 * @param n number of trials
 * @param level confidence level (default 0.95)
 * @throws {InputError} successes outside [0, n] or a level outside (0, 1)
 * @example
 * wilsonInterval(8, 10); // { low: 0.4901…, high: 0.9433…, method: 'wilson', level: 0.95 }
 */
export function wilsonInterval(successes: number, n: number, level = 0.95): ConfidenceInterval {
  checkLevel(level);
  if (!(n >= 0) || !(successes >= 0 && successes <= n))
    throw new InputError(`${successes} successes of ${n} trials`, { field: 'successes', remedy: 'need 0 ≤ successes ≤ n' });
  if (n === 0) return { low: 0, high: 1, method: 'wilson', level };
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = successes / n;
  const z2n = (z * z) / n;
  const center = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return { low: Math.max(0, center - half), high: Math.min(1, center + half), method: 'wilson', level };
}

/**
 * Linear-interpolation percentile of sorted values (NumPy's default `linear` method).
 * @param sorted ascending values
 * @param q in [0, 1]
 */
export function percentileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Percentile interval from bootstrap replicates (NaN replicates dropped). */
export function percentileInterval(replicates: ArrayLike<number>, level: number): ConfidenceInterval {
  const v = Float64Array.from(Array.prototype.filter.call(replicates, (x: number) => !Number.isNaN(x)) as number[]).sort();
  const a = (1 - level) / 2;
  return { low: percentileSorted(v, a), high: percentileSorted(v, 1 - a), method: 'bootstrap-percentile', level };
}

/**
 * Seeded percentile bootstrap: resamples `n` sample indices with replacement `iterations` times,
 * evaluates `statFn` on each resample and takes the (1−level)/2 and (1+level)/2 percentiles.
 * Replicates where the statistic is undefined (NaN) are dropped.
 *
 * @param statFn statistic of a resample, given the resampled indices (length n)
 * @param n number of samples
 * @param opts seed (default 0), iterations (default 1000), level (default 0.95)
 * @returns the interval, `method: 'bootstrap-percentile'`
 * @throws {InputError} n < 1, iterations < 1, bad level
 * @example
 * const ci = bootstrapCI((idx) => accuracyScore(pick(y, idx), pick(p, idx)), y.length, { seed: 1 });
 */
export function bootstrapCI(statFn: (indices: Int32Array) => number, n: number, opts: BootstrapOptions = {}): ConfidenceInterval {
  const reps = bootstrapReplicates([statFn], n, opts)[0]!;
  return percentileInterval(reps, opts.level ?? 0.95);
}

/**
 * Replicates of several statistics over the same resamples (so that intervals of related figures
 * come from one set of resamples).
 * @param statFns statistics of a resample, given the resampled indices
 * @param n number of samples
 * @param opts seed, iterations, level
 * @returns one Float64Array of replicates per statistic
 */
export function bootstrapReplicates(statFns: ((indices: Int32Array) => number)[], n: number, opts: BootstrapOptions = {}): Float64Array[] {
  const iterations = opts.iterations ?? 1000;
  checkLevel(opts.level ?? 0.95);
  if (!(n >= 1)) throw new InputError('bootstrap needs at least one sample', { field: 'n', remedy: 'pass a non-empty data set' });
  if (!(iterations >= 1) || !Number.isInteger(iterations))
    throw new InputError(`iterations ${iterations} must be a positive integer`, { field: 'iterations', remedy: 'use e.g. 1000' });
  const rng = new Rng(opts.seed ?? 0);
  const out = statFns.map(() => new Float64Array(iterations));
  const idx = new Int32Array(n);
  for (let r = 0; r < iterations; r++) {
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    statFns.forEach((f, k) => (out[k]![r] = f(idx)));
  }
  return out;
}

/**
 * Multiplicity form of the bootstrap: each resample is given as `counts[i]` = how often sample
 * `i` was drawn (same random draws as {@link bootstrapReplicates} for the same seed). Statistics
 * that take per-sample weights can then reuse work done once (e.g. a global sort by score).
 * @param statFns statistics of a resample, given multiplicities (length n)
 * @param n number of samples
 * @param opts seed, iterations, level
 */
export function bootstrapReplicatesByCounts(
  statFns: ((counts: Float64Array) => number)[],
  n: number,
  opts: BootstrapOptions = {},
): Float64Array[] {
  const counts = new Float64Array(n);
  return bootstrapReplicates(
    statFns.map((f, k) => (idx: Int32Array) => {
      if (k === 0) {
        counts.fill(0);
        for (let i = 0; i < n; i++) counts[idx[i]!]++;
      }
      return f(counts);
    }),
    n,
    opts,
  );
}
