export * from './types.js';
export * from './judge.js';
