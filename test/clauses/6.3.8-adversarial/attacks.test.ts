/**
 * Attacks against JavaScript targets with known answers: a linear classifier (the exact minimal
 * L2 / L∞ distance to its decision boundary is |w·x + b| / ‖w‖₂ / ‖w‖₁) and a model that ignores its input.
 */
import * as assert from 'node:assert/strict';
import { getAttack, listAttacks } from '../../../src/clauses/6.3.8-adversarial/attacks/registry.js';
import { hopSkipJump } from '../../../src/clauses/6.3.8-adversarial/attacks/hopskipjump.js';
import { squareAttack, squareShare } from '../../../src/clauses/6.3.8-adversarial/attacks/square.js';
import { type AttackTarget } from '../../../src/clauses/6.3.8-adversarial/attacks/types.js';
import { InputError } from '../../../src/util/errors.js';

const W = [1.5, -2, 0.5, 1];
const B = -0.25;

/** Class 1 when w·x + b > 0; samples are attacked away from their clean class. */
function linearTarget(dim = 4, lo = -10, hi = 10, x0?: Float32Array): AttackTarget & { calls: number } {
  const t = {
    dim,
    calls: 0,
    lower: new Float32Array(dim).fill(lo),
    upper: new Float32Array(dim).fill(hi),
    async query(x: Float32Array, idx: Int32Array) {
      t.calls += idx.length;
      const loss = new Float64Array(idx.length),
        adversarial = new Uint8Array(idx.length);
      for (let k = 0; k < idx.length; k++) {
        let z = B,
          z0 = B;
        for (let i = 0; i < dim; i++) {
          z += W[i]! * x[k * dim + i]!;
          z0 += W[i]! * x0![idx[k]! * dim + i]!;
        }
        loss[k] = z0 > 0 ? z : -z; // margin of the clean class
        adversarial[k] = z > 0 !== z0 > 0 ? 1 : 0;
      }
      return { loss, adversarial };
    },
  };
  return t;
}

const X = Float32Array.from([0.4, -0.2, 0.1, 0.3, -0.5, 0.2, 0.3, -0.1, 1, 0, 0, 0]);
const margin = (s: number) => Math.abs(W.reduce((a, w, i) => a + w * X[s * 4 + i]!, B));
const l2 = Math.hypot(...W),
  l1 = W.reduce((a, w) => a + Math.abs(w), 0);

describe('attacks', () => {
  it('registry: explicit list, aliases, unknown names rejected with InputError', () => {
    assert.deepEqual(
      listAttacks().map((a) => a.name),
      ['square', 'hopskipjump'],
    );
    assert.equal(getAttack('random-search').name, 'square');
    assert.equal(getAttack('HSJ').kind, 'decision');
    assert.throws(
      () => getAttack('fgsm'),
      (e: unknown) => e instanceof InputError && /unknown attack "fgsm"/.test(e.message) && /random-search/.test(e.remedy ?? ''),
    );
  });

  it("square share schedule halves at the paper's marks", () => {
    assert.equal(squareShare(0.8, 0, 10000), 0.8);
    assert.equal(squareShare(0.8, 11, 10000), 0.4);
    assert.equal(squareShare(0.8, 9000, 10000), 0.8 / 512);
  });

  for (const norm of ['linf', 'l2'] as const) {
    it(`square ${norm}: a big ε fools the linear model; perturbations stay in the ball; queries counted`, async () => {
      const t = linearTarget(4, -10, 10, X);
      const eps = 3;
      const r = await squareAttack(t, X, { norm, epsilon: eps, maxQueries: 100, seed: 1 });
      assert.deepEqual(Array.from(r.adversarial), [1, 1, 1]);
      for (let s = 0; s < 3; s++) assert.ok(r.distance[s]! <= eps + 1e-5, `distance ${r.distance[s]}`);
      assert.equal(
        r.queries.reduce((a, b) => a + b, 0),
        t.calls,
      );
      assert.ok(Array.from(r.queries).every((q) => q >= 1 && q <= 100));
      const again = await squareAttack(linearTarget(4, -10, 10, X), X, { norm, epsilon: eps, maxQueries: 100, seed: 1 });
      assert.deepEqual(Array.from(again.xAdv), Array.from(r.xAdv));
    });

    it(`square ${norm}: an ε below the exact boundary distance never succeeds`, async () => {
      const exact = Math.min(...[0, 1, 2].map((s) => margin(s) / (norm === 'l2' ? l2 : l1)));
      const r = await squareAttack(linearTarget(4, -10, 10, X), X, { norm, epsilon: exact * 0.95, maxQueries: 60, seed: 2 });
      assert.deepEqual(Array.from(r.adversarial), [0, 0, 0]);
      assert.deepEqual(Array.from(r.queries), [60, 60, 60]);
    });

    it(`hopskipjump ${norm}: finds a distance close to the exact minimum`, async () => {
      const r = await hopSkipJump(linearTarget(4, -10, 10, X), X, { norm, epsilon: 1, maxQueries: 600, seed: 3 });
      for (let s = 0; s < 3; s++) {
        const exact = margin(s) / (norm === 'l2' ? l2 : l1);
        assert.ok(r.distance[s]! >= exact * (1 - 1e-3), `below the minimum: ${r.distance[s]} < ${exact}`);
        assert.ok(r.distance[s]! <= exact * 1.25, `sample ${s}: ${r.distance[s]} vs exact ${exact}`);
        assert.ok(r.queries[s]! <= 600);
      }
    });
  }

  it('a model that ignores its input is never fooled (both attacks)', async () => {
    const constant: AttackTarget = {
      dim: 4,
      lower: new Float32Array(4).fill(-10),
      upper: new Float32Array(4).fill(10),
      async query(_x, idx) {
        return { loss: new Float64Array(idx.length).fill(0.9), adversarial: new Uint8Array(idx.length) };
      },
    };
    const sq = await squareAttack(constant, X, { norm: 'linf', epsilon: 100, maxQueries: 40, seed: 4 });
    assert.deepEqual(Array.from(sq.adversarial), [0, 0, 0]);
    assert.deepEqual(Array.from(sq.queries), [40, 40, 40]);
    const hsj = await hopSkipJump(constant, X, { norm: 'l2', epsilon: 100, maxQueries: 40, seed: 4 });
    assert.deepEqual(Array.from(hsj.adversarial), [0, 0, 0]);
    assert.deepEqual(Array.from(hsj.distance), [Infinity, Infinity, Infinity]);
  });

  it('square on images keeps the valid range', async () => {
    const dim = 2 * 8 * 8;
    const x = new Float32Array(dim).fill(0.95);
    const t: AttackTarget = {
      dim,
      imageShape: [2, 8, 8],
      lower: new Float32Array(dim),
      upper: new Float32Array(dim).fill(1),
      async query(c, idx) {
        return {
          loss: Float64Array.from(idx, (_, k) => c.subarray(k * dim, (k + 1) * dim).reduce((a, b) => a + b, 0)),
          adversarial: new Uint8Array(idx.length),
        };
      },
    };
    for (const norm of ['linf', 'l2'] as const) {
      const r = await squareAttack(t, x, { norm, epsilon: 0.5, maxQueries: 30, seed: 5 });
      assert.ok(r.xAdv.every((v) => v >= 0 && v <= 1));
      assert.ok(r.distance[0]! <= 0.5 + 1e-5 && r.distance[0]! > 0);
      assert.ok(r.loss[0]! < 0.95 * dim);
    }
  });
});
