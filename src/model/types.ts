/**
 * Contract of model sessions and model inspection (implemented in this folder with
 * onnxruntime-node and onnx-proto).
 */
import type { Tensor } from 'onnxruntime-node';
import type { ProviderInfo } from '../env/environment.js';

/** Execution provider names accepted by `openModel`. `auto` tries cuda (if installed), webgpu, then cpu. */
export type EpChoice = 'auto' | 'cpu' | 'webgpu' | 'cuda';

/** A provider that can actually run a session (what `ModelSession.provider` reports). */
export type RunningProvider = 'cpu' | 'webgpu' | 'cuda';

/** Options of `openModel`. */
export interface OpenModelOptions {
  /** Requested execution provider (default `auto`). */
  ep?: EpChoice;
  /** Intra-op threads (default: onnxruntime's choice, one per physical core). */
  threads?: number;
  /** Inter-op threads (parallel execution mode only). */
  interOpThreads?: number;
  /** Sequential (default) or parallel execution of independent graph branches. */
  executionMode?: 'sequential' | 'parallel';
  /** onnxruntime graph optimisation level (default `all`). */
  graphOptimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /**
   * Concrete shapes for the one probe run that verifies where a GPU provider placed the nodes
   * (symbolic dims default to 1). Only used when a GPU provider is tried.
   */
  probeShapes?: Record<string, number[]>;
}

/** Name, element type and shape (symbolic dims as strings) of a model input or output. */
export interface TensorInfo {
  name: string;
  type: string;
  shape: (number | string)[];
}

/** A provider that was tried and not used (or only partly used), with the reason. */
export interface ProviderFallback {
  provider: string;
  reason: string;
}

/** A dense output tensor as plain data (non-float outputs are converted to float32). */
export interface OutputTensor {
  data: Float32Array;
  dims: number[];
}

/** One batch yielded by `ModelSession.runBatches`. */
export interface BatchResult {
  /** Index of the batch's first sample in the data set. */
  start: number;
  /** Samples in this batch (the last batch may be short). */
  count: number;
  /** Requested outputs by name. */
  outputs: Record<string, OutputTensor>;
  /** Wall time of this batch's `session.run`, milliseconds. */
  ms: number;
}

/** Options of `ModelSession.runBatches`. */
export interface RunBatchesOptions {
  /** Samples per run (default 1). */
  batchSize?: number;
  /** Runs on the first batch before the loop, excluded from the outputs (default 1). */
  warmup?: number;
  /** Model input to feed (default: the model's only input). */
  inputName?: string;
  /** Outputs to fetch (default: all). */
  outputNames?: string[];
}

/** Options of `ModelSession.predictAll`. */
export interface PredictAllOptions {
  /** Samples per run (default 1). */
  batchSize?: number;
  /** Warm-up runs, excluded from the outputs (default 0). */
  warmup?: number;
  /** Model input to feed (default: the model's only input). */
  inputName?: string;
  /** Outputs to fetch (default: all). */
  outputNames?: string[];
}

/** Minimal tensor shape accepted as a feed: what `onnxruntime-node`'s `Tensor` provides. */
export interface FeedTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

/** An open inference session on one model file. */
export interface ModelSession {
  /** The model file as given. */
  readonly path: string;
  /** The provider that actually runs the model (never a GPU provider that did not run). */
  readonly provider: RunningProvider;
  /** The provider asked for (`auto`, `cpu`, `webgpu`, `cuda`). */
  readonly requestedProvider: EpChoice;
  /** Providers tried and not used, or partly used, with reasons. */
  readonly fallbacks: ProviderFallback[];
  /** Nodes per onnxruntime execution provider seen in the verification run (GPU providers only). */
  readonly placement?: Record<string, number>;
  /** onnxruntime-node version. */
  readonly ortVersion: string;
  /** CPU model, or the GPU's name when a GPU provider runs. */
  readonly device: string;
  readonly inputs: TensorInfo[];
  readonly outputs: TensorInfo[];
  /** SHA-256 of the model file (hex). */
  readonly sha256: string;
  /** What ran, for `collectEnvironment`. */
  providerInfo(): ProviderInfo;
  /** One checked run; feeds are checked against the model's inputs first. */
  run(feeds: Record<string, FeedTensor>, outputNames?: string[]): Promise<Record<string, Tensor>>;
  /** Batched inference over a data set stacked along dim 0. */
  runBatches(x: Float32Array, shape: number[], options?: RunBatchesOptions): AsyncIterable<BatchResult>;
  /** All outputs over a data set, concatenated along dim 0. */
  predictAll(x: Float32Array, shape: number[], options?: PredictAllOptions): Promise<Record<string, OutputTensor>>;
  /** Frees the native session. */
  release(): Promise<void>;
}
