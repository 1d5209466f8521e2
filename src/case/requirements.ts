/**
 * The requirement map: chapter 5's sub-items (`templates/requirements.json`), each with its strength
 * from the Chinese text, its wording in both languages, the claim metrics that can evidence it and
 * the chapter-6 clause that judges it. Loaded once; {@link defaultCovers} gives the sub-item a claim
 * covers when its file does not say, {@link checkClaimCoverage} rejects a claim whose metric cannot
 * evidence the sub-item it names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bilingual, ClauseId, Strength } from '../results/types.js';
import { InputError } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';
import type { Claim, ClaimsDocument } from './types.js';

/** One chapter-5 sub-item of the map. */
export interface Requirement {
  /** `5.2.6.i` */
  item: string;
  /** The chapter-5 clause a claim names (`5.2.6`). */
  clause: string;
  /** How the report writes the item (`5.2.6 i)`). */
  label: Bilingual;
  strength: Strength;
  /** The chapter-6 clause that judges it. */
  judgedBy: ClauseId;
  /** The requirement in short. */
  text: Bilingual;
  /** What a claim on it is about ("out-of-distribution data"), for rationales. */
  subject: Bilingual;
  /** Claim metrics that can evidence it. */
  metrics: string[];
}

/** The sub-item ids, in the order of the standard. */
export const REQUIREMENT_ITEMS = [
  '5.2.1',
  '5.2.2',
  '5.2.3',
  '5.2.4.e',
  '5.2.4.f',
  '5.2.4.g',
  '5.2.5',
  '5.2.6.h',
  '5.2.6.i',
  '5.2.7',
  '5.2.8',
  '5.2.9.a',
  '5.2.9.b',
] as const;

let cache: Requirement[] | undefined;

/**
 * The requirement map, read once from `templates/requirements.json`.
 * @example
 * requirements().find((r) => r.item === '5.2.6.i')!.strength; // 'shall'
 */
export function requirements(): Requirement[] {
  if (cache) return cache;
  const doc = JSON.parse(readFileSync(join(packageRoot(), 'templates', 'requirements.json'), 'utf8')) as { items: Requirement[] };
  cache = doc.items;
  return cache;
}

/** The sub-items a chapter-6 clause judges, in order (empty for 6.2, whose items are chapter 4's). */
export function requirementsJudgedBy(clause: ClauseId): Requirement[] {
  return requirements().filter((r) => r.judgedBy === clause);
}

/** One sub-item of the map, or `undefined`. */
export function requirement(item: string): Requirement | undefined {
  return requirements().find((r) => r.item === item);
}

/**
 * The sub-item a claim covers when it does not say: the first item of its `clause` whose metrics list
 * the claim's metric; else the clause's only item (a metric this map does not know stays on that item);
 * else `undefined`.
 * @example
 * defaultCovers({ clause: '5.2.6', metric: 'oodAuroc' }); // '5.2.6.i'
 * defaultCovers({ clause: '5.2.6', metric: 'dice' }); // '5.2.6.h'
 */
export function defaultCovers(claim: Pick<Claim, 'clause' | 'metric'>): string | undefined {
  const items = requirements().filter((r) => r.clause === claim.clause);
  return items.find((r) => r.metrics.includes(claim.metric))?.item ?? (items.length === 1 ? items[0]!.item : undefined);
}

/**
 * Sets `covers` on every claim of a claims document (from {@link defaultCovers} when absent) and checks
 * that each claim's metric can evidence its sub-item and that `notApplicable` names only should or
 * where-applicable items.
 * @param file the claims file, for the error
 * @throws {InputError} a claim whose `covers` is not a sub-item of its `clause`, or whose metric cannot evidence it
 *   (names the claim id and the fix); a `notApplicable` entry on a shall item
 * @example
 * checkClaimCoverage(doc, 'claims.json'); doc.claims[0].covers; // '5.2.1'
 */
export function checkClaimCoverage(doc: ClaimsDocument, file: string): void {
  doc.claims.forEach((k, i) => {
    const items = requirements().filter((r) => r.clause === k.clause);
    const covers = k.covers ?? defaultCovers(k);
    const req = covers ? items.find((r) => r.item === covers) : undefined;
    if (!covers || !req) {
      const ids = items.map((r) => r.item).join(', ');
      throw new InputError(
        `claim "${k.id}" ` +
          (k.covers
            ? `covers "${k.covers}", which is not a sub-item of ${k.clause}`
            : `(metric "${k.metric}") covers no sub-item of ${k.clause}`) +
          ` / 声称 "${k.id}" 未对应 ${k.clause} 的子条款`,
        { file, field: `/claims/${i}/covers`, remedy: `set "covers" to one of ${ids} and use a metric that evidences it` },
      );
    }
    if (!req.metrics.includes(k.metric)) {
      const other = items.filter((r) => r.metrics.includes(k.metric)).map((r) => r.item);
      throw new InputError(
        `claim "${k.id}": metric "${k.metric}" cannot evidence ${req.item} / 声称 "${k.id}" 的指标不能证明 ${req.item}`,
        {
          file,
          field: `/claims/${i}/metric`,
          remedy:
            `for ${req.item} use one of ${req.metrics.join(', ')}` +
            (other.length ? `, or set "covers" to ${other.join(' or ')}` : '') +
            ' (templates/requirements.json)',
        },
      );
    }
    k.covers = req.item;
  });
  (doc.notApplicable ?? []).forEach((na, i) => {
    const req = requirement(na.item);
    if (!req || req.strength === 'shall')
      throw new InputError(
        `notApplicable names "${na.item}", ` +
          (req ? 'a shall item, which cannot be declared not applicable' : 'which is not a chapter-5 sub-item') +
          ` / "${na.item}" 不能声明为不适用`,
        {
          file,
          field: `/notApplicable/${i}/item`,
          remedy: `declare only should or where-applicable items (${requirements()
            .filter((r) => r.strength !== 'shall')
            .map((r) => r.item)
            .join(', ')}); a shall item needs a claim`,
        },
      );
  });
}
