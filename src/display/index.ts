export * from './emit.js';
export * from './basic.js';
export * from './table.js';
export * from './plot.js';
