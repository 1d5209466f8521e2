/**
 * The trainable TensorFlow.js network built from (the tail of) an ONNX graph: trainable
 * initializers become `tf.Variable`s in their ONNX layout (so they map back to the ONNX file one to
 * one), the others constants.
 */
import * as tf from '@tensorflow/tfjs';
import { ModelError } from '../util/errors.js';
import { Rng } from '../util/random.js';
import type { ParsedModel } from './parsed-model.js';
import { NN_OPS, type OpContext, type OpFn } from './ops-nn.js';
import { SHAPE_OPS } from './ops-layout.js';
import type { TrainingPlan } from './plan.js';
import { nchw, type Value } from './values.js';

const OPS: Record<string, OpFn> = { ...NN_OPS, ...SHAPE_OPS };
let graphCounter = 0;

/**
 * A network (or its tail) runnable and trainable in TensorFlow.js.
 * @example
 * const g = new TfGraph(parseOnnx('m.onnx'), planTraining(m, 'all'));
 * const y = g.forward(new Map([['input', x]]), false);
 */
export class TfGraph {
  /** Trainable parameters by initializer name (ONNX layout). */
  readonly variables = new Map<string, tf.Variable>();
  private readonly constants = new Map<string, Value>();

  /**
   * @param model the parsed ONNX model
   * @param plan the training plan (tail nodes, trainable initializers)
   * @param init optional starting values (e.g. a seeded re-initialisation for training from scratch)
   */
  constructor(
    readonly model: ParsedModel,
    readonly plan: TrainingPlan,
    init?: Map<string, Float32Array>,
  ) {
    const trainable = new Set(plan.trainable);
    const gid = graphCounter++;
    for (const n of plan.tailNodes) {
      for (const name of n.inputs) {
        const t = model.initializers.get(name);
        if (!t || this.variables.has(name) || this.constants.has(name)) continue;
        if (t.dtype === 'float32') {
          const data = init?.get(name) ?? (t.data as Float32Array);
          const tensor = tf.tensor(data, t.shape, 'float32');
          if (trainable.has(name))
            this.variables.set(name, tf.variable(tensor, true, `g${gid}p${this.variables.size}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`));
          else this.constants.set(name, { kind: 'tensor', t: tf.keep(tensor), nhwc: false });
          if (trainable.has(name)) tensor.dispose();
        } else this.constants.set(name, { kind: 'host', h: t });
      }
    }
  }

  /**
   * Runs the tail.
   * @param feeds the cut tensors (NCHW float tensors), by name (`plan.cutInputs`)
   * @param training Dropout active when true
   * @param seed dropout seed of this step
   * @returns the output tensor in ONNX layout
   * @throws ModelError when a feed is missing
   */
  forward(feeds: Map<string, tf.Tensor>, training: boolean, seed = 0): tf.Tensor {
    const rng = new Rng(seed);
    const ctx: OpContext = { training, nextSeed: () => rng.int(2 ** 31), opset: this.model.opset, file: this.model.path };
    const values = new Map<string, Value>(this.constants);
    for (const [k, v] of this.variables) values.set(k, { kind: 'tensor', t: v, nhwc: false });
    for (const name of this.plan.cutInputs) {
      const t = feeds.get(name);
      if (!t)
        throw new ModelError(`no value fed for '${name}'`, {
          file: this.model.path,
          field: name,
          remedy: 'feed every tensor of plan.cutInputs',
        });
      values.set(name, { kind: 'tensor', t, nhwc: false });
    }
    const live = new Set<string>(this.variables.keys());
    for (const n of this.plan.tailNodes) {
      ctx.liveInputs = n.inputs.map((i) => live.has(i));
      if (ctx.liveInputs.some(Boolean)) n.outputs.forEach((o) => live.add(o));
      const outs = OPS[n.opType]!(
        n,
        n.inputs.map((i) => (i ? values.get(i) : undefined)),
        ctx,
      );
      outs.forEach((v, k) => {
        if (n.outputs[k]) values.set(n.outputs[k]!, v);
      });
    }
    const out = values.get(this.plan.output);
    if (!out) throw new ModelError(`output '${this.plan.output}' was not computed`, { file: this.model.path, field: this.plan.output });
    return nchw(out);
  }

  /** Current values of the trainable parameters (ONNX layout), for export. */
  weights(): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const [k, v] of this.variables) out.set(k, v.dataSync() as Float32Array);
    return out;
  }

  /** Number of trainable scalars. */
  parameterCount(): number {
    let n = 0;
    for (const v of this.variables.values()) n += v.size;
    return n;
  }

  /** Frees the variables and constants. */
  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    for (const c of this.constants.values()) if (c.kind === 'tensor') c.t.dispose();
    this.variables.clear();
    this.constants.clear();
  }
}

/**
 * A seeded re-initialisation of every float parameter (training from scratch): weights of Conv,
 * ConvTranspose, Gemm and MatMul He-uniform `U(−√(6/fan_in), √(6/fan_in))` (Kaiming, for ReLU
 * networks), biases zero, BatchNormalization scale 1, bias 0, mean 0, variance 1.
 * @param model the parsed model
 * @param seed the seed
 * @returns new values for every float initializer of parameterised nodes
 */
export function scratchInitializers(model: ParsedModel, seed: number): Map<string, Float32Array> {
  const rng = new Rng(seed);
  const out = new Map<string, Float32Array>();
  for (const n of model.nodes) {
    n.inputs.forEach((name, i) => {
      const t = model.initializers.get(name);
      if (!t || t.dtype !== 'float32' || out.has(name)) return;
      const v = new Float32Array(t.data.length);
      if (n.opType === 'BatchNormalization') v.fill(i === 1 || i === 4 ? 1 : 0);
      else if (i === 1 && t.shape.length >= 2) {
        const s = t.shape;
        const fanIn =
          n.opType === 'Conv'
            ? s.slice(1).reduce((a, b) => a * b, 1)
            : n.opType === 'ConvTranspose'
              ? s[0]! * s.slice(2).reduce((a, b) => a * b, 1)
              : n.opType === 'Gemm' && n.attrs['transB']
                ? s[1]!
                : s[0]!;
        const bound = Math.sqrt(6 / Math.max(1, fanIn));
        for (let k = 0; k < v.length; k++) v[k] = (rng.uniform() * 2 - 1) * bound;
      } else if (n.opType === 'MatMul' && i === 0 && t.shape.length >= 2) {
        const bound = Math.sqrt(6 / Math.max(1, t.shape[t.shape.length - 2]!));
        for (let k = 0; k < v.length; k++) v[k] = (rng.uniform() * 2 - 1) * bound;
      }
      out.set(name, v);
    });
  }
  return out;
}
