/**
 * The ptm-conformity Jupyter kernel: the in-kernel display channel and kernelspec helpers.
 * The kernel server itself (`server.ts`, `launcher.ts`) is not re-exported here so that importing
 * the library never loads the TypeScript compiler or ZeroMQ.
 */
export * from './runtime.js';
export * from './kernelspec.js';
export * from './install.js';
