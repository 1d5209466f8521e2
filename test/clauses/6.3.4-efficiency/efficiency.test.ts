import { strict as assert } from 'node:assert';
import { statSync } from 'node:fs';
import { evaluateEfficiency } from '../../../src/clauses/6.3.4-efficiency/evaluate.js';
import { assertValid } from '../../../src/util/schema.js';
import { claim, tinyCase } from '../tiny-case.js';

const quick = { ep: 'cpu' as const, batchSizes: [1, 4], timing: { warmup: 1, minQueries: 5, minDurationMs: 0 }, variants: false };

describe('evaluations/efficiency (6.3.4)', function () {
  this.timeout(60_000);

  it('counts MACs and parameters by hand for the 4→2 linear model and judges the claims', async () => {
    // Hand count at batch 1: MatMul [1,4]×[4,2] = 4·2 = 8 MACs (the bias Add is element-wise, not a MAC).
    // Parameters: W 4·2 = 8 + b 2 = 10.
    const c = await tinyCase('linear', [
      claim('5.2.4', 'macs', '<=', 8),
      claim('5.2.4', 'parameters', '<=', 10),
      claim('5.2.4', 'latencyP99Ms', '<=', 1000, { conditions: { batch: 4 } }),
    ]);
    const ev = await evaluateEfficiency(c, quick);
    const m = (name: string) => ev.result.measurements.find((x) => x.name === name)!.value;
    assert.equal(m('macs'), 8);
    assert.equal(m('parameters'), 10);
    assert.equal(m('modelBytes'), statSync(c.modelPath).size);
    assert.ok(typeof m('peakRssMB') === 'number' && (m('peakRssMB') as number) >= 0);
    assert.deepEqual(
      ev.rows.map((r) => r.batch),
      [1, 4],
    );
    assert.ok(ev.rows.every((r) => r.p50Ms <= r.p99Ms && r.throughputPerSec > 0));
    assert.equal(ev.result.verdict, 'pass');
    assert.deepEqual(
      ev.result.claims.map((k) => k.met),
      [true, true, true],
    );
    assertValid(ev.result, 'clause-result.schema.json', '6.3.4.json');
  });

  it('a claim the model does not meet makes the clause fail', async () => {
    const c = await tinyCase('linear', [claim('5.2.4', 'parameters', '<=', 9)]);
    const ev = await evaluateEfficiency(c, { ...quick, measureMemory: false });
    assert.equal(ev.result.verdict, 'fail');
    assert.equal(ev.result.claims[0]!.measured, 10);
  });
});
