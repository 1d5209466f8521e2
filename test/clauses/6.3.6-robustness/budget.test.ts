/**
 * 6.3.6's sample count from the measured cost: samples × (1 + corruptions × severities) × ms per inference fits the
 * time budget; the default 40 is lowered, never below the floor of 10; a count the user gave is kept.
 */
import * as assert from 'node:assert/strict';
import { sizeRobustnessBudget } from '../../../src/clauses/6.3.6-robustness/budget.js';

const infer = async () => {
  let t = 0;
  for (let i = 0; i < 2e5; i++) t += Math.sqrt(i); // a measurable, model-like cost
  return t;
};

describe('6.3.6 sample budget from cost', () => {
  it('the estimate is samples × passes × the measured ms per sample', async () => {
    const b = await sizeRobustnessBudget(infer, 48, 61, undefined, 1e9);
    assert.deepEqual(b.ran, { samples: 40 });
    assert.equal(b.reduced, false);
    assert.ok(Math.abs(b.estimatedSec - (40 * 61 * b.perSampleMs) / 1000) < 1e-9);
    assert.ok(Math.abs(b.estimatedSecForMinimum - (30 * 61 * b.perSampleMs) / 1000) < 1e-9);
  });

  it('lowered proportionally to fit, never below 10; a count the user gave is kept', async () => {
    const tight = await sizeRobustnessBudget(infer, 48, 61, undefined, 1e-9);
    assert.deepEqual(tight.ran, { samples: 10 });
    assert.equal(tight.reduced, true);
    const given = await sizeRobustnessBudget(infer, 48, 61, 40, 1e-9);
    assert.deepEqual(given.ran, { samples: 40 });
    assert.equal(given.reduced, false);
  });
});
