/**
 * Training for 6.3.1 (trainability) and 6.3.3 (transferability): the built-in trainer (ONNX →
 * TensorFlow.js, frozen prefix in onnxruntime), convergence analysis, and the capture of a
 * provider's own training command.
 */
export * from './onnx-model.js';
export { SUPPORTED_OPS, planTraining, type TrainableChoice, type TrainingPlan, type LayerInfo } from './plan.js';
export { TfGraph, scratchInitializers } from './graph.js';
export * from './losses.js';
export * from './optimizers.js';
export * from './augment.js';
export * from './prefix.js';
export * from './trainer.js';
export * from './convergence.js';
export * from './provider.js';
export * from './backend.js';
