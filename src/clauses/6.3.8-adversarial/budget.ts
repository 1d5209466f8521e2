/**
 * 6.3.8's attack budget sized from the measured cost of one inference (see ../common/budget.ts).
 */
import type { CaseModel } from '../../case/predict.js';
import type { Dataset } from '../../data/types.js';
import { fitBudget, perSampleCost, type BudgetRecord } from '../common/budget.js';
import { getAttack } from './attacks/registry.js';
import type { Norm } from './attacks/types.js';

/** The evidence minimum of 6.3.8 (attacked samples, queries per sample); see adversarialShortfalls. */
export const ATTACK_MINIMUM = { samples: 20, maxQueries: 1000 } as const;

/**
 * Cost of a decision-attack query relative to one inference: HopSkipJump draws and normalises a random direction
 * per query in JavaScript besides the model call (measured 35.1 s against 20.7 s of inference on the 3×48×192
 * text-direction classifier, 27 samples × 123 queries, load ≈ 5), so its queries count 1.7× rounded up to 2.
 */
export const DECISION_QUERY_FACTOR = 2;

/**
 * Sizes the attack budget from the measured cost of one inference: queries per sample = Σ over score attacks
 * (ε per norm × maxQueries) + Σ over decision attacks (norms × decisionQueries × {@link DECISION_QUERY_FACTOR});
 * the defaults are lowered (queries first, then samples) to fit the time budget. A budget the user gave is kept as it is.
 */
export async function sizeAttackBudget(
  cm: CaseModel,
  full: Dataset,
  settings: {
    samples: number;
    maxQueries: number;
    decisionQueries: number;
    attacks: string[];
    epsilons: Record<Norm, number[]>;
    norms: Norm[];
    batchSize: number;
  },
  opts: { samples?: number; maxQueries?: number; decisionQueries?: number },
  seconds: number,
): Promise<BudgetRecord> {
  const k = Math.min(settings.batchSize, full.ids.length, 8);
  const per = full.shape.slice(1).reduce((a, b) => a * b, 1);
  const x = cm.preprocess(full.x.subarray(0, k * per), [k, ...full.shape.slice(1)]);
  const ms = await perSampleCost(() => cm.predictModelSpace(x, [k, ...full.shape.slice(1)], { batchSize: k }), k);
  const kinds = settings.attacks.map((a) => getAttack(a).kind);
  const epsCount = settings.norms.reduce((a, nm) => a + settings.epsilons[nm].length, 0);
  const cost = (b: { samples: number; maxQueries: number; decisionQueries: number }) =>
    (Math.min(b.samples, full.ids.length) *
      kinds.reduce(
        (a, kd) => a + (kd === 'decision' ? DECISION_QUERY_FACTOR * settings.norms.length * b.decisionQueries : epsCount * b.maxQueries),
        0,
      ) *
      ms) /
    1000;
  const defaults = { samples: settings.samples, maxQueries: settings.maxQueries, decisionQueries: settings.decisionQueries };
  const given = opts.samples !== undefined || opts.maxQueries !== undefined || opts.decisionQueries !== undefined;
  const ran = given ? defaults : fitBudget(defaults, { maxQueries: 20, decisionQueries: 40, samples: 8 }, cost, seconds);
  const minimum = { ...ATTACK_MINIMUM, decisionQueries: settings.decisionQueries };
  return {
    timeBudgetSec: seconds,
    perSampleMs: ms,
    ran,
    defaults,
    minimum,
    estimatedSec: cost(ran),
    estimatedSecForMinimum: cost(minimum),
    reduced: !given && JSON.stringify(ran) !== JSON.stringify(defaults),
  };
}
