import { CLAUSES } from '../results/clauses.js';
import type { ReportContext } from './context.js';
import { ACCENT, breakable, VERDICT_COLORS, type PdfContent, type PdfNode } from './format.js';
import type { ReportVerdict } from './strings.js';

function field(label: string, value: string, opts: PdfNode = {}): PdfContent[] {
  return [
    { text: label, bold: true, color: ACCENT },
    { text: value, ...opts },
  ];
}

/** Tally of verdicts over every clause of the registry (missing clauses count as not evaluated). */
export function verdictTally(ctx: Pick<ReportContext, 'byClause'>): Record<ReportVerdict, number> {
  const t: Record<ReportVerdict, number> = { pass: 0, fail: 0, inconclusive: 0, 'not-applicable': 0, 'not-evaluated': 0 };
  for (const c of CLAUSES) t[ctx.byClause.get(c.clause)?.verdict ?? 'not-evaluated']++;
  return t;
}

/** Which notebooks ran: the shipped templates, or custom ones (`--notebooks DIR`, marked in red with the folder). */
function templatesField(ctx: ReportContext): PdfContent[] {
  const { s, manifest: m } = ctx;
  if (!m.templates) return field(s.templates, '—');
  if (!m.templates.custom) return field(s.templates, s.templatesPackaged);
  return field(s.templates, `${s.templatesCustom} — ${m.templates.dir}`, { bold: true, color: '#c00000' });
}

/**
 * The evaluation period the run recorded (manifest), else the span of the clause results: one period
 * wherever the report is rendered (PDF cover, HTML page).
 * @example
 * evaluationPeriod(ctx); // '2026-11-28T06:00:00.000Z — 2026-11-28T06:07:10.000Z'
 */
export function evaluationPeriod(ctx: Pick<ReportContext, 'manifest' | 'input'>): string {
  const m = ctx.manifest;
  const starts = ctx.input.results.map((r) => r.startedAt).sort();
  const ends = ctx.input.results.map((r) => r.finishedAt).sort();
  const a = m.startedAt ?? starts[0];
  const b = m.finishedAt ?? ends[ends.length - 1];
  return a && b ? `${a} — ${b}` : '—';
}

/**
 * The cover page: titles (report language first), case, model name/version, file and SHA-256,
 * tool version, evaluation period, verdict tally, and blank assessor/reviewer fields to sign.
 */
export function coverSection(ctx: ReportContext): PdfContent[] {
  const { s, manifest: m } = ctx;
  const tally = verdictTally(ctx);
  const tallyRow: PdfContent[] = (Object.keys(tally) as ReportVerdict[])
    .filter((v) => tally[v] > 0)
    .map((v) => ({
      text: `${s.verdicts[v]}  ${tally[v]}`,
      bold: true,
      color: VERDICT_COLORS[v].text,
      fillColor: VERDICT_COLORS[v].fill,
      alignment: 'center',
      margin: [0, 3, 0, 3],
    }));
  const signRow = (label: string): PdfContent[] => [
    { text: label, bold: true, color: ACCENT, margin: [0, 14, 0, 0] },
    { text: `${s.signature}:`, margin: [0, 14, 0, 0], color: '#555' },
    { text: '', margin: [0, 14, 0, 0] },
    { text: `${s.date}:`, margin: [0, 14, 0, 0], color: '#555' },
    { text: '', margin: [0, 14, 0, 0] },
  ];
  return [
    { text: 'ptm-conformity', color: '#8a94a6', fontSize: 9, margin: [0, 10, 0, 40] },
    { text: s.reportTitle, fontSize: 22, bold: true, color: ACCENT },
    { text: s.otherTitle, fontSize: 13, color: '#44546a', margin: [0, 4, 0, 8] },
    { canvas: [{ type: 'line', x1: 0, y1: 0, x2: 495, y2: 0, lineWidth: 1.5, lineColor: ACCENT }] },
    { text: s.reportSubtitle, fontSize: 9, color: '#44546a', margin: [0, 6, 0, 36] },
    {
      table: {
        widths: [120, '*'],
        body: [
          field(s.case, ctx.caseName),
          field(s.modelVersion, ctx.modelLabel),
          field(s.modelFile, m.model?.path ? `${m.model.path}${m.model.bytes !== undefined ? ` (${m.model.bytes} bytes)` : ''}` : '—'),
          [{ text: s.modelSha, bold: true, color: ACCENT }, breakable(ctx.modelSha, { fontSize: 8.5 }, 70)],
          field(s.tool, `${m.tool.name} ${m.tool.version}`),
          templatesField(ctx),
          field(s.evaluationPeriod, evaluationPeriod(ctx)),
          field(s.generated, ctx.generatedAt),
        ],
      },
      layout: { hLineWidth: () => 0.3, vLineWidth: () => 0, hLineColor: () => '#c5cbd6', paddingTop: () => 5, paddingBottom: () => 5 },
      fontSize: 10,
    },
    { text: s.overall, bold: true, color: ACCENT, fontSize: 11, margin: [0, 28, 0, 6] },
    tallyRow.length ? { table: { widths: tallyRow.map(() => '*'), body: [tallyRow] }, layout: 'noBorders', fontSize: 10 } : '',
    {
      table: {
        widths: [70, 50, '*', 35, 90],
        body: [signRow(s.assessor), signRow(s.reviewer)],
      },
      layout: { hLineWidth: (i: number) => (i === 0 ? 0 : 0.6), vLineWidth: () => 0, hLineColor: () => '#888' },
      fontSize: 10,
      margin: [0, 36, 0, 0],
    },
    { text: s.signNote, fontSize: 8, color: '#666', margin: [0, 24, 0, 0], pageBreak: 'after' },
  ];
}
