/**
 * Output comparison for 6.3.5: how far two runs of the same inputs differ.
 */

/** Differences between a reference output and a repeated one. */
import { EvaluationError } from '../../util/errors.js';

export interface OutputDiff {
  /** max |a − b| over all elements. */
  maxAbsDiff: number;
  /** max |a − b| / max(|a|, |b|) over elements where either is non-zero (0 when both are 0). */
  maxRelDiff: number;
  /** Share of elements whose float32 bit patterns are identical. */
  exactMatchRate: number;
  /** true when every element is bit-for-bit identical. */
  identical: boolean;
}

/**
 * Compares two float32 output arrays element by element (NaN vs NaN counts as identical only when the
 * bit patterns match; NaN vs a number is an infinite difference).
 * @throws EvaluationError when the lengths differ
 * @example
 * compareOutputs(new Float32Array([1, 2]), new Float32Array([1, 2.5])).maxAbsDiff; // 0.5
 */
export function compareOutputs(a: Float32Array, b: Float32Array): OutputDiff {
  if (a.length !== b.length)
    throw new EvaluationError(`output lengths differ: ${a.length} vs ${b.length}`, {
      clause: '6.3.5',
      remedy: 'compare runs on the same samples',
    });
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let maxAbs = 0;
  let maxRel = 0;
  let same = 0;
  for (let i = 0; i < a.length; i++) {
    if (ua[i] === ub[i]) {
      same++;
      continue;
    }
    const x = a[i]!;
    const y = b[i]!;
    const d = Math.abs(x - y);
    if (Number.isNaN(d)) {
      maxAbs = Infinity;
      maxRel = Infinity;
      continue;
    }
    if (d > maxAbs) maxAbs = d;
    const m = Math.max(Math.abs(x), Math.abs(y));
    if (m > 0 && d / m > maxRel) maxRel = d / m;
  }
  return { maxAbsDiff: maxAbs, maxRelDiff: maxRel, exactMatchRate: a.length ? same / a.length : 1, identical: same === a.length };
}

/** Share of equal decisions (class labels) between two runs. */
export function labelAgreement(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length)
    throw new EvaluationError(`label lengths differ: ${a.length} vs ${b.length}`, {
      clause: '6.3.5',
      remedy: 'compare runs on the same samples',
    });
  if (a.length === 0) return 1;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/**
 * Mean Dice between two runs' binary masks, image by image (N masks of `pixels` each). Two empty
 * masks agree perfectly (Dice 1): here Dice measures the agreement of two runs, not accuracy.
 */
export function maskAgreement(a: Uint8Array, b: Uint8Array, pixels: number): number {
  if (a.length !== b.length)
    throw new EvaluationError(`mask lengths differ: ${a.length} vs ${b.length}`, {
      clause: '6.3.5',
      remedy: 'compare runs on the same samples',
    });
  const n = a.length / pixels;
  if (n === 0) return 1;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    let inter = 0;
    let sa = 0;
    let sb = 0;
    for (let i = k * pixels, e = i + pixels; i < e; i++) {
      const x = a[i]! ? 1 : 0;
      const y = b[i]! ? 1 : 0;
      inter += x & y;
      sa += x;
      sb += y;
    }
    sum += sa + sb === 0 ? 1 : (2 * inter) / (sa + sb);
  }
  return sum / n;
}
