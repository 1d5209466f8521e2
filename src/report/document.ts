import { CLAUSES } from '../results/clauses.js';
import { decisionRulesAppendix, environmentAppendix, manifestAppendix } from './appendix.js';
import { checksAppendix, clauseSection, clausesHeading } from './clause.js';
import type { ReportContext } from './context.js';
import { coverSection } from './cover.js';
import { ACCENT, type PdfContent, type PdfNode } from './format.js';
import { fill } from './strings.js';
import { summarySection, tocSection } from './summary.js';

/** A4 height in points. */
const A4_HEIGHT = 841.89;
/** Bottom page margin (points). */
const BOTTOM_MARGIN = 50;
/** Room a heading needs below it on its page (points). */
const HEADING_KEEP = 100;

/** Paragraph and heading styles of the report. */
export const REPORT_STYLES: PdfNode = {
  h1: { fontSize: 15, bold: true, color: ACCENT, margin: [0, 0, 0, 8] },
  h2: { fontSize: 14, bold: true, color: ACCENT, margin: [0, 0, 0, 6] },
  h3: { fontSize: 10.5, bold: true, color: '#2f4b7c', margin: [0, 9, 0, 3] },
  body: { fontSize: 9.5 },
  secondary: { fontSize: 8, color: '#5b6573', margin: [0, 2, 0, 3] },
  caption: { fontSize: 8.5, bold: true, alignment: 'center', margin: [0, 3, 0, 0] },
  captionPath: { fontSize: 6.5, color: '#8a94a6', alignment: 'center' },
};

/**
 * The complete pdfmake document definition of the report: cover, contents, summary, one section
 * per clause of the registry, appendices; A4, running header with the model hash (from page 2),
 * page numbers, document info with fixed dates (`generatedAt`).
 * @param ctx the loaded results, manifest and language
 */
export function buildDocDefinition(ctx: ReportContext): PdfNode {
  const { s } = ctx;
  const content: PdfContent[] = [
    ...coverSection(ctx),
    ...tocSection(ctx),
    ...summarySection(ctx),
    clausesHeading(ctx),
    ...CLAUSES.flatMap((c, i) => clauseSection(ctx, c, i > 0 && (ctx.byClause.has(c.clause) || ctx.byClause.has(CLAUSES[i - 1]!.clause)))),
    ...decisionRulesAppendix(ctx),
    ...environmentAppendix(ctx),
    ...manifestAppendix(ctx),
    ...checksAppendix(ctx),
  ];
  const date = new Date(ctx.generatedAt);
  const tool = `${ctx.manifest.tool.name} ${ctx.manifest.tool.version}`;
  return {
    pageSize: 'A4',
    pageMargins: [50, 62, 50, BOTTOM_MARGIN],
    language: ctx.lang === 'zh' ? 'zh-CN' : 'en',
    info: {
      title: `${s.reportTitle} — ${ctx.caseName}`,
      author: tool,
      subject: `${s.modelSha} ${ctx.modelSha}`,
      keywords: `conformity; pre-trained model; YY/T 1833.5; ${ctx.modelSha}`,
      creator: tool,
      producer: `${tool} (pdfmake)`,
      creationDate: date,
      modDate: date,
    },
    header: (page: number) =>
      page === 1
        ? null
        : {
            margin: [50, 22, 50, 0],
            stack: [
              {
                columns: [
                  { text: ctx.caseName, width: '*' },
                  { text: `${s.headerModel}: ${ctx.modelSha}`, width: 'auto', alignment: 'right' },
                ],
                fontSize: 6.5,
                color: '#5b6573',
              },
              { canvas: [{ type: 'line', x1: 0, y1: 3, x2: 495, y2: 3, lineWidth: 0.5, lineColor: '#b0b7c3' }] },
            ],
          },
    footer: (page: number, pages: number) =>
      page === 1
        ? null
        : {
            margin: [50, 14, 50, 0],
            columns: [
              { text: tool, fontSize: 7, color: '#8a94a6' },
              { text: fill(s.page, { n: page, N: pages }), alignment: 'right', fontSize: 8, color: '#44546a' },
            ],
          },
    content,
    // a heading never ends a page: one that starts in the last ~100 pt moves to the next page
    // (pdfmake records a table's header cells on the page it first tried, so counting the nodes
    // that follow on the page is not reliable)
    pageBreakBefore: (node: { headlineLevel?: number; startPosition?: { top: number } }) =>
      Boolean(node.headlineLevel) && (node.startPosition?.top ?? 0) > A4_HEIGHT - BOTTOM_MARGIN - HEADING_KEEP,
    defaultStyle: { font: ctx.font, fontSize: 9.5, lineHeight: 1.2 },
    styles: REPORT_STYLES,
  };
}
