/**
 * The findings and evidence minimums added for assessor-grade verdicts: a collapsing training curve, a
 * metric undefined on some samples, 6.3.9's member/non-member minimum, the interval of the mean corruption
 * error, and the case's `decision.level` in 6.3.3 and 6.3.7. Expected values are hand-computed.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadCase } from '../../src/case/load.js';
import { curveCollapseFinding, undefinedMetricFinding } from '../../src/clauses/common/findings.js';
import { privacyShortfalls, PRIVACY_MINIMUM } from '../../src/clauses/6.3.9-privacy/evaluate.js';
import { corruptionErrorIntervals, corruptionErrors } from '../../src/clauses/6.3.6-robustness/judge.js';
import type { SeverityRow } from '../../src/clauses/6.3.6-robustness/types.js';
import type { SampleStats } from '../../src/clauses/common/task-score.js';
import { evaluateTransferability } from '../../src/clauses/6.3.3-transferability/evaluate.js';
import { evaluateGeneralization } from '../../src/clauses/6.3.7-generalization/evaluate.js';
import { copyCase, editJson } from '../case/helpers.js';

const stats = (num: number[], den: number[]): SampleStats => ({ metric: 'dice', num: Float64Array.from(num), den: Float64Array.from(den) });
const row = (severity: number, value: number): SeverityRow => ({
  corruption: 'noise',
  severity,
  params: '{}',
  metric: 'dice',
  value,
  low: value,
  high: value,
});

describe('clauses: collapse and undefined-metric findings, 6.3.9 minimum, mCE intervals, decision.level', function () {
  this.timeout(300_000);

  it('a validation metric below half its best epoch at the end is a collapse; a dip that recovers is not', () => {
    const f = curveCollapseFinding('5.2.3', { run: 'fine-tune', diverged: false, metric: 'dice', values: [0.5, 0.7, 0.2] })!;
    assert.equal(f.id, 'curve-collapse');
    assert.equal(f.severity, 'major');
    assert.deepEqual(f.measured, { run: 'fine-tune', diverged: false, metric: 'dice', best: 0.7, bestEpoch: 2, last: 0.2 });
    assert.match(f.text.en, /fell from its best 0\.700 \(epoch 2\) to 0\.200/);
    assert.ok(!/[a-z]{3}/i.test(f.text.zh.replace(/dice/g, '')), f.text.zh);
    // 0.36 ≥ 0.7 / 2 is not a collapse; a best in the last epoch is not either
    assert.equal(curveCollapseFinding('5.2.3', { run: 'fine-tune', diverged: false, metric: 'dice', values: [0.5, 0.7, 0.36] }), undefined);
    assert.equal(curveCollapseFinding('5.2.1', { run: 'training', diverged: false, metric: 'dice', values: [0.1, 0.2, 0.3] }), undefined);
    // a curve that never learned (best < 0.1) is not a collapse of the metric
    assert.equal(curveCollapseFinding('5.2.1', { run: 'training', diverged: false, metric: 'dice', values: [0.05, 0.01] }), undefined);
    const d = curveCollapseFinding('5.2.1', { run: 'training', diverged: true, status: 'diverged', metric: 'accuracy', values: [] })!;
    assert.match(d.text.en, /^the training curve collapses: the training loss diverged \(diverged\)$/);
    // a non-finite last epoch counts as collapsed
    const nan = curveCollapseFinding('5.2.3', { run: 'fine-tune', diverged: false, metric: 'dice', values: [0.6, NaN] })!;
    assert.equal((nan.measured as { last: number }).last, NaN);
  });

  it('a metric undefined on some samples is an info finding naming how many; none when all are defined', () => {
    assert.equal(
      undefinedMetricFinding(
        '5.2.7',
        { metric: 'Dice', undefinedOn: 0, of: 40, unit: 'images', why: 'empty-masks' },
        { zh: '测试集', en: 'test set' },
      ),
      undefined,
    );
    const f = undefinedMetricFinding(
      '5.2.7',
      { metric: 'Dice', undefinedOn: 3, of: 40, unit: 'images', why: 'empty-masks' },
      { zh: '测试集', en: 'test set' },
    )!;
    assert.equal(f.id, 'metric-undefined-empty-masks');
    assert.equal(f.severity, 'info');
    assert.match(f.text.en, /^Dice is undefined on 3 of 40 images of the test set \(their truth and prediction are both empty, 0\/0\)/);
    assert.match(f.text.zh, /3\/40 张图像真值与预测均为空/);
  });

  it('6.3.9: fewer than 100 members or non-members leave the membership claims below the evidence minimum', () => {
    assert.deepEqual(PRIVACY_MINIMUM, { members: 100, nonMembers: 100 });
    assert.deepEqual(privacyShortfalls(100, 100, ['mia']), []);
    assert.deepEqual(privacyShortfalls(40, 40, []), []);
    const [s] = privacyShortfalls(100, 60, ['mia', 'adv']);
    assert.equal(s!.id, 'budget-membership-samples');
    assert.equal(s!.item, '5.2.9.a');
    assert.deepEqual(s!.claims, ['mia', 'adv']);
    assert.equal(
      s!.text.en,
      '100 members and 60 non-members < 100 and 100, raise with -p samples=100 (the case must hold that many held-out samples)',
    );
  });

  it('6.3.6: the mean corruption error gets a paired image bootstrap; identical images give a zero-width interval', () => {
    // clean Dice 1 on every image; severity 1: 1/2 per image, severity 2: 0 → CE = mean(1 − 0.5, 1 − 0) = 0.75
    const rows = [row(1, 0.5), row(2, 0)];
    const clean = stats([2, 2, 2, 2], [2, 2, 2, 2]);
    const cells = [stats([1, 1, 1, 1], [2, 2, 2, 2]), stats([0, 0, 0, 0], [2, 2, 2, 2])];
    assert.equal(corruptionErrors(rows, 1)[0]!.corruptionError, 0.75);
    const ci = corruptionErrorIntervals(rows, cells, clean, undefined, { seed: 1, iterations: 50 });
    assert.deepEqual([ci.meanCorruptionError.low, ci.meanCorruptionError.high], [0.75, 0.75]);
    assert.deepEqual([ci.relativeCorruptionError.low, ci.relativeCorruptionError.high], [0.75, 0.75]);
    // images that differ: severity 1 pooled = (2 + 0) / (2 + 2) = 0.5, CE = (0.5 + 1) / 2 = 0.75 with a real spread
    const mixed = [stats([2, 0], [2, 2]), stats([0, 0], [2, 2])];
    const wide = corruptionErrorIntervals(rows, mixed, stats([2, 2], [2, 2]), undefined, { seed: 1, iterations: 200, level: 0.9 });
    // resamples of two images: severity 1 pooled is 1, 0.5 or 0 → CE 0.5, 0.75 or 1
    assert.ok(wide.meanCorruptionError.low === 0.5 && wide.meanCorruptionError.high === 1, JSON.stringify(wide));
    assert.equal(wide.meanCorruptionError.level, 0.9);
    assert.equal(wide.meanCorruptionError.method, 'bootstrap-percentile');
  });

  it("6.3.3 and 6.3.7 decide at the case's decision.level; 6.3.3's precision, recall … carry intervals of their own", async () => {
    const dir = copyCase('breast-cancer-classifier');
    editJson(join(dir, 'case.json'), (d) => (d.decision = { level: 0.8 }));
    const c = await loadCase(dir);
    const tr = await evaluateTransferability(c, { epochs: 2, bootstrapIterations: 100, outDir: dir });
    const ft = tr.scores.find((s) => s.model === 'fine-tuned')!;
    for (const k of ['accuracy', 'precision', 'recall', 'f1', 'specificity']) assert.equal(ft.cis[k]?.level, 0.8, k);
    const decided = tr.result.claims.filter((k) => k.evidence?.rule === 'ci');
    assert.ok(decided.length > 0);
    for (const k of decided) assert.equal(k.evidence!.ci!.level, 0.8, k.id);
    const gen = await evaluateGeneralization(c, { ep: 'cpu', iterations: 100 });
    const withCi = gen.result.claims.filter((k) => k.evidence?.ci);
    assert.ok(withCi.length > 0);
    for (const k of withCi) assert.equal(k.evidence!.ci!.level, 0.8, k.id);
  });
});
