export * from './types.js';
export * from './hash.js';
export * from './check.js';
export * from './providers.js';
export * from './session.js';
export * from './open.js';
export * from './inspect.js';
export * from './format.js';
export { COUNTED_OPS } from './infer.js';
