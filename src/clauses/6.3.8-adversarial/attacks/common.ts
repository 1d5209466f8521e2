/**
 * Helpers shared by the attacks: per-sample query counting, clipping to the valid range, norms and
 * projections onto the ε-ball.
 */
import type { AttackTarget, Norm, QueryResult } from './types.js';

/** A target wrapper that counts queries per original sample. */
export class CountingTarget {
  /** Queries spent per sample. */
  readonly queries: Int32Array;

  /**
   * @param target the wrapped target
   * @param n number of original samples
   */
  constructor(
    readonly target: AttackTarget,
    n: number,
  ) {
    this.queries = new Int32Array(n);
  }

  /** Queries `x` (`idx.length` candidates) and counts one query for each. */
  async query(x: Float32Array, idx: Int32Array): Promise<QueryResult> {
    for (const i of idx) this.queries[i]!++;
    return this.target.query(x, idx);
  }
}

/** Clips `x` (one sample or many, `dim` per sample) into the target's bounds, in place. */
export function clipToBounds(x: Float32Array, lower: Float32Array, upper: Float32Array): Float32Array {
  const d = lower.length;
  for (let i = 0; i < x.length; i++) {
    const j = i % d;
    const v = x[i]!;
    x[i] = v < lower[j]! ? lower[j]! : v > upper[j]! ? upper[j]! : v;
  }
  return x;
}

/** ‖a − b‖ in the given norm over `dim` elements starting at `ao` in `a` and `bo` in `b`. */
export function distance(a: Float32Array, ao: number, b: Float32Array, bo: number, dim: number, norm: Norm): number {
  let s = 0;
  for (let i = 0; i < dim; i++) {
    const v = Math.abs(a[ao + i]! - b[bo + i]!);
    if (norm === 'linf') s = Math.max(s, v);
    else s += v * v;
  }
  return norm === 'linf' ? s : Math.sqrt(s);
}

/**
 * Projects `xa` onto the ε-ball around `x` (L∞: clip each element; L2: scale the difference), then into bounds.
 * @returns a new sample
 */
export function projectBall(
  x: Float32Array,
  xa: Float32Array,
  eps: number,
  norm: Norm,
  lower: Float32Array,
  upper: Float32Array,
): Float32Array {
  const out = new Float32Array(x.length);
  if (norm === 'linf') {
    for (let i = 0; i < x.length; i++) out[i] = Math.min(x[i]! + eps, Math.max(x[i]! - eps, xa[i]!));
  } else {
    const d = distance(x, 0, xa, 0, x.length, 'l2');
    const f = d > eps && d > 0 ? eps / d : 1;
    for (let i = 0; i < x.length; i++) out[i] = x[i]! + (xa[i]! - x[i]!) * f;
  }
  return clipToBounds(out, lower, upper);
}
