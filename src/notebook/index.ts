/**
 * Notebooks: nbformat 4.5 documents, the Jupyter wire protocol, and the headless executor.
 */
export * from './wire.js';
