import * as assert from 'node:assert/strict';
import { analyzeConvergence, smoothCurve } from '../../src/training/convergence.js';

describe('training/analyzeConvergence', () => {
  it('smooths with an exponential moving average', () => {
    assert.deepEqual(smoothCurve([1, 0, 0], 0.5), [1, 0.5, 0.25]);
  });

  it('a decaying curve that flattens is converged, with the relative decrease and plateau', () => {
    const loss = Array.from({ length: 40 }, (_, i) => 0.2 + Math.exp(-i / 4));
    const a = analyzeConvergence(loss);
    assert.equal(a.status, 'converged');
    assert.ok(a.relativeDecrease > 0.7 && a.relativeDecrease < 0.85, String(a.relativeDecrease));
    assert.ok(a.plateauAt !== null && a.plateauAt > 10 && a.plateauAt < 39);
    assert.equal(a.diverged, false);
    assert.match(a.reasons.map((r) => r.en).join(' '), /plateau/);
  });

  it('a curve still falling steadily is "decreasing" (significant Mann–Kendall trend, no plateau)', () => {
    const a = analyzeConvergence(Array.from({ length: 20 }, (_, i) => 1 - i * 0.03));
    assert.equal(a.status, 'decreasing');
    assert.equal(a.trend.trend, 'decreasing');
    // last window of 5 strictly decreasing points: S = −10, Var = 50/3, z = −9/√(50/3), p = 0.0275
    assert.equal(a.window, 5);
    assert.equal(a.trend.s, -10);
    assert.ok(Math.abs(a.trend.pValue - 0.027486) < 1e-4);
  });

  it('NaN, explosion and a sustained rise are divergence, each with its reason', () => {
    const nan = analyzeConvergence([1, 0.8, NaN, NaN]);
    assert.equal(nan.status, 'diverged');
    assert.equal(nan.nonFiniteAt, 2);
    assert.match(nan.reasons[0]!.en, /non-finite \(NaN\) at point 3/);
    const boom = analyzeConvergence([1, 2, 5, 20, 80, 300]);
    assert.equal(boom.exploded, true);
    const rise = analyzeConvergence([1, 0.5, 0.4, 0.42, 0.45, 0.5, 0.55, 0.6, 0.66, 0.7], { smoothing: 1, window: 7 });
    assert.equal(rise.sustainedIncrease, true);
    assert.equal(rise.status, 'diverged');
    assert.match(rise.reasons.map((r) => r.en).join(' '), /rises significantly/);
  });

  it('a flat curve is not decreasing; the train–validation gap is reported', () => {
    const a = analyzeConvergence([0.5, 0.5, 0.5, 0.5, 0.5], { validation: [0.6, 0.6, 0.6, 0.6, 0.7] });
    assert.equal(a.status, 'not-decreasing');
    assert.ok(Math.abs(a.gap!.absolute - 0.2) < 1e-12);
    assert.ok(Math.abs(a.gap!.relative - 0.4) < 1e-12);
  });
});
