import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../src/util/errors.js';
import {
  benjaminiHochberg,
  chiSquareCdf,
  chiSquareTest,
  mannKendall,
  normalCdf,
  normalQuantile,
  twoProportionZTest,
} from '../../src/metrics/stats.js';
import { bootstrapCI, percentileInterval, wilsonInterval } from '../../src/metrics/ci.js';
import { accuracyScore } from '../../src/metrics/classification.js';

const S = JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/metrics/reference.json'), 'utf8')).stats;
const rel = (got: number, want: number, tol: number, what: string) =>
  assert.ok(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)), `${what}: ${got} vs ${want}`);

describe('metrics/stats vs SciPy', () => {
  it('normal CDF and quantile', () => {
    for (const [x, p] of S.normalCdf) assert.ok(Math.abs(normalCdf(x) - p) <= 1e-12 * Math.max(p, 1e-300) + 1e-15, `cdf(${x})`);
    for (const [p, x] of S.normalQuantile) rel(normalQuantile(p), x, 1e-9, `ppf(${p})`);
    assert.equal(normalQuantile(0), -Infinity);
    assert.ok(Number.isNaN(normalQuantile(1.5)));
  });
  it('chi-square survival function and test of independence (no Yates correction)', () => {
    for (const [x, df, sf] of S.chiSquareSf) rel(chiSquareCdf(x, df, true), sf, 1e-10, `sf(${x}, ${df})`);
    const t = chiSquareTest(S.chiSquareTest.table);
    rel(t.statistic, S.chiSquareTest.statistic, 1e-10, 'statistic');
    rel(t.pValue, S.chiSquareTest.pValue, 1e-10, 'p');
    assert.equal(t.df, S.chiSquareTest.df);
    t.expected.flat().forEach((e, i) => rel(e, S.chiSquareTest.expected.flat()[i], 1e-12, 'expected'));
    assert.throws(() => chiSquareTest([[1, 2]]), InputError);
  });
  it('two-proportion z-test', () => {
    const r = twoProportionZTest(S.twoProportion.x1, S.twoProportion.n1, S.twoProportion.x2, S.twoProportion.n2);
    rel(r.z, S.twoProportion.z, 1e-12, 'z');
    rel(r.pValue, S.twoProportion.pValue, 1e-10, 'p');
    assert.throws(() => twoProportionZTest(5, 4, 1, 2), InputError);
  });
  it('Benjamini–Hochberg', () => {
    const r = benjaminiHochberg(S.bh.pValues, 0.05);
    assert.deepEqual(r.rejected, S.bh.rejected);
    r.adjusted.forEach((a, i) => rel(a, S.bh.adjusted[i], 1e-12, `adj[${i}]`));
    assert.deepEqual(benjaminiHochberg([0.01, 0.04, 0.03, 0.2], 0.05).rejected, [true, false, false, false]);
  });
  it('Mann–Kendall with ties', () => {
    const r = mannKendall(S.mannKendall.series);
    assert.equal(r.s, S.mannKendall.s);
    rel(r.varS, S.mannKendall.varS, 1e-12, 'var');
    rel(r.z, S.mannKendall.z, 1e-12, 'z');
    rel(r.pValue, S.mannKendall.pValue, 1e-10, 'p');
    assert.equal(r.trend, 'decreasing');
    assert.throws(() => mannKendall([1, 2]), InputError);
  });
});

describe('metrics/ci', () => {
  it('Wilson interval equals the closed form', () => {
    for (const [x, n, level, lo, hi] of S.wilson) {
      const ci = wilsonInterval(x, n, level);
      rel(ci.low, Math.max(0, lo), 1e-12, 'low');
      rel(ci.high, Math.min(1, hi), 1e-12, 'high');
      assert.equal(ci.method, 'wilson');
      assert.equal(ci.level, level);
    }
    rel(wilsonInterval(8, 10).low, 0.4901624, 1e-6, 'textbook value');
    assert.deepEqual(wilsonInterval(0, 0), { low: 0, high: 1, method: 'wilson', level: 0.95 });
    assert.throws(() => wilsonInterval(3, 2), InputError);
    assert.throws(() => wilsonInterval(1, 2, 95), InputError);
  });
  it('percentile interval uses linear interpolation and drops NaN', () => {
    const ci = percentileInterval([NaN, 4, 1, 3, 2, 5], 0.5);
    assert.equal(ci.low, 2);
    assert.equal(ci.high, 4);
  });
  it('bootstrap is seeded, brackets the estimate and narrows with n', () => {
    const mk = (n: number) => {
      const y = Array.from({ length: n }, (_, i) => i % 2);
      const p = y.map((v, i) => (i % 5 === 0 ? 1 - v : v)); // 80 % accurate
      return {
        y,
        p,
        stat: (idx: Int32Array) =>
          accuracyScore(
            Array.from(idx, (i) => y[i]!),
            Array.from(idx, (i) => p[i]!),
          ),
      };
    };
    const a = mk(200);
    const c1 = bootstrapCI(a.stat, 200, { seed: 3, iterations: 300 });
    const c2 = bootstrapCI(a.stat, 200, { seed: 3, iterations: 300 });
    assert.deepEqual(c1, c2);
    assert.equal(c1.method, 'bootstrap-percentile');
    assert.ok(c1.low < 0.8 && 0.8 < c1.high, JSON.stringify(c1));
    const w = wilsonInterval(160, 200);
    assert.ok(Math.abs(c1.low - w.low) < 0.03 && Math.abs(c1.high - w.high) < 0.03, 'close to Wilson');
    const b = mk(2000);
    const c3 = bootstrapCI(b.stat, 2000, { seed: 3, iterations: 200 });
    assert.ok(c3.high - c3.low < (c1.high - c1.low) / 2);
    assert.notDeepEqual(bootstrapCI(a.stat, 200, { seed: 4, iterations: 300 }), c1);
    assert.throws(() => bootstrapCI(a.stat, 0), InputError);
  });
});
