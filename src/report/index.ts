/**
 * The bilingual PDF conformity report (pdfmake): cover, contents, summary, one section per
 * clause, appendices (environment, manifest).
 */
export * from './strings.js';
export * from './format.js';
export * from './load.js';
export * from './figures.js';
export * from './context.js';
export * from './cover.js';
export * from './summary.js';
export * from './clause.js';
export * from './appendix.js';
export * from './document.js';
export * from './render.js';
