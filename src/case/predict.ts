import { ADAPTER_SIGNATURES, caseSessionBindings, loadAdapter, type AdapterOutput, type CaseAdapter } from './adapter.js';
import { InputError } from '../util/errors.js';
import { loadDataset } from '../data/manifest.js';
import type { Dataset } from '../data/types.js';
import { openModel } from '../model/open.js';
import type { ModelSession, OpenModelOptions } from '../model/types.js';
import type { DatasetRole, LoadedCase, ModelIOSpec } from './types.js';

/** Model outputs turned into probabilities and decisions by the case's `io` block. */
export interface Prediction {
  /**
   * Classification: N×C class probabilities (a one-logit sigmoid model gives C = 2: `[1 − p, p]`).
   * Binary segmentation (sigmoid, or softmax over 2 channels): N×H×W foreground probability.
   * Multi-class segmentation: N×C×H×W.
   */
  probs: Float32Array;
  /** Classification: the decided class per sample. */
  labels?: Int32Array;
  /** Segmentation: the decided class per pixel, N×H×W. */
  masks?: Uint8Array;
  numClasses: number;
  /** The raw model output (`io.output`), as returned. */
  logits?: Float32Array;
  /** Dims of the raw output. */
  dims: number[];
}

/** A case's model with the case's pre- and post-processing. */
export interface CaseModel {
  session: ModelSession;
  /** Raw values (HU, features) → model input, per `io.preprocess` (identity when absent). */
  preprocess(x: Float32Array, shape: number[]): Float32Array;
  /** Pre-processes, reshapes to the declared input shape, runs in batches and post-processes. */
  predict(x: Float32Array, shape: number[], opts?: { batchSize?: number }): Promise<Prediction>;
  /** Model input (already pre-processed) → prediction; for attacks that work in model space. */
  predictModelSpace(x: Float32Array, shape: number[], opts?: { batchSize?: number }): Promise<Prediction>;
  /** The shape fed to the model for raw data of `shape` (e.g. `[N,64,64]` → `[N,1,64,64]`). */
  modelShape(shape: number[]): number[];
  release(): Promise<void>;
}

/**
 * Applies a case's pre-processing: `affine` clips (when given) then computes `(x − offset) × scale`;
 * `standardize` computes `(x[i] − mean[i]) / std[i]` over the last axis.
 * @param io the case's io block
 * @param x raw values, N first
 * @param shape shape of `x`
 * @returns a new array (the input is not changed)
 * @throws {InputError} when standardize's feature count differs from the last dim
 * @example
 * applyPreprocess({ …, preprocess: { kind: 'affine', clip: [-1000, 1000], offset: -1000, scale: 0.0005 } }, hu, [1, 64, 64]);
 */
export function applyPreprocess(io: ModelIOSpec, x: Float32Array, shape: number[]): Float32Array {
  const p = io.preprocess;
  const out = new Float32Array(x.length);
  if (!p) {
    out.set(x);
    return toChannelsFirst(io, out, shape);
  }
  if (p.kind === 'affine') {
    const lo = p.clip ? p.clip[0] : -Infinity;
    const hi = p.clip ? p.clip[1] : Infinity;
    for (let i = 0; i < x.length; i++) out[i] = (Math.min(hi, Math.max(lo, x[i]!)) - p.offset) * p.scale;
    return toChannelsFirst(io, out, shape);
  }
  const f = shape[shape.length - 1]!;
  if (f !== p.mean.length)
    throw new InputError(`data have ${f} features, the case standardises ${p.mean.length}`, {
      field: '/io/preprocess/mean',
      remedy: 'load the data set with the featureColumns the model was trained on',
    });
  for (let i = 0; i < x.length; i++) out[i] = (x[i]! - p.mean[i % f]!) / p.std[i % f]!;
  return toChannelsFirst(io, out, shape);
}

/** Channels-last images `[N,H,W,C]` (as PNGs load) → `[N,C,H,W]` when `io.channelOrder` is `NCHW`; else as is. */
function toChannelsFirst(io: ModelIOSpec, x: Float32Array, shape: number[]): Float32Array {
  if (io.channelOrder !== 'NCHW' || shape.length !== 4) return x;
  const [n, h, w, c] = shape as [number, number, number, number];
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let z = 0; z < w; z++) for (let k = 0; k < c; k++) out[((b * c + k) * h + y) * w + z] = x[((b * h + y) * w + z) * c + k]!;
  return out;
}

/**
 * The model-input shape for raw data: the batch dim of `shape`, then the declared non-batch dims
 * of `io.inputShape` when their element count matches (a missing channel axis is added); with
 * `io.channelOrder: "NCHW"`, channels-last images `[N,H,W,C]` become `[N,C,H,W]`.
 * @throws {InputError} when the per-sample element count differs from the declared shape
 */
export function modelInputShape(io: ModelIOSpec, shape: number[]): number[] {
  if (io.channelOrder === 'NCHW' && shape.length === 4) shape = [shape[0]!, shape[3]!, shape[1]!, shape[2]!];
  const per = shape.slice(1).reduce((a, b) => a * b, 1);
  const declared = io.inputShape.slice(1);
  if (declared.every((d) => typeof d === 'number')) {
    const want = (declared as number[]).reduce((a, b) => a * b, 1);
    if (want !== per)
      throw new InputError(`samples of shape [${shape.slice(1)}] do not fit the declared input [${io.inputShape}]`, {
        field: '/io/inputShape',
        remedy: 'check the data set against the model input shape declared in case.json',
      });
    return [shape[0]!, ...(declared as number[])];
  }
  return shape.slice();
}

function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

/**
 * Turns a raw model output into probabilities and decisions per `io.outputActivation` and
 * `io.threshold` (default 0.5). Outputs of rank ≥ 3 are segmentation maps (N×C×H×W or N×H×W).
 * @param io the case's io block
 * @param data raw output values
 * @param dims raw output dims
 * @example
 * postprocess(io, logits, [4, 1, 64, 64]).masks; // N×H×W of 0/1
 */
export function postprocess(io: ModelIOSpec, data: Float32Array, dims: number[]): Prediction {
  const n = dims[0]!;
  const thr = io.threshold ?? 0.5;
  const act = io.outputActivation;
  if (dims.length >= 3) {
    const c = dims.length === 4 ? dims[1]! : 1;
    const hw = data.length / (n * c);
    if (c === 1) {
      const probs = new Float32Array(n * hw);
      const masks = new Uint8Array(n * hw);
      for (let i = 0; i < probs.length; i++) {
        probs[i] = act === 'sigmoid' ? sigmoid(data[i]!) : data[i]!;
        masks[i] = probs[i]! >= thr ? 1 : 0;
      }
      return { probs, masks, numClasses: 2, logits: data, dims };
    }
    const soft = new Float32Array(data.length);
    const masks = new Uint8Array(n * hw);
    for (let s = 0; s < n; s++)
      for (let p = 0; p < hw; p++) {
        let m = -Infinity;
        let arg = 0;
        for (let k = 0; k < c; k++) {
          const v = data[(s * c + k) * hw + p]!;
          if (v > m) {
            m = v;
            arg = k;
          }
        }
        let z = 0;
        for (let k = 0; k < c; k++) z += act === 'softmax' ? Math.exp(data[(s * c + k) * hw + p]! - m) : data[(s * c + k) * hw + p]!;
        for (let k = 0; k < c; k++) {
          const v = data[(s * c + k) * hw + p]!;
          soft[(s * c + k) * hw + p] = act === 'softmax' ? Math.exp(v - m) / z : v;
        }
        masks[s * hw + p] = arg;
      }
    const probs = c === 2 ? new Float32Array(n * hw) : soft;
    if (c === 2) for (let s = 0; s < n; s++) probs.set(soft.subarray((s * 2 + 1) * hw, (s * 2 + 2) * hw), s * hw);
    return { probs, masks, numClasses: c, logits: data, dims };
  }
  const c = dims.length === 2 ? dims[1]! : 1;
  if (c === 1) {
    const probs = new Float32Array(n * 2);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const p = act === 'sigmoid' ? sigmoid(data[i]!) : data[i]!;
      probs[2 * i] = 1 - p;
      probs[2 * i + 1] = p;
      labels[i] = p >= thr ? 1 : 0;
    }
    return { probs, labels, numClasses: 2, logits: data, dims };
  }
  const probs = new Float32Array(n * c);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = data.subarray(i * c, (i + 1) * c);
    const m = Math.max(...row);
    let z = 0;
    for (let k = 0; k < c; k++) z += act === 'softmax' ? Math.exp(row[k]! - m) : act === 'sigmoid' ? sigmoid(row[k]!) : row[k]!;
    let arg = 0;
    for (let k = 0; k < c; k++) {
      const v = act === 'softmax' ? Math.exp(row[k]! - m) / z : act === 'sigmoid' ? sigmoid(row[k]!) : row[k]!;
      probs[i * c + k] = v;
      if (v > probs[i * c + arg]!) arg = k;
    }
    labels[i] = arg;
  }
  return { probs, labels, numClasses: c, logits: data, dims };
}

/**
 * Opens a case's model (or a variant's ONNX file) with the case's pre- and post-processing.
 * @param c the loaded case
 * @param opts execution provider and threads for `openModel`; `modelPath` picks a variant file
 * @returns the case model; call `release()` when done
 * @throws {ModelError} when the model cannot be opened; {@link InputError} on bad options
 * @example
 * const m = await openCaseModel(c, { ep: 'cpu', threads: 2 });
 * const ds = await loadCaseDataset(c, 'test');
 * const pred = await m.predict(ds.x, ds.shape, { batchSize: 8 }); // pred.masks: N×64×64
 */
export async function openCaseModel(c: LoadedCase, opts: OpenModelOptions & { modelPath?: string } = {}): Promise<CaseModel> {
  const { modelPath, ...open } = opts;
  const adapter = loadAdapter(c);
  const session = await openModel(modelPath ?? c.modelPath, open);
  const io = c.spec.io;
  session.bind(caseSessionBindings(c));
  const run = async (mx: Float32Array, shape: number[], batchSize?: number) => {
    const outputNames = adapter?.postprocess ? undefined : [io.output];
    const out = await session.predictAll(mx, shape, { batchSize: batchSize ?? 8, inputName: io.input, outputNames });
    const t = adapter?.postprocess ? adapter.postprocess(out as Record<string, AdapterOutput>) : out[io.output]!;
    return postprocess(io, t.data, t.dims);
  };
  const modelShape = (shape: number[]) => casePreprocessShape(c, adapter, shape);
  return {
    session,
    preprocess: (x, shape) => casePreprocess(c, x, shape).data,
    modelShape,
    predict: async (x, shape, o) => {
      const p = casePreprocess(c, x, shape);
      return run(p.data, p.dims, o?.batchSize);
    },
    predictModelSpace: async (x, shape, o) => run(x, modelShape(shape), o?.batchSize),
    release: () => session.release(),
  };
}

/**
 * A case's pre-processing of raw samples: the adapter's `preprocess` when the case has one, else `io.preprocess`
 * and `io.channelOrder`; the same in every clause (inference, training, attacks, timing).
 * @returns the model input and its dims
 * @throws {InputError} when the adapter's output does not fit the model's data input
 * @example
 * const { data, dims } = casePreprocess(c, ds.x, ds.shape); // dims [N, 3, 48, 192]
 */
export function casePreprocess(c: LoadedCase, x: Float32Array, shape: number[]): { data: Float32Array; dims: number[] } {
  const adapter = loadAdapter(c);
  if (!adapter?.preprocess) return { data: applyPreprocess(c.spec.io, x, shape), dims: modelInputShape(c.spec.io, shape) };
  const r = adapter.preprocess(x, shape);
  const per = r.dims.slice(1).reduce((a, b) => a * b, 1);
  if (!(r.data instanceof Float32Array) || r.dims[0] !== shape[0] || r.data.length !== per * shape[0]!)
    throw new InputError(`adapter preprocess returned dims [${r.dims}] for ${shape[0]} samples / 适配器 preprocess 输出形状不符`, {
      file: c.spec.adapter,
      field: 'adapter.preprocess',
      remedy: `return ${ADAPTER_SIGNATURES.preprocess} with dims[0] = N and data.length = the product of dims`,
    });
  return r;
}

function casePreprocessShape(c: LoadedCase, adapter: CaseAdapter | undefined, shape: number[]): number[] {
  if (!adapter?.preprocess) return modelInputShape(c.spec.io, shape);
  const one = [1, ...shape.slice(1)];
  const dims = adapter.preprocess(new Float32Array(one.reduce((a, b) => a * b, 1)), one).dims;
  return [shape[0]!, ...dims.slice(1)];
}

/**
 * Loads one data set of a case by role, with the case's task and labels (the downstream roles use
 * `downstream.task`/`downstream.labels` when given).
 * @param c the loaded case
 * @param role e.g. `test`, `ood`, `downstreamTrain`
 * @throws {InputError} when the case defines no data set for the role, or the data are bad
 * @example
 * const ds = await loadCaseDataset(c, 'hard');
 */
export async function loadCaseDataset(c: LoadedCase, role: DatasetRole): Promise<Dataset> {
  const spec = c.spec.datasets[role];
  if (!spec)
    throw new InputError(`the case defines no "${role}" data set / 案例未定义 "${role}" 数据集`, {
      file: c.file,
      field: `/datasets/${role}`,
      remedy: `add /datasets/${role} to case.json (defined: ${Object.keys(c.spec.datasets).join(', ')})`,
    });
  const down = role === 'downstreamTrain' || role === 'downstreamTest';
  const task = (down && c.spec.downstream?.task) || c.spec.task;
  const labels = (down && c.spec.downstream?.labels) || c.spec.labels;
  return loadDataset(c.dir, spec, { task, labels, role });
}
