import { CLAUSES } from '../results/clauses.js';
import type { ReportContext } from './context.js';
import { otherLang } from './context.js';
import { ACCENT, table, verdictCell, type PdfContent } from './format.js';
import { summaryFindingList } from './select.js';

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
    const major = r ? (r.findings ?? []).filter((f) => f.severity === 'major').length : 0;
    return [
      { text: c.clause, bold: true, linkToDestination: `clause-${c.clause}`, color: ACCENT },
      // the other language's title on the same line (one line per clause keeps the summary on its page); it never
      // breaks inside (noWrap) and moves to a line of its own when it does not fit
      {
        text: [{ text: `${c.title[lang]}  ` }, { text: c.title[other], fontSize: 7.5, color: '#5b6573', noWrap: true }],
      },
      { text: s[c.strength] ?? c.strength, alignment: 'center' },
      { text: met, alignment: 'center' },
      { text: r ? String(major) : '—', alignment: 'center', bold: major > 0, color: major > 0 ? '#9c2b23' : undefined },
      verdictCell(v, s.verdicts[v]),
    ];
  });
  return [
    { text: s.summary, style: 'h1', tocItem: true },
    { text: s.summaryIntro, style: 'body', margin: [0, 0, 0, 8] },
    table([s.clause, s.title, s.strength, s.claimsMet, s.majorFindings, s.verdict], rows, [38, '*', 40, 62, 62, 80], 9),
    ...summaryFindings(ctx),
  ];
}

/**
 * The major and minor findings of every clause beside its verdict, in the report's language (6.2's
 * itemised checks are in its own section); informational findings are counted only.
 */
function summaryFindings(ctx: ReportContext): PdfContent[] {
  const { s, lang } = ctx;
  const { shown, info } = summaryFindingList(ctx.input.results);
  const rows: PdfContent[][] = shown.map(({ result: r, finding: f }) => [
    { text: r.clause, bold: true },
    verdictCell(r.verdict, s.verdicts[r.verdict]),
    {
      text: s[`severity-${f.severity}`] ?? f.severity,
      bold: f.severity === 'major',
      color: f.severity === 'major' ? '#9c2b23' : '#7a5a00',
    },
    { text: f.text[lang], fontSize: 7.5 },
  ]);
  const out: PdfContent[] = [{ text: s.summaryFindings, style: 'h3', margin: [0, 10, 0, 4] }];
  if (rows.length) out.push(table([s.clause, s.verdict, s.severity, s.findingText], rows, [42, 70, 40, '*'], 8));
  else out.push({ text: s.noFindings, style: 'secondary' });
  if (info) out.push({ text: s.summaryInfoCount!.replace('{n}', String(info)), style: 'secondary', margin: [0, 3, 0, 0] });
  return out;
}
