/**
 * Options and label handling shared by every metric family. Option names follow scikit-learn
 * (`labels`, `average`, `zeroDivision`, `sampleWeight`, `posLabel`).
 */
import { InputError } from '../util/errors.js';

/**
 * How per-class scores are combined (scikit-learn's `average`):
 * `binary` — only the `posLabel` class (2-class problems; scikit-learn's default);
 * `micro` — from the summed counts over the selected labels;
 * `macro` — unweighted mean of per-class scores;
 * `weighted` — mean weighted by each class's (sample-weighted) support.
 */
export type Average = 'binary' | 'micro' | 'macro' | 'weighted';

/**
 * What an undefined ratio (0/0) becomes, as scikit-learn's `zero_division`: `'warn'` → 0 and a
 * warning is recorded; `0`/`1` → that value silently; `NaN` → NaN, and averages skip NaN entries
 * (scikit-learn ≥ 1.3 behaviour).
 */
export type ZeroDivision = 'warn' | 0 | 1 | number;

/** Options of the classification metrics. */
export interface ClassificationOptions {
  /** Labels to report, in this order (default: sorted union of truth and prediction). */
  labels?: readonly number[];
  /** Default `'binary'` as scikit-learn. */
  average?: Average;
  /** Positive class for `average: 'binary'` (default 1). */
  posLabel?: number;
  /** Default `'warn'`. */
  zeroDivision?: ZeroDivision;
  /** Per-sample weights (default all 1). */
  sampleWeight?: ArrayLike<number>;
  /** Collects warnings (zero division, ignored options); nothing is printed. */
  warnings?: string[];
}

/**
 * Checks that arrays that describe the same samples have the same length.
 * @param arrays name → array
 * @throws {InputError} naming the arrays whose lengths differ
 */
export function checkSameLength(arrays: Record<string, ArrayLike<unknown> | undefined>): number {
  let n = -1;
  let first = '';
  for (const [name, a] of Object.entries(arrays)) {
    if (a === undefined) continue;
    if (n < 0) {
      n = a.length;
      first = name;
    } else if (a.length !== n)
      throw new InputError(`${name} has ${a.length} entries but ${first} has ${n}`, {
        field: name,
        remedy: 'pass one entry per sample, in the same order',
      });
  }
  return Math.max(n, 0);
}

/**
 * Sorted distinct values of integer label arrays.
 * @param arrays label arrays
 * @returns ascending distinct values
 * @throws {InputError} a non-integer label
 */
export function uniqueLabels(...arrays: ArrayLike<number>[]): number[] {
  const seen = new Set<number>();
  for (const a of arrays) {
    let last = NaN;
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (v === last) continue;
      last = v;
      if (!seen.has(v)) {
        if (!Number.isInteger(v))
          throw new InputError(`label ${v} at position ${i} is not an integer class index`, {
            field: 'labels',
            remedy: 'encode classes as integers (or use label names through the CLI)',
          });
        seen.add(v);
      }
    }
  }
  return [...seen].sort((a, b) => a - b);
}

/**
 * Maps labels to positions `0..labels.length-1` (−1 for values not in `labels`).
 * Uses a dense table for small non-negative labels, a Map otherwise.
 * @param y label values
 * @param labels the label list
 * @returns position per sample
 */
export function encodeLabels(y: ArrayLike<number>, labels: readonly number[]): Int32Array {
  const n = y.length;
  const out = new Int32Array(n);
  const min = Math.min(...labels);
  const max = Math.max(...labels);
  if (labels.length > 0 && min >= 0 && max < 1 << 20) {
    const table = new Int32Array(max + 1).fill(-1);
    labels.forEach((l, k) => (table[l] = k));
    for (let i = 0; i < n; i++) {
      const v = y[i]!;
      out[i] = v >= 0 && v <= max ? table[v]! : -1;
    }
  } else {
    const m = new Map<number, number>();
    labels.forEach((l, k) => m.set(l, k));
    for (let i = 0; i < n; i++) out[i] = m.get(y[i]!) ?? -1;
  }
  return out;
}

/**
 * Divides, applying the zero-division policy where `den === 0`.
 * @param num numerator
 * @param den denominator
 * @param zd policy
 * @returns the ratio, or the policy value; `undefinedRatio` is true when the policy applied
 */
export function zeroDivide(num: number, den: number, zd: ZeroDivision): number {
  if (den !== 0) return num / den;
  return zd === 'warn' ? 0 : zd;
}

/**
 * Validates sample weights: finite and non-negative.
 * @throws {InputError} a negative or non-finite weight
 */
export function checkWeights(w: ArrayLike<number> | undefined): void {
  if (!w) return;
  for (let i = 0; i < w.length; i++) {
    const v = w[i]!;
    if (!(v >= 0) || !Number.isFinite(v))
      throw new InputError(`sample weight ${v} at position ${i} is negative or not finite`, {
        field: 'sampleWeight',
        remedy: 'use finite non-negative weights',
      });
  }
}
