import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import type { Bilingual, ClauseId, Lang, Verdict } from '../results/types.js';

/** Report language. */
export type ReportLang = Lang;

/** A verdict, or `not-evaluated` for a clause the bundle has no result for. */
export type ReportVerdict = Verdict | 'not-evaluated';

/** The labels of the report in one language (`templates/report/strings.json`). */
export type ReportStrings = Record<string, string> & { verdicts: Record<ReportVerdict, string> };

/** Requirement paraphrase and method of one clause (`templates/report/requirements.json`). */
export interface ClauseRequirement {
  requirement: Bilingual;
  method: Bilingual;
}

let strings: Record<ReportLang, ReportStrings> | undefined;
let reqs: Record<string, ClauseRequirement> | undefined;

/**
 * The report labels in `lang`, from `templates/report/strings.json`.
 * @example
 * reportStrings('zh').verdicts.pass; // '符合'
 */
export function reportStrings(lang: ReportLang): ReportStrings {
  strings ??= JSON.parse(readFileSync(join(packageRoot(), 'templates', 'report', 'strings.json'), 'utf8')) as Record<
    ReportLang,
    ReportStrings
  >;
  return strings[lang];
}

/**
 * The bilingual requirement paraphrase and method of a clause, from `templates/report/requirements.json`.
 * @example
 * clauseRequirement('6.3.5').requirement.en; // 'Run inference repeatedly on the same test cases …'
 */
export function clauseRequirement(clause: ClauseId): ClauseRequirement | undefined {
  reqs ??= JSON.parse(readFileSync(join(packageRoot(), 'templates', 'report', 'requirements.json'), 'utf8')) as Record<
    string,
    ClauseRequirement
  >;
  return reqs[clause];
}

/**
 * Fills `{name}` placeholders.
 * @example
 * fill('Page {n} of {N}', { n: 2, N: 9 }); // 'Page 2 of 9'
 */
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** A string or bilingual text in `lang` (plain strings are shown as they are). */
export function inLang(t: string | Bilingual | undefined, lang: ReportLang): string {
  if (t === undefined) return '';
  return typeof t === 'string' ? t : t[lang] || t.en || t.zh;
}
