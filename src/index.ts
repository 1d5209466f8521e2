/**
 * ptm-conformity: the public surface for notebooks and programs.
 * `import { openModel, loadCase, … } from 'ptm-conformity'`.
 */
export * from './errors.js';
export * from './results/index.js';
export * from './env/index.js';
export * from './util/index.js';
export * from './notebook/index.js';
export * from './case/index.js';
export * from './model/index.js';
export * from './data/index.js';
export * from './metrics/index.js';
export * from './figures/index.js';
export * from './display/index.js';
export * from './corruptions/index.js';
export * from './evaluations/index.js';
export * from './training/index.js';
export * from './report/index.js';
export * from './bundle/index.js';
export * from './attacks/index.js';
