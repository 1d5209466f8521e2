/**
 * The bilingual PDF conformity report (pdfmake): cover, contents, summary, one section per
 * clause, appendices (environment, manifest). The public surface is {@link renderReport}; the
 * section builders are internal.
 */
export { renderReport, renderReportBuffer, renderPdf, type RenderReportOptions } from './render.js';
export { loadReportInput, type ReportInput } from './load.js';
export { loadFigure, safeSvgImage, MAX_FIGURE_BYTES, type LoadedFigure } from './figures.js';
export { reportStrings, clauseRequirement, type ReportLang, type ReportStrings, type ClauseRequirement } from './strings.js';
