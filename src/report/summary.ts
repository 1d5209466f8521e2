import { CLAUSES } from '../results/clauses.js';
import type { ReportContext } from './context.js';
import { otherLang } from './context.js';
import { ACCENT, table, verdictCell, type PdfContent } from './format.js';

/** The table of contents (pdfmake fills in the page numbers of every `tocItem` heading). */
export function tocSection(ctx: ReportContext): PdfContent[] {
  return [
    {
      toc: {
        title: { text: ctx.s.toc, style: 'h1' },
        numberStyle: { color: '#44546a' },
        textMargin: [0, 2, 0, 2],
      },
      pageBreak: 'after',
    },
  ];
}

/**
 * Section 1: one row per clause of the registry: clause, both titles, shall/should, verdict
 * (coloured) and claims met of claims judged. Clauses without a result read "not evaluated".
 */
export function summarySection(ctx: ReportContext): PdfContent[] {
  const { s, lang } = ctx;
  const other = otherLang(lang);
  const rows: PdfContent[][] = CLAUSES.map((c) => {
    const r = ctx.byClause.get(c.clause);
    const v = r?.verdict ?? 'not-evaluated';
    const met = r ? `${r.claims.filter((k) => k.met === true).length} / ${r.claims.length}` : '—';
    return [
      { text: c.clause, bold: true, linkToDestination: `clause-${c.clause}`, color: ACCENT },
      { stack: [{ text: c.title[lang] }, { text: c.title[other], fontSize: 7.5, color: '#5b6573' }] },
      { text: s[c.strength] ?? c.strength, alignment: 'center' },
      { text: met, alignment: 'center' },
      verdictCell(v, s.verdicts[v]),
    ];
  });
  return [
    { text: s.summary, style: 'h1', tocItem: true },
    { text: s.summaryIntro, style: 'body', margin: [0, 0, 0, 8] },
    table([s.clause, s.title, s.strength, s.claimsMet, s.verdict], rows, [42, '*', 40, 56, 90], 9.5),
  ];
}
