/**
 * 6.3.8 on ONNX models with known answers: the linear 4→2 fixture is fooled at a big ε (queries
 * counted and capped); the model that ignores its input is never fooled; claims with the
 * `random-search` alias are judged; no claim → inconclusive; reruns are identical; the result is valid.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateAdversarial, judgeAdversarial } from '../../../src/clauses/6.3.8-adversarial/evaluate.js';
import { hardDice, softDice, validRange } from '../../../src/clauses/6.3.8-adversarial/target.js';
import { saveClauseEvaluation } from '../../../src/clauses/clause.js';
import { InputError } from '../../../src/util/errors.js';
import { constantCase, thresholdSegCase } from '../security-case.js';
import { claim, tinyCase } from '../tiny-case.js';
import { assertBilingual } from '../bilingual.js';

const BIG = {
  epsilons: { linf: [5], l2: [10] },
  bounds: [-100, 100] as [number, number],
  maxQueries: 80,
  decisionQueries: 150,
  samples: 12,
  seed: 9,
};

describe('6.3.8 adversarial', function () {
  this.timeout(60000);

  it('a big ε fools every clean-correct sample of the linear model; queries are counted and capped', async () => {
    const c = await tinyCase('linear', [
      claim('5.2.8', 'robustAccuracy', '>=', 0.9, { conditions: { attack: 'random-search', norm: 'linf', epsilon: 5 } }),
    ]);
    const ev = await evaluateAdversarial(c, BIG);
    assert.deepEqual(
      [...new Set(ev.rows.map((r) => `${r.attack}/${r.norm}`))],
      ['square/linf', 'square/l2', 'hopskipjump/linf', 'hopskipjump/l2'],
    );
    for (const r of ev.rows) {
      assert.equal(r.attackSuccessRate, 1, `${r.attack} ${r.norm}`);
      assert.equal(r.robust, 0);
      assert.ok(r.meanQueries >= 1 && r.meanQueries <= r.maxQueries, `${r.meanQueries}`);
    }
    // 12 samples × ≤ 80 queries is under the judging budget: the claim is withheld, the interval alone fails it
    assert.equal(ev.result.verdict, 'inconclusive');
    assert.match(ev.result.claims[0]!.note ?? '', /evidence budget below minimum: 12 attacked samples < 20, raise with -p samples=20/);
    assert.equal(judgeAdversarial(c.claims.claims[0]!, ev.rows, false).met, false);
    assert.equal(ev.result.claims[0]!.measured, 0);
    assert.match(ev.result.claims[0]!.note ?? '', /"random-search" = square/);
    assert.deepEqual(ev.result.settings.epsilons, { linf: [5], l2: [10] });
  });

  it('a model that ignores its input is never fooled: robust accuracy = clean accuracy', async () => {
    const c = await constantCase([
      claim('5.2.8', 'attackSuccessRate', '<=', 0, { conditions: { attack: 'square', norm: 'l2', epsilon: 10 } }),
    ]);
    const ev = await evaluateAdversarial(c, BIG);
    for (const r of ev.rows) {
      assert.equal(r.attackSuccessRate, 0, `${r.attack} ${r.norm}`);
      assert.equal(r.robust, r.clean);
    }
    assert.equal(ev.rows[0]!.clean, 0.5); // the tiny labels alternate; the constant model always says "a"
    const sq = ev.rows.filter((r) => r.attack === 'square');
    // the 6 clean-correct samples spend the whole budget; the 6 misclassified ones stop after the first query
    assert.ok(
      sq.every((r) => r.meanQueries === (6 * 80 + 6 * 1) / 12),
      `${sq.map((r) => r.meanQueries)}`,
    );
    // a success rate of 0 of 6 has a Wilson interval reaching 0.39: "≤ 0" cannot be shown on 6 samples
    assert.equal(judgeAdversarial(c.claims.claims[0]!, ev.rows, false).met, null);
    assert.equal(ev.result.verdict, 'inconclusive');
  });

  it('no claim → inconclusive (5.2.8 is "should"); reruns give identical numbers; the result is valid', async () => {
    const c = await tinyCase('linear', []);
    const opts = {
      epsilons: { linf: [0.1, 0.5], l2: [0.5] },
      maxQueries: 30,
      decisionQueries: 60,
      samples: 8,
      seed: 3,
      attacks: ['square', 'hsj'],
    };
    const a = await evaluateAdversarial(c, opts);
    const b = await evaluateAdversarial(c, opts);
    assert.deepEqual(a.rows, b.rows);
    assert.equal(a.result.verdict, 'inconclusive');
    const rationale = a.result.rationale as { zh: string; en: string };
    assert.match(rationale.en, /no claim.*"should"/);
    assert.match(rationale.zh, /未对该条款作出任何声称.*“宜”要求/);
    assert.deepEqual(a.result.settings.validRange, {
      zh: '被评估数据集在模型空间中逐元素的最小值至最大值',
      en: 'per-element min..max of the evaluated data set in model space',
    });
    assertBilingual(a.result.settings.space, 'settings.space');
    const out = mkdtempSync(join(tmpdir(), 'ptmc-adv-'));
    const written = await saveClauseEvaluation(out, a);
    assert.equal(written.clause, '6.3.8');
    assert.ok(existsSync(join(out, 'results', '6.3.8.json')));
    assert.deepEqual(
      written.figures.map((f) => f.name),
      ['sweep-linf', 'sweep-l2', 'examples'],
    );
  });

  it('claims: unknown attack → InputError; unmeasured metric → not judged', async () => {
    const c = await tinyCase('linear', [
      claim('5.2.8', 'robustAccuracy', '>=', 0.5, { conditions: { attack: 'fgsm', norm: 'linf', epsilon: 0.1 } }),
    ]);
    await assert.rejects(
      evaluateAdversarial(c, { samples: 4 }),
      (e: unknown) => e instanceof InputError && /unknown attack "fgsm"/.test(e.message),
    );
    const check = judgeAdversarial(claim('5.2.8', 'robustDice', '>=', 0.5), [], false);
    assert.equal(check.met, null);
    assert.match(check.note ?? '', /not measured by 6\.3\.8/);
  });

  it('helpers: soft and hard Dice by hand; valid range from the affine clip or from the data', async () => {
    const g = Uint8Array.of(1, 1, 0, 0);
    assert.equal(softDice(Float32Array.of(1, 0.5, 0.5, 0), 0, g, 0, 4), (2 * 1.5) / (2 + 2));
    assert.equal(hardDice(Uint8Array.of(1, 0, 1, 0), 0, g, 0, 4), 0.5);
    assert.equal(hardDice(new Uint8Array(4), 0, new Uint8Array(4), 0, 4), 1);
    const c = await tinyCase('linear', []);
    const r = validRange(c, Float32Array.of(0, 5, -1, 2, 3, 4), 2);
    assert.deepEqual(
      [Array.from(r.lower), Array.from(r.upper)],
      [
        [-1, 2],
        [3, 5],
      ],
    );
    c.spec.io.preprocess = { kind: 'affine', clip: [-1000, 1000], offset: -1000, scale: 0.0005 };
    const ct = validRange(c, new Float32Array(2), 2);
    assert.deepEqual(
      [Array.from(ct.lower), Array.from(ct.upper)],
      [
        [0, 0],
        [1, 1],
      ],
    );
    assert.deepEqual(assertBilingual(ct.source, 'validRange source'), {
      zh: '预处理截断区间 [-1000, 1000] 映射到模型空间 [0, 1]',
      en: 'pre-processing clip [-1000, 1000] mapped to model space [0, 1]',
    });
  });

  it('segmentation: pixels 0.4 from the threshold never flip at ε = 0.01 and flip at ε = 0.5 (robust Dice, success rate)', async () => {
    const c = await thresholdSegCase([
      claim('5.2.8', 'robustDice', '>=', 0.9, { conditions: { attack: 'random-search', norm: 'linf', epsilon: 0.01 } }),
    ]);
    const ev = await evaluateAdversarial(c, { norms: ['linf'], epsilons: { linf: [0.01, 0.5] }, maxQueries: 20, seed: 2 });
    const [small, big] = ev.rows;
    assert.deepEqual([small!.epsilon, small!.clean, small!.robust, small!.attackSuccessRate], [0.01, 1, 1, 0]);
    assert.equal(big!.attackSuccessRate, 1);
    assert.ok(big!.robust! < 0.9, `robust Dice ${big!.robust}`);
    // every image keeps Dice 1 at ε = 0.01: the bootstrap interval is [1, 1]; the budget (20 queries) is under the minimum
    assert.deepEqual([ev.result.claims[0]!.evidence!.ci!.low, ev.result.claims[0]!.evidence!.ci!.high], [1, 1]);
    assert.equal(ev.result.verdict, 'inconclusive');
    assert.ok(ev.result.findings.some((f) => f.id === 'budget-attack-queries'));
    assert.match(assertBilingual(ev.result.settings.validRange, 'validRange').en, /model space \[0, 1\]/);
    assert.deepEqual(
      ev.figures.map((f) => f.name),
      ['sweep-linf', 'examples'],
    );
  });
});
