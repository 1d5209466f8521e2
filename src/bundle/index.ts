/**
 * The evidence bundle: manifest (SHA-256 of every file), Ed25519 signature, verification, and the
 * main job that executes the clause notebooks and writes the bundle.
 */
export * from './hash.js';
export * from './manifest.js';
export * from './signature.js';
export * from './verify.js';
export * from './progress.js';
export * from './clause-run.js';
export * from './run.js';
