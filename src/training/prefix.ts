/**
 * The frozen prefix of a network run in onnxruntime: a modified copy of the model exposes the cut
 * tensors (the inputs of the trainable tail) as extra graph outputs, so the frozen layers run at
 * onnxruntime's speed and only the tail is trained in TensorFlow.js.
 */
import * as ort from 'onnxruntime-node';
import { ModelError } from '../util/errors.js';
import { encodeWithInitializers, type ParsedModel } from './parsed-model.js';

/** Cut tensors of a batch: data and shape (NCHW), by tensor name. */
export type CutFeatures = Map<string, { data: Float32Array; shape: number[] }>;

/**
 * Runs a model copy with the cut tensors as outputs.
 * @example
 * const p = await PrefixRunner.create(model, ['/dec/Relu_output_0'], 'input');
 * const f = await p.run(x, [8, 1, 64, 64]);
 */
export class PrefixRunner {
  private constructor(
    private readonly session: ort.InferenceSession | undefined,
    readonly outputs: string[],
    readonly inputName: string,
  ) {}

  /**
   * @param model the parsed model
   * @param cut tensors to expose (graph inputs among them are passed through)
   * @param inputName the graph input fed with the batch
   * @param values replaced initializers (e.g. a from-scratch initialisation), optional
   * @param threads onnxruntime intra-op threads
   * @throws ModelError when onnxruntime rejects the modified copy
   */
  static async create(
    model: ParsedModel,
    cut: string[],
    inputName: string,
    values = new Map<string, Float32Array>(),
    threads?: number,
  ): Promise<PrefixRunner> {
    const outputs = cut.filter((c) => c !== inputName);
    if (!outputs.length) return new PrefixRunner(undefined, [], inputName);
    const known = new Set([...values.keys()].filter((k) => model.initializers.has(k)));
    const vals = new Map([...values].filter(([k]) => known.has(k)));
    const bytes = encodeWithInitializers(model, vals, outputs);
    try {
      const opts: ort.InferenceSession.SessionOptions = { executionProviders: ['cpu'], graphOptimizationLevel: 'all' };
      if (threads) opts.intraOpNumThreads = threads;
      return new PrefixRunner(await ort.InferenceSession.create(bytes, opts), outputs, inputName);
    } catch (e) {
      throw new ModelError(
        `onnxruntime could not load the model with the cut tensors ${outputs.join(', ')} exposed: ${(e as Error).message}`,
        {
          file: model.path,
          field: 'graph.output',
          remedy: "train the whole network (trainable: 'all') or choose another cut",
          cause: e,
        },
      );
    }
  }

  /** Runs one batch; returns the cut tensors (the graph input itself included when it is cut). */
  async run(x: Float32Array, shape: number[]): Promise<CutFeatures> {
    const out: CutFeatures = new Map();
    if (this.session) {
      const r = await this.session.run({ [this.inputName]: new ort.Tensor('float32', x, shape) }, this.outputs);
      for (const name of this.outputs) {
        const t = r[name]!;
        out.set(name, { data: Float32Array.from(t.data as Float32Array), shape: t.dims.map(Number) });
      }
    }
    out.set(this.inputName, { data: x, shape });
    return out;
  }

  /** Releases the session. */
  async dispose(): Promise<void> {
    await this.session?.release();
  }
}
