import { strict as assert } from 'node:assert';
import { acceptRate, oodDetection } from '../../../src/clauses/6.3.6-robustness/ood.js';
import { corruptionErrors, evaluateRobustness, judgeRobustness, type SeverityRow } from '../../../src/clauses/6.3.6-robustness/evaluate.js';
import { assertValid } from '../../../src/util/schema.js';
import { claim, tinyCase } from '../tiny-case.js';

const row = (corruption: string, severity: number, value: number): SeverityRow => ({
  corruption,
  severity,
  params: '{}',
  metric: 'accuracy',
  value,
  low: value,
  high: value,
});

describe('evaluations/robustness (6.3.6)', function () {
  this.timeout(60_000);

  it('OOD detection by confidence: AUROC, FPR at 95 % TPR and accept rate (hand-computed)', () => {
    // in: 0.9, 0.8; out: 0.6, 0.85 → pairs (in > out): (0.9>0.6, 0.9>0.85, 0.8>0.6) = 3 of 4
    const d = oodDetection([0.9, 0.8], [0.6, 0.85]);
    assert.equal(d.auroc, 0.75);
    assert.equal(d.fprAt95Tpr, 0.5); // TPR reaches 1 at threshold 0.8, where 0.85 is accepted
    assert.equal(acceptRate([0.95, 0.5, 0.9, 0.2], 0.9), 0.5);
  });

  it('corruption errors: mean of 1 − metric and mean drop, or normalised by a reference', () => {
    const rows = [row('noise', 1, 0.9), row('noise', 2, 0.7)];
    const [e] = corruptionErrors(rows, 0.95);
    assert.ok(Math.abs(e!.corruptionError - 0.2) < 1e-12); // ((1−0.9)+(1−0.7))/2
    assert.ok(Math.abs(e!.relativeCorruptionError - 0.15) < 1e-12); // ((0.95−0.9)+(0.95−0.7))/2
    const [n] = corruptionErrors(rows, 0.95, { noise: [0.2, 0.2] });
    assert.ok(Math.abs(n!.corruptionError - 1) < 1e-12 && n!.normalised);
  });

  it('a task-metric claim must hold at every severity up to the stated one', () => {
    const rows = [row('noise', 1, 0.9), row('noise', 2, 0.8), row('noise', 3, 0.6)];
    assert.equal(
      judgeRobustness(claim('5.2.6', 'accuracy', '>=', 0.75, { conditions: { corruption: 'noise', severity: 2 } }), rows, 'accuracy', {})
        .met,
      true,
    );
    const c3 = judgeRobustness(
      claim('5.2.6', 'accuracy', '>=', 0.75, { conditions: { corruption: 'noise', severity: 3 } }),
      rows,
      'accuracy',
      {},
    );
    assert.equal(c3.met, false);
    assert.equal(c3.measured, 0.6);
    assert.equal(judgeRobustness(claim('5.2.6', 'oodAuroc', '>=', 0.8), rows, 'accuracy', { oodAuroc: undefined }).met, null);
  });

  it('sweeps a tabular case: severity-ordered rows, valid ClauseResult, claim judged', async () => {
    const c = await tinyCase(
      'linear',
      [claim('5.2.6', 'accuracy', '>=', 0, { conditions: { corruption: 'gaussian-noise', severity: 5 } })],
      30,
    );
    const ev = await evaluateRobustness(c, { ep: 'cpu', severities: [1, 5], samples: 30, bootstrapIterations: 50 });
    assert.deepEqual(
      ev.rows.map((r) => `${r.corruption}/${r.severity}`),
      ['gaussian-noise/1', 'gaussian-noise/5', 'missing-values/1', 'missing-values/5'],
    );
    assert.ok(ev.rows.every((r) => r.low <= r.value && r.value <= r.high));
    assert.equal(ev.result.claims[0]!.met, true);
    // the claim covers 5.2.6 h) only: 5.2.6 i) (a shall item) has no claim, so the clause cannot pass
    assert.equal(ev.result.verdict, 'fail');
    assert.equal(ev.result.coverage.find((r) => r.item === '5.2.6.i')!.status, 'missing');
    assert.equal(ev.ood, undefined); // the tiny case has no ood set
    assertValid(ev.result, 'clause-result.schema.json', '6.3.6.json');
    const again = await evaluateRobustness(c, { ep: 'cpu', severities: [1, 5], samples: 30, bootstrapIterations: 50 });
    assert.deepEqual(again.rows, ev.rows, 'reruns with the same seed give identical numbers');
  });
});
