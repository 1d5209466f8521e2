export * from './types.js';
export * from './judge.js';
export * from './paths.js';
export * from './schema-errors.js';
export * from './load.js';
export * from './predict.js';
export * from './init.js';
