import type { ReportVerdict } from '../strings.js';
import type { HtmlContext } from './context.js';
import { bi, esc } from './escape.js';

/** A cell: HTML (already escaped) with optional class names. */
export interface HtmlCell {
  html: string;
  cls?: string;
}

/**
 * A table: a header row and body rows of HTML cells (strings are HTML already escaped).
 * @param headers header cells (HTML)
 * @param rows body rows
 * @param cls class of the table
 * @returns the table's HTML
 */
export function htmlTable(headers: string[], rows: (string | HtmlCell)[][], cls = ''): string {
  const td = (c: string | HtmlCell) => (typeof c === 'string' ? `<td>${c}</td>` : `<td class="${esc(c.cls ?? '')}">${c.html}</td>`);
  return (
    `<div class="table-wrap"><table${cls ? ` class="${esc(cls)}"` : ''}>` +
    `<thead><tr>${headers.map((h) => `<th>${h}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map(td).join('')}</tr>`).join('\n')}</tbody></table></div>`
  );
}

/**
 * A coloured verdict label in both languages.
 * @param ctx the HTML context
 * @param v the verdict colour
 * @param text the label of each language (default: the verdict's)
 */
export function verdictBadge(ctx: HtmlContext, v: ReportVerdict, text?: { zh: string; en: string }): string {
  const t = text ?? { zh: ctx.s.zh.verdicts[v], en: ctx.s.en.verdicts[v] };
  return `<span class="verdict v-${esc(v)}">${bi(t)}</span>`;
}

/**
 * A table cell holding a verdict badge.
 * @param ctx the HTML context
 * @param v the verdict colour
 * @param text the label of each language (default: the verdict's)
 */
export function verdictCellHtml(ctx: HtmlContext, v: ReportVerdict, text?: { zh: string; en: string }): HtmlCell {
  return { html: verdictBadge(ctx, v, text), cls: 'c' };
}
