/**
 * 6.3.8's attack budget from the measured cost: the estimate counts ε × maxQueries per score attack and
 * norms × decisionQueries × DECISION_QUERY_FACTOR per decision attack, each times the attacked samples and the
 * measured ms per inference; the defaults shrink to the time budget, a budget the user gave is kept.
 */
import * as assert from 'node:assert/strict';
import type { CaseModel } from '../../../src/case/predict.js';
import { DECISION_QUERY_FACTOR, sizeAttackBudget } from '../../../src/clauses/6.3.8-adversarial/budget.js';

const cm = {
  preprocess: (x: Float32Array) => x,
  predictModelSpace: async () => {
    let t = 0;
    for (let i = 0; i < 2e5; i++) t += Math.sqrt(i); // a measurable, model-like cost
    return { t };
  },
} as unknown as CaseModel;
const full = { ids: Array.from({ length: 50 }, (_, i) => `s${i}`), x: new Float32Array(50 * 4), shape: [50, 4] } as never;
const settings = {
  samples: 40,
  maxQueries: 200,
  decisionQueries: 400,
  attacks: ['square', 'hopskipjump'],
  epsilons: { linf: [0.1, 0.2, 0.3], l2: [1, 2] },
  norms: ['linf', 'l2'] as ('linf' | 'l2')[],
  batchSize: 8,
};

describe('6.3.8 attack budget from cost', () => {
  it('estimates samples × (ε count × maxQueries + factor × norms × decisionQueries) × ms', async () => {
    const b = await sizeAttackBudget(cm, full, settings, { samples: 40 }, 60);
    assert.equal(DECISION_QUERY_FACTOR, 2);
    assert.equal(b.reduced, false, 'a budget the user gave is kept');
    const queries = 40 * (5 * 200 + 2 * 2 * 400); // 104,000 sample-queries
    assert.ok(Math.abs(b.estimatedSec - (queries * b.perSampleMs) / 1000) < 1e-9 * queries);
  });

  it('the defaults shrink to fit the time budget, queries first, never below the floors', async () => {
    const b = await sizeAttackBudget(cm, full, settings, {}, 1e-9);
    assert.equal(b.reduced, true);
    assert.deepEqual(b.ran, { samples: 8, maxQueries: 20, decisionQueries: 40 });
    const big = await sizeAttackBudget(cm, full, settings, {}, 1e9);
    assert.deepEqual(big.ran, { samples: 40, maxQueries: 200, decisionQueries: 400 });
    assert.equal(big.reduced, false);
  });
});
