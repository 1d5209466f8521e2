/** Claims judged on a quantity known only as a lower bound (MACs/FLOPs with nodes not counted). */
import type { Claim } from '../../case/types.js';
import type { ClaimCheck } from '../../results/types.js';

/**
 * A lower bound meets no `<`/`<=` claim and fails no `>`/`>=` claim it does not already exceed: such a check
 * becomes inconclusive (`met: null`); a `<=` claim the lower bound already exceeds stays failed, a `>=` claim it
 * already meets stays met. `==`/`within` on a lower bound is inconclusive.
 * @param check the check as judged on the bound's value
 * @param claim the claim
 * @returns the check, with `met: null` where the bound decides nothing
 * @example
 * onLowerBound(judgeClaim(claim, 0, 'lower bound'), claim).met; // null for '<= 5e7'
 */
export function onLowerBound(check: ClaimCheck, claim: Claim): ClaimCheck {
  if (check.met === null) return check;
  const upper = claim.comparator === '<' || claim.comparator === '<=';
  const lower = claim.comparator === '>' || claim.comparator === '>=';
  if ((upper && check.met) || (lower && !check.met) || (!upper && !lower)) {
    return { ...check, met: null, note: `${check.note ?? 'lower bound'}: a lower bound cannot show this claim is met` };
  }
  return check;
}
