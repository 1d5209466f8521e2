/**
 * Contract of model sessions and model inspection (implemented in this folder with
 * onnxruntime-node and onnx-proto).
 */
import type { Tensor } from 'onnxruntime-node';
import type { Bilingual } from '../results/types.js';
import type { ProviderInfo } from '../util/environment.js';

/** Execution provider names accepted by `openModel` and `ptmc run --ep`. `auto` tries cuda (if installed), webgpu, then cpu. */
export const EP_CHOICES = ['auto', 'cpu', 'webgpu', 'cuda'] as const;

/** One of {@link EP_CHOICES}. */
export type EpChoice = (typeof EP_CHOICES)[number];

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
  /** Plain text (English; onnxruntime's own error message quoted as it is). */
  reason: string;
  /** The reason in both languages (our sentence translated, onnxruntime's quoted message unchanged). */
  text?: Bilingual;
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

/**
 * Model inputs other than the data input, fed on every run (`io.constants` and `io.state` of a case):
 * `constants` are fixed tensors (e.g. Silero's `sr = 16000`); each `state` input starts as zeros and is
 * replaced after every run by the named output (recurrent h/c), so state is carried from one sample to the
 * next through a data set; a model with state runs one sample per batch.
 */
export interface BoundInputs {
  constants?: Record<string, FeedTensor>;
  state?: { input: string; output: string; shape: number[] }[];
  /** Extra inputs computed per run from the data input (a case adapter's `feeds`). */
  dynamic?: (primary: { data: Float32Array; dims: number[] }) => Record<string, FeedTensor>;
  /** Recurrent state computed by code (a case adapter's `state`): initial tensors, then the next from the outputs. */
  stateHooks?: { init(): Record<string, FeedTensor>; next(outputs: Record<string, FeedTensor>): Record<string, FeedTensor> };
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
  /**
   * Binds the inputs other than the data input (constants, recurrent state), checked against the model;
   * {@link run} fills the bound inputs a call does not give, and runBatches/predictAll feed them.
   * @throws InputError when a name is not an input of the model, or a tensor does not fit it
   */
  bind(inputs: BoundInputs): void;
  /** One checked run; feeds are checked against the model's inputs first. */
  run(feeds: Record<string, FeedTensor>, outputNames?: string[]): Promise<Record<string, Tensor>>;
  /** Batched inference over a data set stacked along dim 0. */
  runBatches(x: Float32Array, shape: number[], options?: RunBatchesOptions): AsyncIterable<BatchResult>;
  /** All outputs over a data set, concatenated along dim 0. */
  predictAll(x: Float32Array, shape: number[], options?: PredictAllOptions): Promise<Record<string, OutputTensor>>;
  /** Frees the native session. */
  release(): Promise<void>;
}

/** One row of the per-layer table (cf. table B.1 of the standard): one node of the main graph. */
export interface LayerRow {
  /** Node name (or `<op>_<index>` when the node has none). */
  name: string;
  op: string;
  /** Data inputs (initializers excluded). */
  inputs: string[];
  /** Inferred shapes of the data inputs (null = unknown). */
  inputShapes: (number[] | null)[];
  /** Inferred shape of the first output (null = unknown). */
  outputShape: number[] | null;
  /** Elements of the initializers the node consumes. */
  parameters: number;
  /** Multiply-accumulates; null when not counted. */
  macs: number | null;
  /** Floating-point operations; null when not counted. */
  flops: number | null;
  /**
   * For If (and Loop/Scan bodies): each subgraph's own count, named by its attribute (`then_branch`,
   * `else_branch`, `body`); an If's macs/flops are those of its larger branch (an upper bound over both).
   */
  branches?: { name: string; macs: number; flops: number; complete: boolean; layers: LayerRow[] }[];
}

/** A node whose cost was not counted, and why. */
export interface NotCountedNode {
  name: string;
  op: string;
  reason: string;
}

/** One initializer (weights) of the model, subgraphs included. */
export interface InitializerInfo {
  name: string;
  dtype: string;
  shape: number[];
  /** Elements (product of the dims). */
  count: number;
  /** Set when the initializer lives in a subgraph (e.g. `graph/branch.then_branch`). */
  graph?: string;
  /** Set when its data is stored in an external file (relative path as written in the model). */
  external?: string;
  /** Set for a sparse initializer: `count` is its dense element count, `stored` the values kept. */
  sparse?: { stored: number };
  /** Set when the weight is stored as a large float `Constant` node (counted like an initializer). */
  constant?: true;
}

/** Options of `inspectModel`. */
export interface InspectOptions {
  /** Concrete shapes for the model's inputs (needed for symbolic dims), e.g. `{ input: [1, 1, 256, 256] }`. */
  inputShapes?: Record<string, number[]>;
}

/** Identity and structure of an ONNX model (`ptmc inspect --json`). */
export interface ModelInspection {
  path: string;
  sha256: string;
  /** Size of the .onnx file in bytes. */
  bytes: number;
  /** Total size of the external data files it references (0 when none). */
  externalDataBytes: number;
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producer: { name: string; version: string };
  /** Graph inputs that are not initializers; symbolic dims as strings, null shape when undeclared. */
  inputs: { name: string; type: string; shape: (number | string)[] | null }[];
  outputs: { name: string; type: string; shape: (number | string)[] | null }[];
  /** Nodes of the main graph. */
  nodeCount: number;
  /** Nodes of the main graph and of every subgraph. */
  totalNodeCount: number;
  /** Op-type histogram of the main graph. */
  opTypes: Record<string, number>;
  /** Op-type histogram of the main graph and every If/Loop/Scan subgraph. */
  opTypesAll: Record<string, number>;
  parameters: {
    /** Sum of every initializer's element count (subgraphs included). */
    total: number;
    /** Elements of floating-point initializers only (weights; shape constants excluded). */
    floatingPoint: number;
    initializers: InitializerInfo[];
  };
  /** Shapes the MAC count used (given or static), by input name. */
  inputShapes: Record<string, number[]>;
  /** Multiply-accumulates of one forward pass at `inputShapes`; null when an input shape is unknown. */
  macs: number | null;
  /** Floating-point operations (2 × MACs plus element-wise and pooling operations); null as macs. */
  flops: number | null;
  /** False when some nodes were not counted (macs is then a lower bound). */
  macsComplete: boolean;
  /** Why macs is null, when it is. */
  macsNote?: string;
  /** Nodes whose cost is not in the totals, with the reason. */
  notCounted: NotCountedNode[];
  /** Per-layer table (main graph). */
  layers: LayerRow[];
}
