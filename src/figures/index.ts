export * from './fonts.js';
export * from './metrics.js';
export * from './render.js';
