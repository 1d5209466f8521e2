import type { ClauseInfo } from '../results/clauses.js';
import type { ClauseResult, Lang, ResultTable } from '../results/types.js';
import { requirement } from '../case/requirements.js';
import type { ReportContext } from './context.js';
import { otherLang } from './context.js';
import { loadFigure, safeSvgImage } from './figures.js';
import {
  ACCENT,
  breakable,
  providerLabel,
  table,
  VERDICT_COLORS,
  verdictCell,
  type PdfContent,
  type PdfNode,
} from './format.js';
import { fallbackReason } from './reasons.js';
import { cellNode, fitWidths, headerNode, isNumberText } from './layout.js';
import { clauseRequirement, fill, inLang } from './strings.js';
import { cellText, columnLabel, conditionsText, flattenSettings, unitLabel } from './values.js';

/** Rows of a result table shown in the PDF; the rest is referred to the result file. */
export const MAX_TABLE_ROWS = 150;
/** Width available to figures (A4 minus margins), points. */
export const FIGURE_MAX_WIDTH = 495;
/** Height cap of a figure, points: two figures with their captions fit on one page. */
export const FIGURE_MAX_HEIGHT = 290;

/**
 * A sub-heading. `keep` marks it for the page-break rule (a heading near the page bottom moves
 * on); headings inside unbreakable blocks already travel with their content and are not marked.
 */
function h3(text: string, keep = true): PdfNode {
  return keep ? { text, style: 'h3', headlineLevel: 3 } : { text, style: 'h3' };
}

/** A table cell in the report's language: bilingual texts, enumerations and numbers localised (see `cellText`). */
function cell(v: unknown, lang: ReportContext['lang']): PdfNode {
  return cellNode(cellText(v, lang));
}

/** Style of an identifier shown as it is (a column id without a label, a parameter name). */
const CODE: PdfNode = { color: '#2f4b7c' };

/**
 * A table whose column widths come from its content (see `fitWidths`): headers and cells as texts
 * in the report's language; `nodes` may replace a cell's node (a stack, a verdict).
 */
function fittedTable(
  headers: string[],
  texts: string[][],
  fontSize: number,
  nodes?: (PdfContent | undefined)[][],
  headerCode?: boolean[],
): PdfNode {
  const fit = fitWidths(headers, texts, fontSize);
  // a column of numbers has its header on the right, above the digits
  const isNum = (t: string | undefined) => isNumberText(t ?? '');
  const numeric = headers.map((_h, i) => texts.some((r) => isNum(r[i])) && texts.every((r) => isNum(r[i]) || r[i] === '—'));
  return table(
    headers.map((h, i) => headerNode(h, { ...(headerCode?.[i] ? CODE : {}), ...(numeric[i] ? { alignment: 'right' } : {}) })),
    // a number in a column of words (a clause number such as 4.1 among 4.2.1) stays on the left
    texts.map((r, i) => r.map((t, j) => nodes?.[i]?.[j] ?? cellNode(t, numeric[j] ? {} : { alignment: 'left' }))),
    fit.widths,
    fit.fontSize,
  );
}

/** The clause heading (both titles, for the table of contents) with its destination id. */
function heading(ctx: ReportContext, info: ClauseInfo, r: ClauseResult | undefined, breakBefore: boolean, inBlock: boolean): PdfContent[] {
  const v = r?.verdict ?? 'not-evaluated';
  return [
    {
      text: [
        { text: `${info.clause}  ` },
        { text: info.title[ctx.lang] },
        // the size of the table of contents' lines (it copies this text): never larger there than the title
        { text: `  ${info.title[otherLang(ctx.lang)]}`, color: '#44546a', fontSize: 9.5 },
      ],
      style: 'h2',
      id: `clause-${info.clause}`,
      tocItem: true,
      tocMargin: [12, 0, 0, 0],
      headlineLevel: inBlock ? undefined : 2,
      margin: breakBefore ? undefined : [0, 18, 0, 6],
      pageBreak: breakBefore && !inBlock ? 'before' : undefined,
    },
    {
      table: {
        widths: [90, '*'],
        body: [
          [
            verdictCell(v, ctx.s.verdicts[v]),
            {
              text:
                `${ctx.s.strength}: ${ctx.s[info.strength]}    ` +
                `${ctx.s.judgedAgainst} ${info.judges === '4' ? ctx.s.chapter4 : info.judges}`,
              color: '#5b6573',
            },
          ],
        ],
      },
      layout: 'noBorders',
      fontSize: 9,
      margin: [0, 0, 0, 8],
    },
  ];
}

function requirementBlock(ctx: ReportContext, info: ClauseInfo, inBlock: boolean): PdfContent[] {
  const req = clauseRequirement(info.clause);
  if (!req) return [];
  // the report's language only: the other language's paraphrase would be a sentence in a foreign language
  return [h3(ctx.s.requirement, !inBlock), { text: req.requirement[ctx.lang], style: 'body' }];
}

function methodBlock(ctx: ReportContext, info: ClauseInfo, r: ClauseResult): PdfContent[] {
  const req = clauseRequirement(info.clause);
  const { s } = ctx;
  const out: PdfContent[] = [h3(s.method)];
  if (req) out.push({ text: req.method[ctx.lang], style: 'body' });
  const env = r.environment;
  const ran = providerLabel(env.executionProvider, s);
  const ep =
    env.requestedProvider && env.requestedProvider !== env.executionProvider ? `${ran} (${s.requested}: ${env.requestedProvider})` : ran;
  const fb = env.fallbacks?.length
    ? `; ${s.fallbacks}: ${env.fallbacks.map((f) => `${f.provider} — ${fallbackReason(f.text ?? f.reason, ctx.lang)}`).join('; ')}`
    : '';
  out.push({
    text: `${s.executedOn}: ${ep}${env.gpu ? `, ${s.gpu}: ${env.gpu}` : ''}${fb}; ${r.startedAt} — ${r.finishedAt}`,
    style: 'secondary',
  });
  const entries = flattenSettings(r.settings, ctx.lang);
  if (entries.length)
    out.push(
      fittedTable(
        [s.parameter, s.value],
        entries.map(([k, v]) => [k, v]),
        8,
        entries.map(([k, v]) => [cellNode(k, { bold: true, ...CODE }), cellNode(v, { alignment: 'left' })]),
      ),
    );
  return out;
}

function measurementsBlock(ctx: ReportContext, r: ClauseResult): PdfContent[] {
  if (!r.measurements.length) return [];
  const { s, lang } = ctx;
  const texts = r.measurements.map((m) => [
    m.label ? `${inLang(m.label, lang)} ${m.name}` : m.name,
    cellText(m.value, lang),
    unitLabel(m.unit, lang),
    // the level and its percent sign never part (a no-break space)
    m.ci ? `[${cellText(m.ci.low, lang)}, ${cellText(m.ci.high, lang)}] ${m.ci.method} ${Math.round(m.ci.level * 100)}\u00a0%` : '—',
    m.conditions ? conditionsText(m.conditions, lang) : '—',
  ]);
  const nodes = r.measurements.map((m) => [
    m.label ? { stack: [{ text: inLang(m.label, lang) }, cellNode(m.name, { fontSize: 6.5, color: '#5b6573' })] } : undefined,
  ]);
  return [h3(s.measurements), fittedTable([s.measurement, s.value, s.unit, s.ci, s.conditions], texts, 8, nodes)];
}

function findingsBlock(ctx: ReportContext, r: ClauseResult): PdfContent[] {
  const { s, lang } = ctx;
  const f = r.findings ?? [];
  if (!f.length) return [];
  const order = { major: 0, minor: 1, info: 2 } as const;
  const rows = [...f]
    .sort((a, b) => order[a.severity] - order[b.severity])
    .map((x) => [
      { text: s[`severity-${x.severity}`] ?? x.severity, bold: x.severity === 'major' },
      itemLabel(x.item, lang),
      { text: x.text[lang] },
    ]);
  return [h3(s.findingsTitle), table([s.severity, s.findingItem, s.findingText], rows, [40, 50, '*'], 7.5)];
}

/** How the report writes a sub-item (`5.2.6 i)`; chapter-4 clauses as they are). */
function itemLabel(item: string, lang: Lang): string {
  return requirement(item)?.label[lang] ?? item;
}

function coverageBlock(ctx: ReportContext, r: ClauseResult): PdfContent[] {
  const { s, lang } = ctx;
  const rows = r.coverage ?? [];
  if (!rows.length || r.clause === '6.2') return [];
  const body = rows.map((c) => {
    const v =
      c.status === 'met' ? 'pass' : c.status === 'not-met' || (c.status === 'missing' && c.strength === 'shall') ? 'fail' : 'inconclusive';
    const label = s[`status-${c.status}`] ?? c.status;
    return [
      { text: itemLabel(c.item, lang), bold: true },
      { text: requirement(c.item)?.text[lang] ?? '', fontSize: 7 },
      { text: s[c.strength] ?? c.strength, alignment: 'center' },
      c.claims.length ? cellNode(c.claims.join(', ')) : '—',
      c.status === 'not-applicable' && c.reason
        ? { stack: [verdictCell('not-applicable', label), { text: c.reason[lang], fontSize: 6.5 }] }
        : verdictCell(v, label),
    ];
  });
  return [
    h3(s.coverage),
    table([s.coverageItem, s.requirement ?? '', s.strength, s.coverageClaims, s.coverageStatus], body, [42, '*', 40, 70, 70], 8),
  ];
}

function resultTable(ctx: ReportContext, t: ResultTable, file: string): PdfContent[] {
  const fs = t.columns.length > 8 ? 6.5 : 7.5;
  const texts = t.rows.slice(0, MAX_TABLE_ROWS).map((row) => t.columns.map((_c, i) => cellText(row[i], ctx.lang)));
  const headers = t.columns.map((c) => columnLabel(c, ctx.lang) ?? c);
  const out: PdfContent[] = [
    { text: t.title ? `${inLang(t.title, ctx.lang)} (${t.name})` : t.name, bold: true, fontSize: 8.5, margin: [0, 4, 0, 1] },
    fittedTable(
      headers,
      texts,
      fs,
      undefined,
      t.columns.map((c) => columnLabel(c, ctx.lang) === undefined),
    ),
  ];
  if (t.rows.length > MAX_TABLE_ROWS)
    out.push({ text: fill(ctx.s.moreRows, { n: t.rows.length - MAX_TABLE_ROWS, file }), style: 'secondary' });
  return out;
}

/** Statuses of an itemised check of 6.2 that need no attention (shown in the appendix only). */
const CHECK_OK = new Set(['present', 'consistent']);

/**
 * A table of 6.2's itemised checks in the clause's section: the count of items per status and
 * only the items whose status needs attention; every item is in appendix C ({@link checksAppendix}).
 */
function checksSummary(ctx: ReportContext, t: ResultTable, file: string): PdfContent[] {
  const si = t.columns.indexOf('status');
  if (si < 0) return resultTable(ctx, t, file);
  const counts = new Map<string, number>();
  for (const row of t.rows) counts.set(String(row[si]), (counts.get(String(row[si])) ?? 0) + 1);
  const sep = ctx.lang === 'zh' ? '，' : ', ';
  const countText = [...counts].map(([k, n]) => `${cellText(k, ctx.lang)} ${n}`).join(sep);
  const rest = t.rows.filter((row) => !CHECK_OK.has(String(row[si])));
  const note = fill(rest.length ? ctx.s.checksInAppendix : ctx.s.checksAllOk, { n: t.rows.length, counts: countText });
  const title = { text: t.title ? `${inLang(t.title, ctx.lang)} (${t.name})` : t.name, bold: true, fontSize: 8.5, margin: [0, 4, 0, 1] };
  const out: PdfContent[] = [title, { text: note, style: 'secondary' }];
  if (rest.length) out.push(...resultTable(ctx, { ...t, rows: rest }, file).slice(1));
  return out;
}

/** Appendix C: every itemised check of 6.2 (its result tables in full), when the bundle has 6.2. */
export function checksAppendix(ctx: ReportContext): PdfContent[] {
  const r = ctx.byClause.get('6.2');
  if (!r?.tables.length) return [];
  const file = ctx.input.files['6.2'] ?? 'results/6.2.json';
  return [
    { text: ctx.s.appendixChecks, style: 'h1', tocItem: true, headlineLevel: 1, margin: [0, 24, 0, 6] },
    { text: fill(ctx.s.appendixChecksIntro, { file }), style: 'body', margin: [0, 0, 0, 6] },
    ...r.tables.flatMap((t) => resultTable(ctx, t, file)),
  ];
}

function figuresBlock(ctx: ReportContext, r: ClauseResult): PdfContent[] {
  if (!r.figures.length) return [];
  const out: PdfContent[] = [];
  r.figures.forEach((f, i) => {
    const caption = `${ctx.s.figure} ${r.clause}-${i + 1}  ${f.title ? inLang(f.title, ctx.lang) : f.name}`;
    const fig = loadFigure(ctx.input.root, f, ctx.lang);
    let body: PdfContent;
    if (fig.kind === 'svg') {
      const scale = Math.min(1, FIGURE_MAX_WIDTH / fig.width, FIGURE_MAX_HEIGHT / fig.height);
      body = {
        svg: fig.svg,
        width: fig.width * scale,
        height: fig.height * scale,
        font: ctx.font,
        alignment: 'center',
        options: { imageCallback: safeSvgImage, warningCallback: () => undefined },
      };
    } else if (fig.kind === 'png') {
      body = { image: fig.dataUrl, fit: [FIGURE_MAX_WIDTH, FIGURE_MAX_HEIGHT], alignment: 'center' };
    } else {
      body = breakable(`[${ctx.s.figureMissing}: ${f.path} — ${fig.reason}]`, { color: VERDICT_COLORS.fail.text, fontSize: 8 }, 40);
    }
    // the section heading travels with the first figure (an unbreakable block moves to the next page whole)
    const head = i === 0 ? [h3(ctx.s.figures, false)] : [];
    out.push({
      stack: [...head, body, { text: caption, style: 'caption' }, breakable(f.byLang?.[ctx.lang] ?? f.path, { style: 'captionPath' }, 60)],
      unbreakable: true,
      margin: [0, 4, 0, 8],
    });
  });
  return out;
}

function claimsBlock(ctx: ReportContext, r: ClauseResult): PdfContent[] {
  const { s, lang } = ctx;
  if (!r.claims.length) return [h3(s.claimsVsMeasured), { text: s.noClaims, style: 'secondary' }];
  const rows = r.claims.map((c) => {
    const v = c.met === true ? 'pass' : c.met === false ? 'fail' : 'inconclusive';
    const label = c.met === true ? s.metYes : c.met === false ? s.metNo : s.metNull;
    const note = c.note ? (lang === 'zh' ? (c.noteZh ?? c.note) : c.note) : undefined;
    const stmt: PdfContent = note
      ? { stack: [inLang(c.statement, lang), { text: note, fontSize: 6.5, color: '#5b6573' }] }
      : inLang(c.statement, lang);
    return [cellNode(c.id, { bold: true }), stmt, cell(c.expected, lang), cell(c.measured, lang), verdictCell(v, label)];
  });
  return [h3(s.claimsVsMeasured), table([s.claimId, s.statement, s.expected, s.measured, s.met], rows, [42, '*', 70, 70, 50])];
}

function verdictBlock(ctx: ReportContext, r: ClauseResult): PdfContent[] {
  const { s } = ctx;
  const c = VERDICT_COLORS[r.verdict];
  const body: PdfContent[] = [
    { text: `${s.verdict}: ${s.verdicts[r.verdict]}`, bold: true, color: c.text, fontSize: 11 },
    { text: inLang(r.rationale, ctx.lang), margin: [0, 3, 0, 0] },
  ];
  if (r.error && !inLang(r.rationale, 'en').includes(r.error.evalue)) {
    body.push(
      breakable(
        `${s.executionError}: ${r.error.ename}: ${r.error.evalue}${r.error.cell !== undefined ? ` (${s.cell} ${r.error.cell})` : ''}`,
        { fontSize: 8, color: VERDICT_COLORS.fail.text, margin: [0, 3, 0, 0] },
        40,
      ),
    );
  }
  const box = {
    table: { widths: ['*'], body: [[{ stack: body, fillColor: c.fill, margin: [6, 5, 6, 5] }]] },
    layout: { hLineWidth: () => 0, vLineWidth: (i: number) => (i === 0 ? 3 : 0), vLineColor: () => c.text },
    fontSize: 9,
  };
  return [{ stack: [h3(s.verdictAndRationale, false), box], unbreakable: true }];
}

/**
 * One clause's section: heading with both titles and the verdict, the requirement, the verdict with its
 * rationale (and the execution error, if any), method and settings, measurements, findings, result tables,
 * figures (vector SVG), requirement coverage and claims versus measured.
 * A clause without a result gets its requirement and a "not evaluated" note.
 * @param breakBefore start the section on a new page (the first clause follows the section
 *   heading; consecutive clauses without results share a page)
 */
export function clauseSection(ctx: ReportContext, info: ClauseInfo, breakBefore = true): PdfContent[] {
  const r = ctx.byClause.get(info.clause);
  if (!r) {
    // a clause without a result is short: one unbreakable block (its page break on the block itself)
    const stack = [
      ...heading(ctx, info, r, breakBefore, true),
      ...requirementBlock(ctx, info, true),
      { text: ctx.s.notEvaluatedNote, style: 'secondary', margin: [0, 8, 0, 0] },
    ];
    return [{ stack, unbreakable: true, pageBreak: breakBefore ? 'before' : undefined }];
  }
  // the verdict and its rationale first, under the requirement: what an assessor reads first, and no page at the
  // end of a section holding only the verdict box
  const out: PdfContent[] = [
    ...heading(ctx, info, r, breakBefore, false),
    ...requirementBlock(ctx, info, false),
    ...verdictBlock(ctx, r),
  ];
  const file = ctx.input.files[info.clause] ?? `results/${info.clause}.json`;
  // findings are the machine-readable form of the itemised checks; a result that also presents them
  // as tables is shown through its tables only
  // 6.2's itemised checks are its findings, shown through its tables
  out.push(...methodBlock(ctx, info, r), ...measurementsBlock(ctx, r), ...(r.clause === '6.2' ? [] : findingsBlock(ctx, r)));
  if (r.tables.length) {
    out.push(h3(ctx.s.tables));
    for (const t of r.tables) out.push(...(r.clause === '6.2' ? checksSummary(ctx, t, file) : resultTable(ctx, t, file)));
  }
  out.push(...figuresBlock(ctx, r), ...coverageBlock(ctx, r), ...claimsBlock(ctx, r));
  return out;
}

/** Section 2 heading (clauses follow, one per page start). */
export function clausesHeading(ctx: ReportContext): PdfContent {
  return { text: ctx.s.clauses, style: 'h1', tocItem: true, pageBreak: 'before', color: ACCENT };
}
