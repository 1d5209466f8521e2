import type { Lang } from '../../results/types.js';
import type { ReportContext } from '../context.js';
import { reportStrings, type ReportStrings } from '../strings.js';
import { bi } from './escape.js';

/** What the HTML sections read: the report context and the labels of both languages. */
export interface HtmlContext extends Omit<ReportContext, 's' | 'font'> {
  /** Labels of each language (`templates/report/strings.json`). */
  s: Record<Lang, ReportStrings>;
}

/**
 * The HTML context of a report context (same results, manifest and period).
 * @param ctx the report context of either language; `lang` is the language the page opens in
 */
export function htmlContext(ctx: ReportContext): HtmlContext {
  const { s: _s, font: _f, ...rest } = ctx;
  return { ...rest, s: { zh: reportStrings('zh'), en: reportStrings('en') } };
}

/**
 * A label in both languages.
 * @param ctx the HTML context
 * @param key the key in `templates/report/strings.json`
 * @param map turns each language's label into the text shown (e.g. to fill placeholders)
 * @returns escaped HTML
 */
export function label(ctx: HtmlContext, key: string, map: (s: string, lang: Lang) => string = (s) => s): string {
  return bi({ zh: map(ctx.s.zh[key] ?? key, 'zh'), en: map(ctx.s.en[key] ?? key, 'en') });
}
