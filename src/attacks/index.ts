export * from './types.js';
export * from './common.js';
export * from './square.js';
export * from './hopskipjump.js';
export * from './registry.js';
