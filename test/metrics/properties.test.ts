import { strict as assert } from 'node:assert';
import { InputError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/random.js';
import { accuracyScore, f1Score, precisionScore, recallScore, specificityScore } from '../../src/metrics/classification.js';
import { confusionMatrix } from '../../src/metrics/confusion.js';
import { averagePrecisionScore, rocAucScore } from '../../src/metrics/ranking.js';
import { segmentationMetrics } from '../../src/metrics/segmentation.js';
import { classificationReport } from '../../src/metrics/classification-report.js';
import { argsortAscending } from '../../src/metrics/sort.js';

type Metric = (y: number[], p: number[], s: number[], w?: number[]) => number;
const rng = new Rng(11);
const n = 300;
const y = Array.from({ length: n }, () => rng.int(3));
const p = y.map((v) => (rng.uniform() < 0.7 ? v : rng.int(3)));
const yb = y.map((v) => (v === 2 ? 1 : 0));
const pb = p.map((v) => (v === 2 ? 1 : 0));
const s = yb.map((v) => Math.round((0.3 * v + rng.uniform()) * 20) / 20);

/** The registry of label metrics the properties run over. */
const REGISTRY: Record<string, { metric: Metric; binary: boolean }> = {
  accuracy: { metric: (a, b, _s, w) => accuracyScore(a, b, { sampleWeight: w }), binary: false },
  precisionMacro: { metric: (a, b, _s, w) => precisionScore(a, b, { average: 'macro', sampleWeight: w }), binary: false },
  recallWeighted: { metric: (a, b, _s, w) => recallScore(a, b, { average: 'weighted', sampleWeight: w }), binary: false },
  f1Micro: { metric: (a, b, _s, w) => f1Score(a, b, { average: 'micro', sampleWeight: w }), binary: false },
  f1Binary: { metric: (a, b, _s, w) => f1Score(a, b, { sampleWeight: w }), binary: true },
  specificityMacro: { metric: (a, b, _s, w) => specificityScore(a, b, { average: 'macro', sampleWeight: w }), binary: false },
  rocAuc: { metric: (a, _b, sc, w) => rocAucScore(a, sc, { sampleWeight: w }), binary: true },
  averagePrecision: { metric: (a, _b, sc, w) => averagePrecisionScore(a, sc, { sampleWeight: w }), binary: true },
};

describe('metrics: properties over the registry', () => {
  const perm = Array.from(rng.permutation(n));
  for (const [name, { metric, binary }] of Object.entries(REGISTRY)) {
    const [a, b] = binary ? [yb, pb] : [y, p];
    it(`${name}: invariant to sample order`, () => {
      const v = metric(a, b, s);
      const u = metric(
        perm.map((i) => a[i]!),
        perm.map((i) => b[i]!),
        perm.map((i) => s[i]!),
      );
      assert.ok(Math.abs(u - v) < 1e-12, `${u} vs ${v}`);
    });
    it(`${name}: unit weights equal no weights; integer weights equal repetition`, () => {
      const v = metric(a, b, s);
      assert.ok(
        Math.abs(
          metric(
            a,
            b,
            s,
            a.map(() => 1),
          ) - v,
        ) < 1e-12,
      );
      const w = a.map((_, i) => 1 + (i % 3));
      const rep = (arr: number[]) => arr.flatMap((x, i) => Array(w[i]).fill(x) as number[]);
      assert.ok(Math.abs(metric(a, b, s, w) - metric(rep(a), rep(b), rep(s))) < 1e-12);
    });
  }
  it('confusion matrix of (p, y) is the transpose of (y, p)', () => {
    const m = confusionMatrix(y, p);
    const t = confusionMatrix(p, y);
    m.forEach((row, i) => row.forEach((v, j) => assert.equal(v, t[j]![i])));
  });
  it('F1 binary is symmetric in truth and prediction; micro F1 equals accuracy with all labels', () => {
    assert.ok(Math.abs(f1Score(yb, pb) - f1Score(pb, yb)) < 1e-15);
    assert.ok(Math.abs(f1Score(y, p, { average: 'micro' }) - accuracyScore(y, p)) < 1e-15);
  });
  it('Dice and IoU are symmetric in truth and prediction and Dice = 2·IoU/(1 + IoU) per image', () => {
    const shape = [4, 8, 8];
    const t = Uint8Array.from({ length: 256 }, () => (rng.uniform() < 0.4 ? 1 : 0));
    const q = Uint8Array.from(t, (v) => (rng.uniform() < 0.2 ? 1 - v : v));
    const a = segmentationMetrics(t, q, shape);
    const b = segmentationMetrics(q, t, shape);
    assert.equal(a.iou, b.iou);
    assert.equal(a.dice, b.dice);
    a.perImage.forEach((r) => assert.ok(Math.abs(r.dice - (2 * r.iou) / (1 + r.iou)) < 1e-12));
  });
  it('argsort is a stable ascending permutation (64-bit and float32 keys, ±0, ±∞)', () => {
    const v64 = Float64Array.from({ length: 5000 }, (_, i) => (i % 97 === 0 ? -0 : Math.round(rng.normal() * 10) / 10));
    const v32 = Float32Array.from({ length: 5000 }, (_, i) =>
      i % 89 === 0 ? -0 : i % 101 === 0 ? -Infinity : Math.round(rng.normal() * 8) / 8,
    );
    for (const v of [v64, v32, Array.from(v32)]) {
      const o = argsortAscending(v);
      assert.equal(new Set(o).size, v.length);
      for (let i = 1; i < v.length; i++) {
        assert.ok(v[o[i - 1]!]! <= v[o[i]!]!);
        if (v[o[i - 1]!] === v[o[i]!]) assert.ok(o[i - 1]! < o[i]!);
      }
    }
  });
});

describe('metrics: conventions and bad input', () => {
  it('records zero-division warnings instead of printing them', () => {
    const warnings: string[] = [];
    assert.equal(precisionScore([0, 1, 1], [0, 0, 0], { warnings }), 0);
    assert.match(warnings[0]!, /Precision is ill-defined/);
    assert.equal(precisionScore([0, 1, 1], [0, 0, 0], { zeroDivision: 1 }), 1);
    assert.ok(Number.isNaN(precisionScore([0, 1, 1], [0, 0, 0], { zeroDivision: NaN })));
    // NaN zero division: macro averages skip the undefined class (scikit-learn >= 1.3)
    assert.equal(precisionScore([0, 1, 2], [0, 1, 1], { average: 'macro', zeroDivision: NaN }), 0.75);
  });
  it('rejects bad input with InputError', () => {
    assert.throws(
      () => accuracyScore([0, 1], [0]),
      (e: unknown) => e instanceof InputError && /yPred has 1 entries but yTrue has 2/.test(e.message),
    );
    assert.throws(
      () => f1Score([0, 1, 2], [0, 1, 2]),
      (e: unknown) => e instanceof InputError && e.field === 'average',
    );
    assert.throws(
      () => f1Score([0, 1], [0, 1], { posLabel: 3 }),
      (e: unknown) => e instanceof InputError && e.field === 'posLabel',
    );
    assert.throws(
      () => rocAucScore([0, 1], [0.5, NaN]),
      (e: unknown) => e instanceof InputError && /not a finite number/.test(e.message),
    );
    assert.throws(() => accuracyScore([0, 1], [0, 1], { sampleWeight: [1, -1] }), InputError);
    assert.throws(
      () => confusionMatrix([0.5], [0]),
      (e: unknown) => e instanceof InputError && /not an integer/.test(e.message),
    );
    assert.throws(
      () => segmentationMetrics(new Uint8Array(4), new Uint8Array(8), [1, 2, 2]),
      (e: unknown) => e instanceof InputError && e.field === 'shape',
    );
    assert.throws(
      () => segmentationMetrics(Uint8Array.from([0, 2, 0, 0]), new Uint8Array(4), [1, 2, 2]),
      (e: unknown) => e instanceof InputError && /only 0 and 1/.test(e.message),
    );
  });
  it('ROC AUC with one class is NaN with a warning', () => {
    const warnings: string[] = [];
    assert.ok(Number.isNaN(rocAucScore([1, 1, 1], [0.2, 0.4, 0.9], { warnings })));
    assert.match(warnings[0]!, /Only one class/);
  });
  it('empty-mask policy: nan excludes, one counts as perfect', () => {
    const t = Uint8Array.from([1, 1, 0, 0, 0, 0, 0, 0]);
    const q = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0]);
    const a = segmentationMetrics(t, q, [2, 2, 2]);
    assert.ok(Number.isNaN(a.perImage[1]!.dice));
    assert.equal(a.meanPerImage.dice, 2 / 3);
    assert.equal(a.emptyCount, 1);
    const b = segmentationMetrics(t, q, [2, 2, 2], { emptyPolicy: 'one' });
    assert.equal(b.perImage[1]!.dice, 1);
    assert.equal(b.meanPerImage.dice, (2 / 3 + 1) / 2);
    assert.equal(a.dice, 2 / 3); // pooled: unaffected (the set is not empty)
  });
});

describe('metrics/segmentation counting paths', () => {
  it('WebAssembly SIMD (px % 16 = 0), packed JS (px % 4 = 0) and plain loops give identical results', () => {
    for (const shape of [
      [7, 16, 16],
      [7, 4, 5],
      [7, 3, 5],
    ]) {
      const len = shape[0]! * shape[1]! * shape[2]!;
      const t = Uint8Array.from({ length: len }, () => (rng.uniform() < 0.4 ? 1 : 0));
      const q = Uint8Array.from(t, (v) => (rng.uniform() < 0.2 ? 1 - v : v));
      t.fill(0, 0, shape[1]! * shape[2]!); // an empty first image
      const fast = segmentationMetrics(t, q, shape, { ci: false });
      const plain = segmentationMetrics(Array.from(t), Array.from(q), shape, { ci: false });
      assert.deepEqual(fast, plain);
      const bad = Uint8Array.from(t);
      bad[len - 1] = 3;
      assert.throws(
        () => segmentationMetrics(bad, q, shape),
        (e: unknown) => e instanceof InputError && /only 0 and 1/.test(e.message),
      );
    }
  });
});

describe('metrics/segmentation intervals', () => {
  it('bootstrap over images: seeded, brackets the pooled value, none with ci: false', () => {
    const shape = [30, 8, 8];
    const t = Uint8Array.from({ length: 30 * 64 }, () => (rng.uniform() < 0.4 ? 1 : 0));
    const q = Uint8Array.from(t, (v) => (rng.uniform() < 0.2 ? 1 - v : v));
    const a = segmentationMetrics(t, q, shape, { ci: { seed: 2, iterations: 300 } });
    assert.deepEqual(segmentationMetrics(t, q, shape, { ci: { seed: 2, iterations: 300 } }).ci, a.ci);
    for (const k of ['iou', 'dice', 'pixelAccuracy'] as const) {
      assert.ok(a.ci[k]!.low < a[k] && a[k] < a.ci[k]!.high, k);
      assert.equal(a.ci[k]!.method, 'bootstrap-percentile');
    }
    assert.deepEqual(segmentationMetrics(t, q, shape, { ci: false }).ci, {});
  });
});

describe('metrics/report', () => {
  it('headline figures equal the single metrics, with Wilson and bootstrap intervals', () => {
    const r = classificationReport(yb, pb, { scores: s, ci: { iterations: 200, seed: 1 } });
    assert.equal(r.average, 'binary');
    assert.equal(r.f1, f1Score(yb, pb));
    assert.equal(r.rocAuc, rocAucScore(yb, s));
    assert.equal(r.averagePrecision, averagePrecisionScore(yb, s));
    assert.equal(r.ci.accuracy!.method, 'wilson');
    assert.equal(r.ci.recall!.method, 'wilson');
    assert.equal(r.ci.f1!.method, 'bootstrap-percentile');
    for (const k of ['accuracy', 'precision', 'recall', 'f1', 'specificity', 'rocAuc', 'averagePrecision'] as const) {
      const ci = r.ci[k]!;
      assert.ok(ci.low <= (r[k] as number) && (r[k] as number) <= ci.high, `${k} ${ci.low} ${r[k]} ${ci.high}`);
    }
    assert.deepEqual(
      r.perClass.map((x) => x.label),
      [0, 1],
    );
    assert.deepEqual(classificationReport(yb, pb, { scores: s, ci: { iterations: 200, seed: 1 } }).ci, r.ci);
  });
  it('multiclass defaults to macro and takes N×K scores', () => {
    const probs = y.map((v) => [0, 1, 2].map((c) => (c === v ? 0.6 : 0.2)));
    const r = classificationReport(y, p, { scores: probs, ci: { iterations: 50 } });
    assert.equal(r.average, 'macro');
    assert.equal(r.rocAuc, rocAucScore(y, probs));
    assert.equal(r.precision, precisionScore(y, p, { average: 'macro' }));
    assert.equal(r.confusionMatrix.length, 3);
  });
});
