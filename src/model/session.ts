/**
 * `OrtModelSession`: the {@link ModelSession} implementation over one onnxruntime-node session.
 * Created by `openModel` (open.ts), which chooses and verifies the provider.
 */
import * as ort from 'onnxruntime-node';
import type { ProviderInfo } from '../util/environment.js';
import { InputError, ModelError } from '../util/errors.js';
import { OutputAccumulator } from './batches.js';
import { checkFeeds, checkTensorAgainst, elementCount, shapeText } from './check.js';
import type {
  BatchResult,
  EpChoice,
  FeedTensor,
  ModelSession,
  OutputTensor,
  PredictAllOptions,
  ProviderFallback,
  RunBatchesOptions,
  RunningProvider,
  TensorInfo,
} from './types.js';

/** Everything `openModel` found out, handed to the session. */
export interface SessionFacts {
  path: string;
  provider: RunningProvider;
  requestedProvider: EpChoice;
  fallbacks: ProviderFallback[];
  placement?: Record<string, number>;
  ortVersion: string;
  device: string;
  sha256: string;
}

/** Converts an onnxruntime output to float32 data with plain dims. */
export function toOutputTensor(t: ort.Tensor): OutputTensor {
  const dims = Array.from(t.dims);
  if (t.data instanceof Float32Array) return { data: t.data, dims };
  const src = t.data as ArrayLike<number | bigint | boolean>;
  const data = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) data[i] = Number(src[i]);
  return { data, dims };
}

/** Reads a session's input/output metadata as {@link TensorInfo} (non-tensors typed `non-tensor`). */
export function metadataInfos(meta: readonly ort.InferenceSession.ValueMetadata[]): TensorInfo[] {
  return meta.map((m) =>
    m.isTensor
      ? { name: m.name, type: String(m.type), shape: m.shape.map((d) => (typeof d === 'number' ? d : String(d))) }
      : { name: m.name, type: 'non-tensor', shape: [] },
  );
}

/** {@link ModelSession} over an onnxruntime-node `InferenceSession`. */
export class OrtModelSession implements ModelSession {
  readonly path: string;
  readonly provider: RunningProvider;
  readonly requestedProvider: EpChoice;
  readonly fallbacks: ProviderFallback[];
  readonly placement?: Record<string, number>;
  readonly ortVersion: string;
  readonly device: string;
  readonly inputs: TensorInfo[];
  readonly outputs: TensorInfo[];
  readonly sha256: string;
  private released = false;

  /**
   * @param session the onnxruntime session (owned from now on)
   * @param facts provider, device and identity found by `openModel`
   */
  constructor(
    private readonly session: ort.InferenceSession,
    facts: SessionFacts,
  ) {
    this.path = facts.path;
    this.provider = facts.provider;
    this.requestedProvider = facts.requestedProvider;
    this.fallbacks = facts.fallbacks;
    if (facts.placement) this.placement = facts.placement;
    this.ortVersion = facts.ortVersion;
    this.device = facts.device;
    this.sha256 = facts.sha256;
    this.inputs = metadataInfos(session.inputMetadata);
    this.outputs = metadataInfos(session.outputMetadata);
  }

  /** What ran, for `collectEnvironment`. */
  providerInfo(): ProviderInfo {
    const info: ProviderInfo = {
      executionProvider: this.provider,
      requestedProvider: this.requestedProvider,
      fallbacks: this.fallbacks.map((f) => ({ ...f })),
    };
    if (this.provider !== 'cpu') info.gpu = this.device;
    return info;
  }

  private alive(): void {
    if (this.released) {
      throw new ModelError('the model session was released', {
        file: this.path,
        remedy: 'open the model again with openModel()',
      });
    }
  }

  private checkOutputNames(names: string[] | undefined): string[] {
    const all = this.outputs.map((o) => o.name);
    if (!names) return all;
    for (const n of names) {
      if (!all.includes(n)) {
        throw new InputError(`"${n}" is not an output of the model`, {
          file: this.path,
          field: n,
          remedy: `the model's outputs are: ${all.join(', ')}`,
        });
      }
    }
    return names;
  }

  /** One checked run: feeds are validated against the model's inputs first. */
  async run(feeds: Record<string, FeedTensor>, outputNames?: string[]): Promise<Record<string, ort.Tensor>> {
    this.alive();
    checkFeeds(this.path, this.inputs, feeds);
    const fetches = this.checkOutputNames(outputNames);
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [k, t] of Object.entries(feeds)) {
      ortFeeds[k] = t instanceof ort.Tensor ? t : new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
    }
    return this.session.run(ortFeeds, fetches);
  }

  private resolveInput(name: string | undefined): TensorInfo {
    if (name !== undefined) {
      const info = this.inputs.find((i) => i.name === name);
      if (!info) {
        throw new InputError(`"${name}" is not an input of the model`, {
          file: this.path,
          field: name,
          remedy: `the model's inputs are: ${this.inputs.map((i) => i.name).join(', ')}`,
        });
      }
      return info;
    }
    if (this.inputs.length !== 1) {
      throw new InputError(`the model has ${this.inputs.length} inputs; say which one the data feeds`, {
        file: this.path,
        field: 'inputName',
        remedy: `pass inputName: one of ${this.inputs.map((i) => i.name).join(', ')}`,
      });
    }
    return this.inputs[0];
  }

  /**
   * Batched inference over a data set stacked along dim 0 (`shape[0]` samples). Batches are
   * views of `x` (no copy). `warmup` runs (default 1) on the first batch come first and are not
   * yielded. Names, dtype and the shapes of the full and the last (short) batch are checked
   * against the model before any run.
   * @throws InputError on a wrong shape, dtype, data length, input or output name
   */
  async *runBatches(x: Float32Array, shape: number[], options: RunBatchesOptions = {}): AsyncIterable<BatchResult> {
    this.alive();
    const info = this.resolveInput(options.inputName);
    const fetches = this.checkOutputNames(options.outputNames);
    const batchSize = options.batchSize ?? 1;
    const warmup = options.warmup ?? 1;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new InputError(`batchSize must be a positive integer, got ${batchSize}`, {
        field: 'batchSize',
        remedy: 'pass e.g. batchSize: 8',
      });
    }
    if (!Number.isInteger(warmup) || warmup < 0) {
      throw new InputError(`warmup must be a non-negative integer, got ${warmup}`, { field: 'warmup' });
    }
    if (this.inputs.length > 1) {
      throw new InputError(`runBatches feeds one input but the model has ${this.inputs.length}`, {
        file: this.path,
        field: 'inputName',
        remedy: 'use session.run() with every input for multi-input models',
      });
    }
    if (!(x instanceof Float32Array)) {
      throw new InputError('data must be a Float32Array', { field: info.name, remedy: 'convert with Float32Array.from()' });
    }
    const n = shape[0];
    if (shape.length === 0 || !Number.isInteger(n) || n < 1) {
      throw new InputError(`data shape ${shapeText(shape)} has no samples along dim 0`, {
        field: info.name,
        remedy: 'pass the data as [N, …] with N ≥ 1',
      });
    }
    if (elementCount(shape) !== x.length) {
      throw new InputError(`data holds ${x.length} values but shape ${shapeText(shape)} needs ${elementCount(shape)}`, {
        field: info.name,
        remedy: 'make the data length equal to the product of the dims',
      });
    }
    const per = elementCount(shape.slice(1));
    const first = Math.min(batchSize, n);
    checkTensorAgainst(this.path, info, 'float32', [first, ...shape.slice(1)]);
    if (n % batchSize !== 0 && n > batchSize) {
      checkTensorAgainst(this.path, info, 'float32', [n % batchSize, ...shape.slice(1)]);
    }
    // all outputs: let onnxruntime fetch them without a fetch list (what a bare loop does)
    const all = !options.outputNames;
    const go = (t: ort.Tensor): Promise<ort.InferenceSession.ReturnType> =>
      all ? this.session.run({ [info.name]: t }) : this.session.run({ [info.name]: t }, fetches);
    const make = (start: number, count: number): ort.Tensor =>
      new ort.Tensor('float32', x.subarray(start * per, (start + count) * per), [count, ...shape.slice(1)]);
    for (let w = 0; w < warmup; w++) await go(make(0, first));
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      const t0 = performance.now();
      const res = await go(make(start, count));
      const ms = performance.now() - t0;
      const outputs: Record<string, OutputTensor> = {};
      for (const k of fetches) outputs[k] = toOutputTensor(res[k]);
      yield { start, count, outputs, ms };
    }
  }

  /**
   * Runs the whole data set in batches and concatenates each output along dim 0.
   * @returns outputs by name; dim 0 is the sum over batches
   * @throws InputError as {@link runBatches}; ModelError when batch outputs disagree in trailing dims
   * @example
   * const { output } = await session.predictAll(x, [100, 1, 64, 64], { batchSize: 8 });
   */
  async predictAll(x: Float32Array, shape: number[], options: PredictAllOptions = {}): Promise<Record<string, OutputTensor>> {
    const acc: Record<string, OutputAccumulator> = {};
    for await (const b of this.runBatches(x, shape, { ...options, warmup: options.warmup ?? 0 })) {
      for (const [k, t] of Object.entries(b.outputs)) (acc[k] ??= new OutputAccumulator(this.path, k, shape[0])).add(t, b.count);
    }
    const out: Record<string, OutputTensor> = {};
    for (const [k, a] of Object.entries(acc)) out[k] = a.result();
    return out;
  }

  /** Frees the native session; later calls throw ModelError. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.release();
  }
}
