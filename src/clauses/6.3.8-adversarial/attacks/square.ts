/**
 * Square Attack (Andriushchenko, Croce, Flammarion & Hein, "Square Attack: a query-efficient
 * black-box adversarial attack via random search", ECCV 2020): a score-based random search that
 * changes one random square window per step and keeps the change when the loss drops.
 *
 * - L∞: starts from vertical stripes of ±ε (one sign per column and channel); each step sets a random
 *   s×s window (per channel one sign) to ±ε around the clean sample.
 * - L2: starts from Gaussian noise scaled to ‖δ‖₂ = ε; each step moves perturbation mass between two
 *   random windows (the second is emptied, the first gets a centred "nested squares" pattern with a
 *   random sign) and rescales the two windows so that ‖δ‖₂ stays ε (Alg. 3 of the paper in spirit).
 * - Feature vectors (no image shape): a "window" is a random subset of ⌈p·d⌉ features.
 * The window share p follows the paper's schedule (p halves at 10, 50, 200, 500, 1000, 2000, 4000,
 * 6000, 8000 of 10 000 iterations, rescaled to the query budget). Every candidate is clipped to the
 * valid range. Samples stop as soon as they are adversarial. Also registered as `random-search`.
 */
import { Rng } from '../../../util/random.js';
import { clipToBounds, CountingTarget, distance } from './common.js';
import type { AttackOptions, AttackResult, AttackTarget } from './types.js';

/** Square Attack settings beyond {@link AttackOptions}. */
export interface SquareOptions extends AttackOptions {
  /** Initial share of elements changed per step (default 0.1). */
  pInit?: number;
}

/**
 * The paper's schedule of the window share p for step `it` of a `maxIt`-step run.
 * @example
 * squareShare(0.1, 0, 1000); // 0.1
 */
export function squareShare(pInit: number, it: number, maxIt: number): number {
  const i = Math.round((it / Math.max(1, maxIt)) * 10000);
  const marks = [10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000];
  let p = pInit;
  for (const m of marks) if (i > m) p /= 2;
  return p;
}

/** A centred s×s pattern of nested squares (weights 1/(k+1)² summed outward), unit L2 norm, random half flipped. */
function nestedSquares(s: number, rng: Rng): Float64Array {
  const eta = new Float64Array(s * s);
  const c = (s - 1) / 2;
  const rings = Math.ceil(s / 2);
  for (let i = 0; i < s; i++)
    for (let j = 0; j < s; j++) {
      const d = Math.floor(Math.max(Math.abs(i - c), Math.abs(j - c)));
      let v = 0;
      for (let k = d; k < rings; k++) v += 1 / ((k + 1) * (k + 1));
      eta[i * s + j] = v;
    }
  if (rng.uniform() < 0.5) for (let i = 0; i < s; i++) for (let j = 0; j < Math.floor(s / 2); j++) eta[i * s + j] = -eta[i * s + j]!;
  let n = 0;
  for (const v of eta) n += v * v;
  n = Math.sqrt(n) || 1;
  for (let i = 0; i < eta.length; i++) eta[i] = eta[i]! / n;
  return eta;
}

/** Indices of one random window: a square per channel for images, a random feature subset otherwise. */
function randomWindow(t: AttackTarget, p: number, rng: Rng): { idx: number[]; s: number } {
  if (t.imageShape) {
    const [ch, h, w] = t.imageShape;
    const s = Math.max(1, Math.min(Math.round(Math.sqrt(p * h * w)), Math.min(h, w)));
    const r = rng.int(h - s + 1),
      c = rng.int(w - s + 1);
    const idx: number[] = [];
    for (let k = 0; k < ch; k++) for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) idx.push(k * h * w + (r + i) * w + (c + j));
    return { idx, s };
  }
  const k = Math.max(1, Math.min(t.dim, Math.round(p * t.dim)));
  const perm = rng.permutation(t.dim);
  return { idx: Array.from(perm.subarray(0, k)), s: k };
}

/** Initial perturbation of one sample (written into `out` at offset `o`). */
function initialise(t: AttackTarget, x0: Float32Array, o: number, out: Float32Array, opts: AttackOptions, rng: Rng): void {
  const d = t.dim,
    eps = opts.epsilon;
  if (opts.norm === 'linf') {
    if (t.imageShape) {
      const [ch, h, w] = t.imageShape;
      for (let k = 0; k < ch; k++)
        for (let j = 0; j < w; j++) {
          const sgn = rng.uniform() < 0.5 ? -1 : 1;
          for (let i = 0; i < h; i++) out[o + k * h * w + i * w + j] = x0[o + k * h * w + i * w + j]! + sgn * eps;
        }
    } else for (let i = 0; i < d; i++) out[o + i] = x0[o + i]! + (rng.uniform() < 0.5 ? -eps : eps);
  } else {
    const g = new Float64Array(d);
    let n = 0;
    for (let i = 0; i < d; i++) {
      g[i] = rng.normal();
      n += g[i]! * g[i]!;
    }
    n = Math.sqrt(n) || 1;
    for (let i = 0; i < d; i++) out[o + i] = x0[o + i]! + (eps * g[i]!) / n;
  }
  clipToBounds(out.subarray(o, o + d), t.lower, t.upper);
}

/** One random-search proposal for one sample: `cur` → `cand` (both at offset `o`). */
function propose(
  t: AttackTarget,
  x0: Float32Array,
  cur: Float32Array,
  cand: Float32Array,
  o: number,
  opts: AttackOptions,
  p: number,
  rng: Rng,
): void {
  const d = t.dim,
    eps = opts.epsilon;
  for (let i = 0; i < d; i++) cand[o + i] = cur[o + i]!;
  if (opts.norm === 'linf') {
    const { idx, s } = randomWindow(t, p, rng);
    const per = t.imageShape ? s * s : 1;
    let sgn = 1;
    idx.forEach((e, k) => {
      if (k % per === 0) sgn = rng.uniform() < 0.5 ? -1 : 1;
      cand[o + e] = x0[o + e]! + sgn * eps;
    });
  } else {
    const w1 = randomWindow(t, p, rng),
      w2 = randomWindow(t, p, rng);
    const inUnion = new Set([...w1.idx, ...w2.idx]);
    let rest = 0;
    for (let i = 0; i < d; i++) if (!inUnion.has(i)) rest += (cur[o + i]! - x0[o + i]!) ** 2;
    const budget = Math.sqrt(Math.max(eps * eps - rest, 0));
    const delta = new Map<number, number>();
    for (const e of inUnion) delta.set(e, 0);
    const per = t.imageShape ? w1.s * w1.s : w1.idx.length;
    const chans = t.imageShape ? t.imageShape[0] : 1;
    let eta = t.imageShape
      ? nestedSquares(w1.s, rng)
      : Float64Array.from(w1.idx, () => (rng.uniform() < 0.5 ? -1 : 1) / Math.sqrt(w1.idx.length));
    let sgn = 1;
    w1.idx.forEach((e, k) => {
      if (k % per === 0) {
        if (t.imageShape && k > 0) eta = nestedSquares(w1.s, rng);
        sgn = rng.uniform() < 0.5 ? -1 : 1;
      }
      delta.set(e, cur[o + e]! - x0[o + e]! + (sgn * eta[k % per]! * budget) / Math.sqrt(chans));
    });
    let n = 0;
    for (const v of delta.values()) n += v * v;
    const f = n > 0 ? budget / Math.sqrt(n) : 0;
    for (const [e, v] of delta) cand[o + e] = x0[o + e]! + v * f;
  }
  clipToBounds(cand.subarray(o, o + d), t.lower, t.upper);
}

/**
 * Runs Square Attack on `n = x0.length / target.dim` samples, all samples advancing together (one
 * batched query per step).
 * @param target the model as a black box
 * @param x0 clean samples
 * @param opts norm, ε, query limit per sample (initial query included), seed; `pInit`
 * @returns final candidates (within the ε-ball and the valid range), flags, distances, losses, queries
 * @example
 * const r = await squareAttack(target, x, { norm: 'linf', epsilon: 0.1, maxQueries: 200, seed: 42 });
 */
export async function squareAttack(target: AttackTarget, x0: Float32Array, opts: SquareOptions): Promise<AttackResult> {
  const d = target.dim,
    n = x0.length / d;
  const rng = new Rng(opts.seed);
  const ct = new CountingTarget(target, n);
  const cur = new Float32Array(x0.length);
  for (let k = 0; k < n; k++) initialise(target, x0, k * d, cur, opts, rng);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const first = await ct.query(cur, all);
  const loss = Float64Array.from(first.loss),
    adv = Uint8Array.from(first.adversarial);
  const maxIt = opts.maxQueries - 1;
  for (let it = 0; it < maxIt; it++) {
    const active = all.filter((i) => !adv[i]);
    if (!active.length) break;
    const p = squareShare(opts.pInit ?? 0.1, it, maxIt);
    const cand = new Float32Array(active.length * d);
    const curA = new Float32Array(active.length * d),
      x0A = new Float32Array(active.length * d);
    active.forEach((s, k) => {
      curA.set(cur.subarray(s * d, (s + 1) * d), k * d);
      x0A.set(x0.subarray(s * d, (s + 1) * d), k * d);
      propose(target, x0A, curA, cand, k * d, opts, p, rng);
    });
    const q = await ct.query(cand, active);
    active.forEach((s, k) => {
      if (q.loss[k]! < loss[s]! || q.adversarial[k]) {
        loss[s] = q.loss[k]!;
        adv[s] = q.adversarial[k]!;
        cur.set(cand.subarray(k * d, (k + 1) * d), s * d);
      }
    });
  }
  const dist = Float64Array.from({ length: n }, (_, k) => distance(cur, k * d, x0, k * d, d, opts.norm));
  return { xAdv: cur, adversarial: adv, distance: dist, loss, queries: ct.queries };
}
