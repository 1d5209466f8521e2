/** Data readers (npy, CSV, PNG, DICOM), manifests and data sets. */
export * from './types.js';
export * from './npy.js';
export * from './csv.js';
export * from './png.js';
export * from './dicom.js';
export * from './files.js';
export * from './manifest.js';
export * from './dataset.js';
export { danfo } from './danfo.js';
