import type { ClaimCheck, Verdict } from '../results/types.js';
import type { Claim } from '../case/types.js';

/**
 * Judges one claim against a measured value.
 * `<=`, `<`, `>=`, `>`: the comparison; `==`: |measured − value| ≤ tolerance (default 0);
 * `within`: the same with the claim's tolerance. A missing or non-finite measurement gives `met: null`
 * (not judged), with a note.
 *
 * @param claim the provider's claim
 * @param measured the measured value under the claim's conditions (`undefined` when not measured)
 * @param note optional note (e.g. the conditions actually used)
 * @example
 * judgeClaim({ id: 'c1', comparator: '>=', value: 0.85, … }, 0.9).met; // true
 */
export function judgeClaim(claim: Claim, measured: number | undefined | null, note?: string): ClaimCheck {
  const expected =
    `${claim.comparator} ${claim.value}${claim.tolerance !== undefined ? ` ± ${claim.tolerance}` : ''}` +
    `${claim.unit ? ` ${claim.unit}` : ''}`;
  if (measured === undefined || measured === null || !Number.isFinite(measured)) {
    return {
      id: claim.id,
      statement: claim.statement,
      expected,
      measured: measured ?? null,
      met: null,
      note: note ?? 'not measured under the claimed conditions',
    };
  }
  const tol = claim.tolerance ?? 0;
  let met: boolean;
  switch (claim.comparator) {
    case '<=':
      met = measured <= claim.value + tol;
      break;
    case '<':
      met = measured < claim.value + tol;
      break;
    case '>=':
      met = measured >= claim.value - tol;
      break;
    case '>':
      met = measured > claim.value - tol;
      break;
    case '==':
    case 'within':
      met = Math.abs(measured - claim.value) <= tol;
      break;
  }
  const check: ClaimCheck = { id: claim.id, statement: claim.statement, expected, measured, met };
  if (note) check.note = note;
  return check;
}

/**
 * The clause verdict from its claim checks: any claim not met → `fail`; at least one met and none
 * unjudged → `pass`; no claims, or some not judged → `inconclusive` (never a silent pass).
 * @returns the verdict and an English reason
 */
export function verdictFromClaims(checks: ClaimCheck[]): { verdict: Verdict; reason: string } {
  if (checks.length === 0)
    return { verdict: 'inconclusive', reason: 'the provider made no claim for this clause, so there is nothing to judge against' };
  const failed = checks.filter((c) => c.met === false);
  if (failed.length) return { verdict: 'fail', reason: `claim(s) not met: ${failed.map((c) => c.id).join(', ')}` };
  const unjudged = checks.filter((c) => c.met === null);
  if (unjudged.length)
    return {
      verdict: 'inconclusive',
      reason: `claim(s) could not be judged: ${unjudged.map((c) => `${c.id} (${c.note ?? 'not measured'})`).join(', ')}`,
    };
  return { verdict: 'pass', reason: `all ${checks.length} claim(s) met` };
}
