/**
 * HopSkipJump (Chen, Jordan & Wainwright, "HopSkipJumpAttack: a query-efficient decision-based
 * attack", IEEE S&P 2020): uses only the model's decision (adversarial or not). From an adversarial
 * starting point (uniform noise in the valid range) it repeats: binary search to the decision
 * boundary, Monte-Carlo estimate of the boundary's gradient direction from random probes, a geometric
 * step along it, and so minimises the distance to the clean sample under the query budget.
 *
 * Unlike a score-based attack it is not bounded by ε: it returns the smallest adversarial distance it
 * found per sample, and robust accuracy at ε counts the samples whose distance exceeds ε (or for
 * which no adversarial point was found). Parameters as in the paper: θ = d^(−3/2) (L2) or d^(−2)
 * (L∞) for the binary search, 100·√t probes at step t (capped at 1000), step ‖δ‖/√t.
 */
import { Rng } from '../../../util/random.js';
import { clipToBounds, CountingTarget, distance } from './common.js';
import type { AttackOptions, AttackResult, AttackTarget, Norm } from './types.js';

/** HopSkipJump settings beyond {@link AttackOptions}. */
export interface HopSkipJumpOptions extends AttackOptions {
  /** Probes for the first gradient estimate (default 100; grows with √t). */
  initEvals?: number;
  /** Random starting points tried before giving up (default 50). */
  initTries?: number;
}

/** Blends `x` and `xa` at `alpha` (L2: convex combination; L∞: clip `xa` to the box of radius alpha around `x`). */
function blend(x: Float32Array, xa: Float32Array, alpha: number, norm: Norm, dist: number): Float32Array {
  const out = new Float32Array(x.length);
  if (norm === 'l2') for (let i = 0; i < x.length; i++) out[i] = (1 - alpha) * x[i]! + alpha * xa[i]!;
  else {
    const r = alpha * dist;
    for (let i = 0; i < x.length; i++) out[i] = Math.min(x[i]! + r, Math.max(x[i]! - r, xa[i]!));
  }
  return out;
}

/**
 * Runs HopSkipJump on each sample of `x0` in turn (the probes of one gradient estimate go as one batch).
 * A sample that is adversarial already (e.g. misclassified) gets distance 0 after one query.
 * @param target the model as a black box (only `adversarial` is used)
 * @param x0 clean samples, `n × dim`
 * @param opts norm, query limit per sample, seed (ε is not used by the search; evaluate distances against it)
 * @returns the closest adversarial points found, their distances (`Infinity` when none), queries
 * @example
 * const r = await hopSkipJump(target, x, { norm: 'l2', epsilon: 1, maxQueries: 500, seed: 42 });
 */
export async function hopSkipJump(target: AttackTarget, x0: Float32Array, opts: HopSkipJumpOptions): Promise<AttackResult> {
  const d = target.dim,
    n = x0.length / d;
  const rng = new Rng(opts.seed);
  const ct = new CountingTarget(target, n);
  const xAdv = new Float32Array(x0);
  const adv = new Uint8Array(n),
    dist = new Float64Array(n).fill(Infinity),
    loss = new Float64Array(n).fill(NaN);
  const theta = opts.norm === 'l2' ? d ** -1.5 : d ** -2;
  for (let s = 0; s < n; s++) {
    const x = x0.slice(s * d, (s + 1) * d);
    const idx1 = Int32Array.of(s);
    const left = () => opts.maxQueries - ct.queries[s]!;
    const isAdv = async (c: Float32Array) => (await ct.query(c, idx1)).adversarial[0] === 1;
    const q0 = await ct.query(x, idx1);
    loss[s] = q0.loss[0]!;
    if (q0.adversarial[0]) {
      adv[s] = 1;
      dist[s] = 0;
      continue;
    }
    let cur: Float32Array | undefined;
    for (let k = 0; k < (opts.initTries ?? 50) && left() > 0; k++) {
      const r = new Float32Array(d);
      for (let i = 0; i < d; i++) r[i] = target.lower[i]! + rng.uniform() * (target.upper[i]! - target.lower[i]!);
      if (await isAdv(r)) {
        cur = r;
        break;
      }
    }
    if (!cur) continue;
    const boundary = async (xa: Float32Array): Promise<Float32Array> => {
      const dd = distance(x, 0, xa, 0, d, opts.norm);
      let lo = 0,
        hi = 1;
      while (hi - lo > theta / Math.max(dd, 1e-12) && left() > 0) {
        const mid = (lo + hi) / 2;
        if (await isAdv(blend(x, xa, mid, opts.norm, dd))) hi = mid;
        else lo = mid;
        if (hi - lo < 1e-7) break;
      }
      return blend(x, xa, hi, opts.norm, dd);
    };
    cur = await boundary(cur);
    let dcur = distance(x, 0, cur, 0, d, opts.norm);
    for (let t = 1; left() > 1; t++) {
      const delta = t === 1 ? 0.1 * meanRange(target) : (opts.norm === 'l2' ? Math.sqrt(d) : d) * theta * dcur;
      const evals = Math.min(Math.floor((opts.initEvals ?? 100) * Math.sqrt(t)), 1000, left() - 1);
      if (evals < 2) break;
      const probes = new Float32Array(evals * d),
        us = new Float64Array(evals * d);
      for (let b = 0; b < evals; b++) {
        let nn = 0;
        for (let i = 0; i < d; i++) {
          us[b * d + i] = rng.normal();
          nn += us[b * d + i]! ** 2;
        }
        nn = Math.sqrt(nn) || 1;
        for (let i = 0; i < d; i++) probes[b * d + i] = cur[i]! + (delta * us[b * d + i]!) / nn;
      }
      clipToBounds(probes, target.lower, target.upper);
      const q = await ct.query(probes, new Int32Array(evals).fill(s));
      const phi = Float64Array.from(q.adversarial, (a) => (a ? 1 : -1));
      const mean = phi.reduce((a, b) => a + b, 0) / evals;
      const centred = Math.abs(mean) === 1 ? 0 : mean;
      const grad = new Float64Array(d);
      for (let b = 0; b < evals; b++) for (let i = 0; i < d; i++) grad[i] += ((phi[b]! - centred) * (probes[b * d + i]! - cur[i]!)) / delta;
      let gn = 0;
      for (let i = 0; i < d; i++) gn += grad[i]! ** 2;
      gn = Math.sqrt(gn);
      if (!(gn > 0)) break;
      const dir = Float64Array.from(grad, (g) => (opts.norm === 'linf' ? Math.sign(g) : g / gn));
      let step = dcur / Math.sqrt(t);
      let next: Float32Array | undefined;
      while (left() > 0 && step > 1e-9) {
        const c = Float32Array.from(cur, (v, i) => v + step * dir[i]!);
        clipToBounds(c, target.lower, target.upper);
        if (await isAdv(c)) {
          next = c;
          break;
        }
        step /= 2;
      }
      if (!next) break;
      const b = await boundary(next);
      const db = distance(x, 0, b, 0, d, opts.norm);
      if (db < dcur) {
        cur = b;
        dcur = db;
      }
    }
    xAdv.set(cur, s * d);
    adv[s] = 1;
    dist[s] = dcur;
  }
  return { xAdv, adversarial: adv, distance: dist, loss, queries: ct.queries };
}

function meanRange(t: AttackTarget): number {
  let s = 0;
  for (let i = 0; i < t.dim; i++) s += t.upper[i]! - t.lower[i]!;
  return s / t.dim;
}
