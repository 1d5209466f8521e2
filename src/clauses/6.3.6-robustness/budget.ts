/**
 * 6.3.6's sample budget sized from the measured cost of one inference (see ../common/budget.ts): every test
 * sample is predicted once clean and once per corruption × severity, so the default 40 samples are lowered
 * (never below {@link ROBUSTNESS_SAMPLE_FLOOR}) until that work fits the time budget. A sample count the user
 * gave is kept; under the evidence minimum the affected claims are inconclusive (robustnessShortfalls).
 */
import { fitBudget, perSampleCost, type BudgetRecord } from '../common/budget.js';
import { ROBUSTNESS_MINIMUM } from './evidence.js';

/** Default test samples of 6.3.6. */
export const ROBUSTNESS_DEFAULT_SAMPLES = 40;

/** Fewest test samples the sizing lowers to. */
export const ROBUSTNESS_SAMPLE_FLOOR = 10;

/**
 * Sizes the test-sample count of 6.3.6.
 * @param infer predicts the first `k` test samples (the clause's model)
 * @param available test samples in the data set
 * @param passes model passes per sample: 1 (clean) + corruptions × severities
 * @param given the sample count the user gave, if any
 * @param seconds the time budget
 * @example
 * const b = await sizeRobustnessBudget((k) => model.predict(x.subarray(0, k * per), [k, ...rest]), 40, 61, undefined, 60);
 */
export async function sizeRobustnessBudget(
  infer: (k: number) => Promise<unknown>,
  available: number,
  passes: number,
  given: number | undefined,
  seconds: number,
): Promise<BudgetRecord> {
  const k = Math.max(1, Math.min(8, available));
  const ms = await perSampleCost(infer, k);
  const cost = (b: { samples: number }) => (Math.min(b.samples, available) * passes * ms) / 1000;
  const defaults = { samples: given ?? ROBUSTNESS_DEFAULT_SAMPLES };
  const ran = given !== undefined ? defaults : fitBudget(defaults, { samples: ROBUSTNESS_SAMPLE_FLOOR }, cost, seconds);
  const minimum = { samples: ROBUSTNESS_MINIMUM.samplesPerSeverity };
  return {
    timeBudgetSec: seconds,
    perSampleMs: ms,
    ran,
    defaults,
    minimum,
    estimatedSec: cost(ran),
    estimatedSecForMinimum: cost(minimum),
    reduced: given === undefined && ran.samples !== defaults.samples,
  };
}
