export * from './types.js';
export * from './clauses.js';
export * from './validate.js';
export * from './write.js';
