export * from './fonts.js';
export * from './metrics.js';
export * from './render.js';
export * from './style.js';
export * from './charts.js';
export * from './charts-eval.js';
