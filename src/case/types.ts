/**
 * Types of an evaluation case (clause 6.1): what a provider hands an assessor. The JSON shapes are
 * validated by `templates/case.schema.json` and `templates/claims.schema.json`; these are the
 * TypeScript views of them after `loadCase()`.
 */

import type { DatasetRole, DatasetSpec, Modality, TaskType } from '../data/dataset-spec.js';

export { DATASET_ROLES, type DatasetRole, type DatasetSpec, type Modality, type TaskType } from '../data/dataset-spec.js';

/** Affine pre-processing from raw input values (e.g. HU) to model input: `clip`, then `(x - offset) * scale`. */
export interface AffinePreprocess {
  kind: 'affine';
  clip?: [number, number];
  offset: number;
  scale: number;
}

/** Per-feature standardisation `(x - mean[i]) / std[i]` (tabular). */
export interface StandardizePreprocess {
  kind: 'standardize';
  mean: number[];
  std: number[];
}

/** How raw samples become model inputs and model outputs become decisions. */
export interface ModelIOSpec {
  /** Model input name. */
  input: string;
  /** Model output name (scores/logits). */
  output: string;
  /** Declared input shape, batch dimension first (a string for a symbolic dim, e.g. `["N",1,64,64]`). */
  inputShape: (number | string)[];
  /** Pre-processing applied to raw inputs (identity when absent). */
  preprocess?: AffinePreprocess | StandardizePreprocess;
  /** How outputs become probabilities: sigmoid (binary, one channel), softmax (over axis 1), none (already probabilities). */
  outputActivation: 'sigmoid' | 'softmax' | 'none';
  /** Decision threshold for sigmoid outputs (default 0.5). */
  threshold?: number;
  /**
   * `NCHW`: the model wants channels first, so channels-last images (RGB PNGs load as `[H,W,3]`) are transposed
   * after pre-processing (a per-channel `standardize` then has one mean/std per channel). Default: as loaded.
   */
  channelOrder?: 'NCHW' | 'NHWC';
  /** Other model inputs with a fixed value on every run (e.g. a sample rate), by input name. */
  constants?: Record<string, { dtype: 'float32' | 'int64' | 'int32'; shape?: number[]; value: number | number[] }>;
  /** Recurrent state inputs: zeros at the start of a data set, then fed back from `output` after every sample. */
  state?: { input: string; output: string; shape: number[] }[];
}

/** A model variant for 6.3.4 c) (another parameter configuration or precision of the same model). */
export interface ModelVariantSpec {
  name: string;
  /** ONNX file, relative to the case. */
  model: string;
  note?: string;
}

/** Training settings for 6.3.1 (source task) and 6.3.3 (downstream fine-tuning). */
export interface TrainingSpec {
  /** Which data set role to train on / validate on. */
  trainRole: DatasetRole;
  validationRole?: DatasetRole;
  epochs: number;
  batchSize: number;
  optimizer: { kind: 'sgd'; lr: number; momentum?: number } | { kind: 'adam'; lr: number };
  /** e.g. `{ kind: 'step', every: 20, factor: 0.9 }` (appendix B: −10 % every 20 epochs). */
  schedule?: { kind: 'step'; every: number; factor: number } | { kind: 'constant' };
  loss: 'cross-entropy' | 'binary-cross-entropy' | 'dice' | 'dice-bce';
  /** Layers left trainable: `last` (last parameterised layer), `head` (from a named node on), `all`. */
  trainable?: 'last' | 'all' | { from: string };
  augmentation?: { flips?: boolean; gaussianNoise?: number };
  /** Provider's own training command (6.3.1 capture), run from the case directory. */
  command?: { argv: string[]; timeoutSec?: number; metrics?: 'jsonl' | 'csv' | { regex: string } };
}

/** The case file (`case.json`). */
export interface CaseSpec {
  name: string;
  /** Human-readable title in both report languages. */
  title?: { zh: string; en: string };
  task: TaskType;
  modality: Modality;
  /** Class labels; index = class id. Segmentation: `["background", "body"]`. */
  labels: string[];
  /** ONNX model, relative to the case directory. */
  model: string;
  description: string;
  claims: string;
  /** Optional TypeScript module with `preprocess`/`postprocess` for non-tensor inputs. */
  adapter?: string;
  io: ModelIOSpec;
  datasets: Partial<Record<DatasetRole, DatasetSpec>>;
  variants?: ModelVariantSpec[];
  training?: TrainingSpec;
  /** 6.3.3: settings for fine-tuning on `downstreamTrain`. */
  downstream?: TrainingSpec & { labels?: string[]; task?: TaskType };
  seeds?: { default: number };
  /** How claims are decided: the confidence level of the intervals (default 0.95). */
  decision?: { level?: number };
  /** 6.3.6: declared reference errors per corruption and severity (1…5) for mCE normalisation. */
  /**
   * 6.3.6: declared reference errors (mCE), the tensor of the feature-space OOD score
   * (`featureTensor`; default the pre-processed input) and the provider's rejection rule.
   */
  robustness?: {
    reference?: Record<string, number[]>;
    featureTensor?: string;
    rejection?: { output?: string; score?: 'msp' | 'energy' | 'feature'; threshold: number; reject?: 'below' | 'above' };
  };
}

/** Comparators a claim may use. */
export type Comparator = '<=' | '<' | '>=' | '>' | '==' | 'within';

/**
 * One measurable claim of chapter 5. `metric` names what the clause measures (each clause module
 * documents its metric names); `conditions` say under which settings (e.g. `{ batch: 1, threads: 4 }`).
 * `within`: |measured − value| ≤ tolerance.
 */
export interface Claim {
  id: string;
  /** The chapter-5 clause, e.g. `5.2.6`. */
  clause: string;
  /**
   * The chapter-5 sub-item the claim covers (`5.2.6.i`); after `loadCase()` always set: when the file
   * omits it, the first sub-item of `clause` whose metrics (templates/requirements.json) list `metric`.
   */
  covers?: string;
  statement: { zh: string; en: string };
  metric: string;
  comparator: Comparator;
  value: number;
  tolerance?: number;
  unit?: string;
  conditions?: Record<string, unknown>;
}

/** The claims file (`claims.json`). */
export interface ClaimsDocument {
  modelId: string;
  version: string;
  claims: Claim[];
  /** Sub-items (where-applicable or should only) the provider declares not applicable, with the reason. */
  notApplicable?: { item: string; reason: { zh: string; en: string } }[];
}

/** A case after `loadCase()`: validated, paths resolved and confined to `dir`. */
export interface LoadedCase {
  /** Absolute case directory. */
  dir: string;
  /** Absolute path of case.json. */
  file: string;
  spec: CaseSpec;
  /** Absolute model path. */
  modelPath: string;
  /** SHA-256 of the model file (hex). */
  modelSha256: string;
  /** The parsed description document (chapter 4). */
  description: Record<string, unknown>;
  claims: ClaimsDocument;
  /** Absolute path of the description file. */
  descriptionPath?: string;
  /** Absolute path of the claims file. */
  claimsPath?: string;
  /** Absolute path of a case file given relative to the case (throws when it escapes the case). */
  resolve(rel: string): string;
}
