/**
 * `OrtModelSession`: the {@link ModelSession} implementation over one onnxruntime-node session.
 * Created by `openModel` (open.ts), which chooses and verifies the provider.
 */
import { castFloat32, isCastable, toFloat32 } from './cast.js';
import * as ort from 'onnxruntime-node';
import type { ProviderInfo } from '../util/environment.js';
import { InputError, ModelError } from '../util/errors.js';
import { OutputAccumulator } from './batches.js';
import { checkFeeds, checkTensorAgainst, elementCount, shapeText } from './check.js';
import type {
  BatchResult,
  BoundInputs,
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
  return { data: toFloat32(t.data as ArrayLike<number | bigint | boolean>, t.type), dims };
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
  private bound: BoundInputs = {};
  private stateValues = new Map<string, ort.Tensor>();

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

  /** Binds constant and state inputs (see {@link BoundInputs}); checked against the model's inputs. */
  bind(inputs: BoundInputs): void {
    const named = (name: string, field: string): TensorInfo => {
      const info = this.inputs.find((i) => i.name === name);
      if (!info) {
        throw new InputError(`${field} names "${name}", which is not an input of the model`, {
          file: this.path,
          field,
          remedy: `the model's inputs are: ${this.inputs.map((i) => i.name).join(', ')}`,
        });
      }
      return info;
    };
    for (const [k, t] of Object.entries(inputs.constants ?? {}))
      checkTensorAgainst(this.path, named(k, 'io.constants'), t.type, [...t.dims]);
    for (const st of inputs.state ?? []) {
      checkTensorAgainst(this.path, named(st.input, 'io.state'), 'float32', st.shape);
      if (!this.outputs.some((o) => o.name === st.output)) {
        throw new InputError(`io.state output "${st.output}" (for input "${st.input}") is not an output of the model`, {
          file: this.path,
          field: 'io.state',
          remedy: `the model's outputs are: ${this.outputs.map((o) => o.name).join(', ')}`,
        });
      }
    }
    this.bound = inputs;
    this.resetState();
  }

  /** Sets every bound state input back to zeros. */
  private resetState(): void {
    this.stateValues.clear();
    for (const [k, t] of Object.entries(this.bound.stateHooks?.init() ?? {})) this.stateValues.set(k, toOrt(t));
    for (const st of this.bound.state ?? []) {
      this.stateValues.set(st.input, new ort.Tensor('float32', new Float32Array(elementCount(st.shape)), st.shape));
    }
  }

  /** The bound inputs a call did not give. */
  private extraFeeds(given: Record<string, FeedTensor>, primary?: string): Record<string, ort.Tensor> {
    const out: Record<string, ort.Tensor> = {};
    const p = primary ?? Object.keys(given)[0];
    if (this.bound.dynamic && p && given[p]) {
      const t = given[p]!;
      for (const [k, v] of Object.entries(this.bound.dynamic({ data: t.data as Float32Array, dims: [...t.dims] }))) out[k] = toOrt(v);
    }
    for (const [k, t] of Object.entries(this.bound.constants ?? {})) {
      if (!(k in given)) out[k] = t instanceof ort.Tensor ? t : new ort.Tensor(t.type as 'float32', t.data as Float32Array, [...t.dims]);
    }
    for (const [k, t] of this.stateValues) if (!(k in given)) out[k] = t;
    return out;
  }

  /** Keeps the state outputs of a run for the next one. */
  private carryState(res: Record<string, ort.Tensor>): void {
    if (this.bound.stateHooks) for (const [k, t] of Object.entries(this.bound.stateHooks.next(res))) this.stateValues.set(k, toOrt(t));
    for (const st of this.bound.state ?? []) {
      const v = res[st.output];
      if (v) this.stateValues.set(st.input, new ort.Tensor('float32', Float32Array.from(v.data as Float32Array), st.shape));
    }
  }

  /** One checked run: feeds are validated against the model's inputs first (bound inputs filled in). */
  async run(feeds: Record<string, FeedTensor>, outputNames?: string[]): Promise<Record<string, ort.Tensor>> {
    this.alive();
    feeds = { ...this.extraFeeds(feeds), ...feeds };
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
    const bound = new Set([...Object.keys(this.bound.constants ?? {}), ...(this.bound.state ?? []).map((st) => st.input)]);
    const free = this.inputs.filter((i) => !bound.has(i.name));
    if (free.length === 1 && bound.size > 0) return free[0]!;
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
    const stateful = (this.bound.state ?? []).length > 0 || !!this.bound.stateHooks;
    const batchSize = stateful ? 1 : (options.batchSize ?? 1);
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
    const boundNames = new Set([...Object.keys(this.bound.constants ?? {}), ...(this.bound.state ?? []).map((st) => st.input)]);
    // inputs an adapter computes (feeds, state) are checked in the case preflight, not here
    const byCode = !!this.bound.dynamic || !!this.bound.stateHooks;
    const unfed = this.inputs.filter((i) => !byCode && i.name !== info.name && !boundNames.has(i.name)).map((i) => i.name);
    if (unfed.length) {
      throw new InputError(`runBatches feeds "${info.name}" but the model also has input(s) ${unfed.join(', ')}`, {
        file: this.path,
        field: 'io.constants',
        remedy:
          'declare them in case.json: io.constants (a fixed value, e.g. "sr": {"dtype": "int64", "shape": [], "value": 16000}) ' +
          'or io.state (zero-initialised recurrent state fed back from an output), or use session.run() with every input',
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
    // the float32 data are cast to the data input's element type (uint8, int64, float16 …) when it is fed
    const dtype = isCastable(info.type) ? info.type : 'float32';
    checkTensorAgainst(this.path, info, dtype, [first, ...shape.slice(1)]);
    if (n % batchSize !== 0 && n > batchSize) {
      checkTensorAgainst(this.path, info, dtype, [n % batchSize, ...shape.slice(1)]);
    }
    // all outputs: let onnxruntime fetch them without a fetch list (what a bare loop does)
    const all = !options.outputNames && !stateful;
    const stateOuts = (this.bound.stateHooks ? this.outputs.map((o) => o.name) : (this.bound.state ?? []).map((st) => st.output)).filter(
      (o) => !fetches.includes(o),
    );
    const go = async (t: ort.Tensor): Promise<ort.InferenceSession.ReturnType> => {
      const feeds = { ...this.extraFeeds({ [info.name]: t }, info.name), [info.name]: t };
      const res = all ? await this.session.run(feeds) : await this.session.run(feeds, [...fetches, ...stateOuts]);
      if (stateful) this.carryState(res);
      return res;
    };
    if (stateful) this.resetState();
    const make = (start: number, count: number): ort.Tensor =>
      new ort.Tensor(dtype, castFloat32(x.subarray(start * per, (start + count) * per), dtype), [count, ...shape.slice(1)]);
    for (let w = 0; w < warmup; w++) await go(make(0, first));
    if (stateful) this.resetState(); // warm-up runs do not leak state into the data set
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

/** A feed tensor as an onnxruntime tensor (adapter and case tensors are plain objects). */
function toOrt(t: FeedTensor): ort.Tensor {
  return t instanceof ort.Tensor ? t : new ort.Tensor(t.type as 'float32', t.data as Float32Array, [...t.dims]);
}
