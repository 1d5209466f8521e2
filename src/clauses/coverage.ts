/**
 * Requirement coverage of a clause result: one row per chapter-5 sub-item the clause judges, from the
 * requirement map (templates/requirements.json) and the claim checks, and the findings and verdict
 * rules that follow from it (DESIGN.md, "Decision rules"):
 * - a `shall` sub-item without a claim is `missing` and the clause fails, the item named; one whose
 *   claims the clause could not judge at all is `inconclusive`;
 * - a `should` or `where-applicable` sub-item without a claim is `missing` with an `info` finding, no fail;
 * - a sub-item the claims document declares not applicable is `not-applicable` (its reason shown);
 * - a `major` finding that names claims in `contradicts` (its measurement contradicts the conditions
 *   those claims hold under) turns a met claim on a covered `shall` item into inconclusive; a finding
 *   without `contradicts` stays a finding and changes no decision.
 */
import { requirement, requirementsJudgedBy } from '../case/requirements.js';
import type { Bilingual, ClaimCheck, ClauseId, CoverageRow, CoverageStatus, Finding } from '../results/types.js';
import { undecided } from './judge.js';

/** A sub-item declared not applicable by the claims document. */
export interface NotApplicable {
  item: string;
  reason: Bilingual;
}

/**
 * The coverage rows of a clause.
 * @param clause the chapter-6 clause
 * @param checks its claim checks (each with `covers`)
 * @param notApplicable the claims document's declarations
 * @example
 * coverageRows('6.3.6', checks, [])[1]; // { item: '5.2.6.i', strength: 'shall', claims: [], status: 'missing' }
 */
export function coverageRows(
  clause: ClauseId,
  checks: ClaimCheck[],
  notApplicable: NotApplicable[] = [],
  claimed: { id: string; covers?: string }[] = [],
): CoverageRow[] {
  return requirementsJudgedBy(clause).map((req) => {
    const mine = checks.filter((c) => c.covers === req.item);
    // claims of the case on the item that the clause could not judge at all (e.g. no training settings)
    const unjudged = claimed.filter((k) => k.covers === req.item && !mine.some((c) => c.id === k.id));
    const na = notApplicable.find((x) => x.item === req.item);
    let status: CoverageStatus;
    if (!mine.length && unjudged.length) status = 'inconclusive';
    else if (!mine.length) status = na ? 'not-applicable' : 'missing';
    else if (mine.some((c) => c.met === false)) status = 'not-met';
    else if (mine.some((c) => c.met === null) || unjudged.length) status = 'inconclusive';
    else status = 'met';
    const row: CoverageRow = {
      item: req.item,
      strength: req.strength,
      claims: [...mine.map((c) => c.id), ...unjudged.map((k) => k.id)],
      status,
    };
    if (status === 'not-applicable' && na) row.reason = na.reason;
    return row;
  });
}

/** The bilingual sentence for a missing sub-item: "5.2.6 i) requires a claim on out-of-distribution data; none was made". */
export function missingText(item: string): Bilingual {
  const req = requirement(item);
  if (!req) return { zh: `${item} 缺少声称`, en: `${item} has no claim` };
  return {
    zh: `${req.label.zh} 要求对${req.subject.zh}作出声称，但未作出`,
    en: `${req.label.en} requires a claim on ${req.subject.en}; none was made`,
  };
}

/** Info findings for should / where-applicable sub-items that no claim covers. */
export function missingOptionalFindings(rows: CoverageRow[]): Finding[] {
  return rows
    .filter((r) => r.status === 'missing' && r.strength !== 'shall')
    .map((r) => {
      const t = missingText(r.item);
      const zhS = r.strength === 'should' ? '“宜”' : '“如适用”';
      return {
        id: `no-claim-${r.item}`,
        severity: 'info' as const,
        item: r.item,
        text: { zh: `${t.zh}（${zhS}项，不影响判定）`, en: `${t.en} (a ${r.strength} item: noted, not failing)` },
        measured: null,
      };
    });
}

/**
 * Applies the contradiction rule: a met claim on a `shall` sub-item named in a major finding's
 * `contradicts` becomes inconclusive, the finding named in its note.
 * @example
 * applyContradictions(checks, findings).find((c) => c.id === 'rob-noise')!.met; // null
 */
export function applyContradictions(checks: ClaimCheck[], findings: Finding[]): ClaimCheck[] {
  return checks.map((c) => {
    if (c.met !== true) return c;
    const f = findings.find((x) => x.severity === 'major' && x.contradicts?.includes(c.id));
    if (!f || requirement(c.covers ?? '')?.strength !== 'shall') return c;
    return undecided(c, { zh: `与评价发现 ${f.id} 相矛盾：${f.text.zh}`, en: `contradicted by finding ${f.id}: ${f.text.en}` });
  });
}
