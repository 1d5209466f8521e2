/**
 * Budgets from cost: clauses whose work scales with the model (6.3.2, 6.3.6, 6.3.8, 6.3.9) measure what one
 * inference costs first, then size their default budget to the clause's time budget (README: the per-notebook
 * time budget of the default profile) instead of a fixed count that takes minutes on a large model. What ran and
 * what the clause's evidence minimum would need are recorded in the settings; a budget under the minimum is an
 * evidence-minimum shortfall (the affected claims inconclusive), never a longer wait.
 */

/** Seconds of model-scaled work a clause plans for on the default profile (parameter `timeBudgetSec`). */
export const DEFAULT_WORK_SECONDS = 60;

/** What a clause recorded about its budget. */
export interface BudgetRecord {
  /** The time budget the defaults were sized to (s). */
  timeBudgetSec: number;
  /** Measured cost of one inference of one sample at the clause's batch size (ms). */
  perSampleMs: number;
  /** The budget that ran, e.g. `{ samples: 40, maxQueries: 120 }`. */
  ran: Record<string, number>;
  /** The clause's defaults before sizing. */
  defaults: Record<string, number>;
  /** The budget the clause's evidence minimum needs. */
  minimum: Record<string, number>;
  /** Estimated seconds of the budget that ran, and of the minimum, at the measured cost. */
  estimatedSec: number;
  estimatedSecForMinimum: number;
  /** Whether the defaults were lowered to fit the time budget (false when the user gave the budget). */
  reduced: boolean;
}

/**
 * The median wall time of one sample's inference: runs `infer(k)` (k samples) a few times after a warm-up.
 * @param infer runs the model on the first `k` samples
 * @param k samples per timed run (the clause's batch size, at most the data)
 * @example
 * const ms = await perSampleCost((k) => cm.predictModelSpace(xm.subarray(0, k * dim), [k, ...shape.slice(1)]), 8);
 */
export async function perSampleCost(infer: (k: number) => Promise<unknown>, k: number): Promise<number> {
  await infer(k);
  const times: number[] = [];
  const t0 = performance.now();
  while (times.length < 3 || (times.length < 10 && performance.now() - t0 < 300)) {
    const t = performance.now();
    await infer(k);
    times.push((performance.now() - t) / k);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * Shrinks a budget to fit `seconds`: `cost(b)` estimates the seconds of budget `b`; each key of `floors` is
 * lowered in turn (in the order given, proportionally, never below its floor) until the estimate fits.
 * @returns the fitted budget (the defaults when they already fit)
 * @example
 * fitBudget({ samples: 40, maxQueries: 200 }, { maxQueries: 20, samples: 8 }, (b) => b.samples * b.maxQueries * 0.02, 60);
 * // { samples: 15, maxQueries: 20 }
 */
export function fitBudget<K extends string>(
  defaults: Record<K, number>,
  floors: Partial<Record<K, number>>,
  cost: (b: Record<K, number>) => number,
  seconds: number,
): Record<K, number> {
  const b = { ...defaults };
  for (const k of Object.keys(floors) as K[]) {
    const est = cost(b);
    if (est <= seconds) break;
    b[k] = Math.max(floors[k]!, Math.floor((b[k] * seconds) / est));
  }
  return b;
}
