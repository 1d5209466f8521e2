/**
 * Model sessions (onnxruntime-node) and model inspection (ONNX protobuf): the public part.
 * Internals (shape inference handlers, ONNX reading helpers) are imported from their modules.
 */
export * from './types.js';
export { sha256File } from './hash.js';
export { checkFeeds } from './check.js';
export { cudaBinaries, cpuDevice, gpuDevice, parseProfilePlacement, type Placement } from './providers.js';
export { OrtModelSession } from './session.js';
export { openModel, judgePlacement } from './open.js';
export { inspectModel } from './inspect.js';
export { formatInspection } from './format.js';
export { COUNTED_OPS } from './infer.js';
