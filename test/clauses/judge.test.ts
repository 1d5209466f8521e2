import * as assert from 'node:assert/strict';
import { judgeClaim, samplesNeeded } from '../../src/clauses/judge.js';
import type { ConfidenceInterval } from '../../src/results/types.js';
import { claim } from './tiny-case.js';

const ci = (low: number, high: number): ConfidenceInterval => ({ low, high, method: 'wilson', level: 0.95 });

describe('clauses/judge: decisions on the interval', () => {
  it('>=: met when the lower bound clears, not met when the upper bound cannot reach, else inconclusive with n needed', () => {
    const k = claim('5.2.3', 'dice', '>=', 0.85);
    assert.equal(judgeClaim(k, 0.88, undefined, { n: 40, ci: ci(0.86, 0.9) }).met, true);
    assert.equal(judgeClaim(k, 0.8, undefined, { n: 40, ci: ci(0.7, 0.84) }).met, false);
    // a Dice of 0.86 on 40 samples with [0.84, 0.88]: the threshold 0.85 sits inside the interval
    const inside = judgeClaim(k, 0.86, undefined, { n: 40, ci: ci(0.84, 0.88) });
    assert.equal(inside.met, null);
    assert.equal(inside.evidence!.rule, 'ci');
    // n' = 40 · (half-width 0.02 / |0.86 − 0.85|)² = 160 (to float rounding)
    assert.ok(Math.abs(inside.evidence!.nNeeded! - 160) <= 1, String(inside.evidence!.nNeeded));
    assert.match(
      inside.note!,
      /^insufficient evidence: the 95 % interval \[0\.84.*, 0\.88.*\] contains the threshold 0\.85\d*; about 16\d samples \(now 40\)/,
    );
  });

  it('an estimate on the threshold cannot be decided at this spread', () => {
    const r = judgeClaim(claim('5.2.3', 'dice', '>=', 0.85), 0.85, undefined, { n: 40, ci: ci(0.8, 0.9) });
    assert.equal(r.met, null);
    assert.equal(r.evidence!.nNeeded, null);
    assert.match(r.note!, /cannot be decided at this spread/);
    assert.equal(samplesNeeded(40, 0.85, ci(0.8, 0.9), 0.85), null);
  });

  it('<= and < mirror >=; == and within need the interval inside value ± tolerance', () => {
    const le = claim('5.2.4', 'latencyP99Ms', '<=', 5);
    assert.equal(judgeClaim(le, 3.5, undefined, { n: 20, ci: ci(3, 4) }).met, true);
    assert.equal(judgeClaim(le, 5.7, undefined, { n: 20, ci: ci(5.5, 6) }).met, false);
    assert.equal(judgeClaim(le, 5, undefined, { n: 20, ci: ci(4, 6) }).met, null);
    const lt = claim('5.2.4', 'latencyP99Ms', '<', 5);
    assert.equal(judgeClaim(lt, 4.5, undefined, { n: 20, ci: ci(4, 5) }).met, null, 'an upper bound on the threshold does not satisfy <');
    const w = claim('5.2.5', 'maxAbsDiff', 'within', 1, { tolerance: 0.1 });
    assert.equal(judgeClaim(w, 1, undefined, { n: 9, ci: ci(0.95, 1.05) }).met, true);
    assert.equal(judgeClaim(w, 1.25, undefined, { n: 9, ci: ci(1.2, 1.3) }).met, false);
    assert.equal(judgeClaim(w, 1.1, undefined, { n: 9, ci: ci(1.05, 1.2) }).met, null);
  });

  it('exact values decide as read; a lower bound never satisfies <= and can fail it; nothing measured is rule none', () => {
    const r = judgeClaim(claim('5.2.4', 'parameters', '<=', 650), 650, undefined, { rule: 'exact' });
    assert.deepEqual([r.met, r.evidence], [true, { n: null, estimate: 650, ci: null, rule: 'exact' }]);
    const lbLe = judgeClaim(claim('5.2.4', 'macs', '<=', 100), 50, undefined, { rule: 'lower-bound' });
    assert.equal(lbLe.met, null);
    assert.equal(judgeClaim(claim('5.2.4', 'macs', '<=', 10), 50, undefined, { rule: 'lower-bound' }).met, false);
    assert.equal(judgeClaim(claim('5.2.4', 'macs', '>=', 10), 50, undefined, { rule: 'lower-bound' }).met, true);
    const none = judgeClaim(claim('5.2.6', 'oodAuroc', '>=', 0.8), undefined);
    assert.deepEqual([none.met, none.evidence!.rule], [null, 'none']);
  });
});
