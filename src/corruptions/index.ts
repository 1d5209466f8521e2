export * from './types.js';
export * from './registry.js';
export { convolveSeparable, gaussianKernel, jpegQuantise, motionBlur, pixelate } from './image-ops.js';
