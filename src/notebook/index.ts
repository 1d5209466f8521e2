/**
 * Notebooks: nbformat 4.5 documents (read, build, validate, write), papermill-style parameters,
 * the Jupyter wire protocol and client, and the headless executor.
 */
export * from './wire.js';
export * from './nbformat.js';
export * from './schema.js';
export * from './parameters.js';
export * from './progress.js';
export * from './metadata.js';
export { KernelClient, KernelDiedError, type RequestChannel } from './client.js';
export { KernelProcess, freePorts, newConnectionInfo, type ConnectionInfo } from './launch.js';
export { KernelSession, type SessionOptions } from './session.js';
export { executeNotebook, type ExecuteOptions, type ExecuteResult, type ExecutionFailure } from './executor.js';
