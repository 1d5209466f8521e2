/** A.10 metrics (classification, ranking, segmentation, detection, text), confidence intervals and statistics. */
export * from './options.js';
export * from './confusion.js';
export * from './classification.js';
export * from './ranking.js';
export * from './segmentation.js';
export * from './ci.js';
export * from './stats.js';
export * from './report.js';
export { argsortAscending, argsortRuns } from './sort.js';
export * from './detection.js';
export * from './text.js';
export * from './tables.js';
export * from './files.js';
