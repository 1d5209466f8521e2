/**
 * Contract of model sessions (implemented in this folder with onnxruntime-node).
 */

/** Execution provider names accepted by `openModel`. `auto` tries cuda (if installed), webgpu, then cpu. */
export type EpChoice = 'auto' | 'cpu' | 'webgpu' | 'cuda';

/** Options of `openModel`. */
export interface OpenModelOptions {
  ep?: EpChoice;
  /** Intra-op threads (default: onnxruntime's choice). */
  threads?: number;
  /** Inter-op threads (parallel execution mode only). */
  interOpThreads?: number;
  executionMode?: 'sequential' | 'parallel';
  graphOptimization?: 'disabled' | 'basic' | 'extended' | 'all';
}

/** Name, element type and shape (symbolic dims as strings) of a model input or output. */
export interface TensorInfo {
  name: string;
  type: string;
  shape: (number | string)[];
}

/** A provider that was tried and not used. */
export interface ProviderFallback {
  provider: string;
  reason: string;
}
