/**
 * The built-in trainer: fine-tunes (or trains from scratch) an ONNX model in-process. The frozen
 * prefix runs in onnxruntime (cut tensors exposed as extra outputs, features cached when there is
 * no augmentation); the trainable tail is a TensorFlow.js graph; fine-tuned weights go back into a
 * copy of the ONNX file.
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../util/errors.js';
import { Rng } from '../util/random.js';
import { augmentBatch, type AugmentationSpec } from './augment.js';
import { scratchInitializers, TfGraph } from './graph.js';
import { accumulateCounts, computeLoss, metricFromCounts, type LossName, type MetricCounts, type OutputActivation } from './losses.js';
import { exportFineTuned, parseOnnx, type ParsedModel } from './parsed-model.js';
import { createOptimizer, learningRateAt, type OptimizerSpec, type ScheduleSpec } from './optimizers.js';
import { planTraining, type LayerInfo, type TrainableChoice, type TrainingPlan } from './plan.js';
import { PrefixRunner, type CutFeatures } from './prefix.js';
import { sizeOf } from './values.js';

/** Inputs (pre-processed, model units) and targets (in the output's shape: masks or one-hot). */
export interface TrainingData {
  x: Float32Array;
  shape: number[];
  target: Float32Array;
  targetShape: number[];
}

/** Options of {@link Trainer.create}. */
export interface TrainerOptions {
  modelPath: string;
  task: 'segmentation' | 'classification';
  activation: OutputActivation;
  loss: LossName;
  optimizer: OptimizerSpec;
  schedule?: ScheduleSpec;
  epochs: number;
  batchSize: number;
  seed: number;
  /** Layers trained (default `last`). */
  trainable?: TrainableChoice;
  augmentation?: AugmentationSpec;
  /**
   * Starting weights: `pretrained` (fine-tuning, default), `scratch` (seeded He initialisation of every
   * layer, frozen ones included) or `reinit-trainable` (trainable layers re-initialised, frozen layers
   * keep the pre-trained weights).
   */
  init?: 'pretrained' | 'scratch' | 'reinit-trainable';
  /** Time budget: no new epoch starts once this many seconds have passed (the history says so). */
  maxSeconds?: number;
  /** Model input name (default: the first graph input). */
  inputName?: string;
  /** Output trained (default: the first graph output). */
  outputName?: string;
  /** onnxruntime threads for the frozen prefix. */
  threads?: number;
  /** Stop at the first non-finite loss (default true). */
  stopOnNonFinite?: boolean;
}

/** Loss of one optimisation step. */
export interface StepRecord {
  epoch: number;
  step: number;
  loss: number;
  lr: number;
}

/** Per-epoch record: train loss/metric (running, training mode) and validation loss/metric (inference mode). */
export interface EpochRecord {
  epoch: number;
  lr: number;
  trainLoss: number;
  trainMetric: number;
  valLoss?: number;
  valMetric?: number;
  seconds: number;
  samplesPerSecond: number;
}

/** What a training run produced. */
export interface TrainingHistory {
  steps: StepRecord[];
  epochs: EpochRecord[];
  /** `dice` (segmentation) or `accuracy` (classification). */
  metricName: string;
  /** True when a non-finite loss stopped training. */
  stoppedNonFinite: boolean;
  /** True when the time budget (`maxSeconds`) stopped training before the configured epochs. */
  stoppedByBudget: boolean;
  seconds: number;
  samplesPerSecond: number;
}

/**
 * A trainer over one ONNX model.
 * @example
 * const t = await Trainer.create({ modelPath, task: 'segmentation', activation: 'sigmoid', loss: 'dice-bce',
 *   optimizer: { kind: 'adam', lr: 1e-3 }, epochs: 5, batchSize: 8, seed: 42, trainable: 'last' });
 * const h = await t.fit(train, validation);
 * t.exportOnnx('evidence/models/fine-tuned.onnx');
 */
export class Trainer {
  private prefixCache = new WeakMap<TrainingData, CutFeatures[]>();
  private constructor(
    readonly opts: TrainerOptions,
    readonly model: ParsedModel,
    readonly plan: TrainingPlan,
    readonly graph: TfGraph,
    private readonly prefix: PrefixRunner,
    private readonly initValues: Map<string, Float32Array>,
  ) {}

  /**
   * Imports the model, plans the cut and prepares the prefix session.
   * @throws InputError on bad settings (epochs, batch size); ModelError on unsupported operators
   */
  static async create(opts: TrainerOptions): Promise<Trainer> {
    if (!Number.isInteger(opts.epochs) || opts.epochs < 1)
      throw new InputError(`epochs = ${opts.epochs} is not a positive integer`, { field: 'epochs', remedy: 'give e.g. 10' });
    if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1)
      throw new InputError(`batchSize = ${opts.batchSize} is not a positive integer`, { field: 'batchSize', remedy: 'give e.g. 8' });
    // PROD silences the "install tfjs-node" banner (the native backend needs a binary download)
    tf.env().set('PROD', true);
    await tf.setBackend('cpu');
    await tf.ready();
    const model = parseOnnx(opts.modelPath);
    const plan = planTraining(model, opts.trainable ?? 'last', opts.outputName ?? model.outputs[0]);
    let init =
      opts.init === 'scratch' || opts.init === 'reinit-trainable' ? scratchInitializers(model, opts.seed) : new Map<string, Float32Array>();
    if (opts.init === 'reinit-trainable') {
      const tail = new Set(model.nodes.slice(plan.startIndex).flatMap((n) => n.inputs));
      init = new Map([...init].filter(([k]) => tail.has(k)));
    }
    const graph = new TfGraph(model, plan, init);
    const inputName = opts.inputName ?? model.inputs[0]!;
    const prefix = await PrefixRunner.create(model, plan.cutInputs, inputName, init, opts.threads);
    return new Trainer(opts, model, plan, graph, prefix, init);
  }

  /** Parameterised layers with their trainable flag (for the notebook's "which layers were trained"). */
  layers(): LayerInfo[] {
    return this.plan.layers;
  }

  /** TensorFlow.js backend in use. */
  backend(): string {
    return tf.getBackend();
  }

  private async features(
    d: TrainingData,
    idx: ArrayLike<number>,
    rng?: Rng,
  ): Promise<{ feeds: CutFeatures; target: Float32Array; tShape: number[] }> {
    const per = sizeOf(d.shape.slice(1)),
      tPer = sizeOf(d.targetShape.slice(1));
    const n = idx.length;
    const x = new Float32Array(n * per),
      t = new Float32Array(n * tPer);
    for (let i = 0; i < n; i++) {
      x.set(d.x.subarray(idx[i]! * per, (idx[i]! + 1) * per), i * per);
      t.set(d.target.subarray(idx[i]! * tPer, (idx[i]! + 1) * tPer), i * tPer);
    }
    const shape = [n, ...d.shape.slice(1)],
      tShape = [n, ...d.targetShape.slice(1)];
    if (rng && this.opts.augmentation) augmentBatch(x, shape, t, tShape, this.opts.augmentation, rng);
    return { feeds: await this.prefix.run(x, shape), target: t, tShape };
  }

  private async cachedBatches(d: TrainingData): Promise<CutFeatures[]> {
    let c = this.prefixCache.get(d);
    if (!c) {
      c = [];
      const N = d.shape[0]!;
      for (let s = 0; s < N; s += this.opts.batchSize) {
        const idx = Array.from({ length: Math.min(this.opts.batchSize, N - s) }, (_, i) => s + i);
        c.push((await this.features(d, idx)).feeds);
      }
      this.prefixCache.set(d, c);
    }
    return c;
  }

  private feedTensors(f: CutFeatures): Map<string, tf.Tensor> {
    const m = new Map<string, tf.Tensor>();
    for (const name of this.plan.cutInputs) {
      const v = f.get(name)!;
      m.set(name, tf.tensor(v.data, v.shape, 'float32'));
    }
    return m;
  }

  /**
   * Loss and pooled metric in inference mode over a data set.
   * @returns `{ loss, metric }` (mean batch loss weighted by batch size)
   */
  async evaluate(d: TrainingData): Promise<{ loss: number; metric: number }> {
    const batches = await this.cachedBatches(d);
    const counts: MetricCounts = { a: 0, b: 0, c: 0 };
    let lossSum = 0,
      seen = 0;
    const tPer = sizeOf(d.targetShape.slice(1));
    for (const f of batches) {
      const n = f.get(this.prefix.inputName)!.shape[0]!;
      tf.tidy(() => {
        const out = this.graph.forward(this.feedTensors(f), false);
        const target = tf.tensor(d.target.subarray(seen * tPer, (seen + n) * tPer), [n, ...d.targetShape.slice(1)]);
        lossSum += computeLoss(this.opts.loss, target, out, this.opts.activation).dataSync()[0]! * n;
        accumulateCounts(counts, target, out, this.opts.activation, this.opts.task);
      });
      seen += n;
    }
    return { loss: lossSum / seen, metric: metricFromCounts(counts, this.opts.task) };
  }

  /**
   * Trains for the configured epochs.
   * @param train training data
   * @param validation optional validation data (evaluated after every epoch)
   * @param onEpoch called after every epoch (live plots)
   * @returns per-step and per-epoch losses and metrics
   */
  async fit(train: TrainingData, validation?: TrainingData, onEpoch?: (e: EpochRecord) => void): Promise<TrainingHistory> {
    const o = this.opts;
    const rng = new Rng(o.seed);
    const opt = createOptimizer(o.optimizer, this.graph.variables);
    const names = new Map([...this.graph.variables].map(([k, v]) => [v.name, k]));
    const varList = [...this.graph.variables.values()];
    const N = train.shape[0]!;
    const history: TrainingHistory = {
      steps: [],
      epochs: [],
      metricName: o.task === 'segmentation' ? 'dice' : 'accuracy',
      stoppedNonFinite: false,
      stoppedByBudget: false,
      seconds: 0,
      samplesPerSecond: 0,
    };
    const t0 = performance.now();
    let step = 0;
    try {
      for (let epoch = 0; epoch < o.epochs && !history.stoppedNonFinite; epoch++) {
        if (o.maxSeconds !== undefined && epoch > 0 && (performance.now() - t0) / 1000 >= o.maxSeconds) {
          history.stoppedByBudget = true;
          break;
        }
        const te = performance.now();
        const lr = learningRateAt(o.optimizer.lr, o.schedule, epoch);
        const perm = rng.permutation(N);
        const counts: MetricCounts = { a: 0, b: 0, c: 0 };
        let lossSum = 0,
          seen = 0;
        for (let s = 0; s < N; s += o.batchSize) {
          const idx = perm.subarray(s, Math.min(N, s + o.batchSize));
          const { feeds, target, tShape } = await this.features(train, idx, rng);
          const seed = rng.int(2 ** 31);
          const loss = tf.tidy(() => {
            const y = tf.tensor(target, tShape);
            let out: tf.Tensor | undefined;
            const { value, grads } = tf.variableGrads(() => {
              const o2 = this.graph.forward(this.feedTensors(feeds), true, seed);
              out = tf.keep(o2);
              return computeLoss(o.loss, y, o2, o.activation);
            }, varList);
            const l = value.dataSync()[0]!;
            if (Number.isFinite(l)) {
              opt.step(Object.fromEntries(Object.entries(grads).map(([k, g]) => [names.get(k) ?? k, g])), lr);
              accumulateCounts(counts, y, out!, o.activation, o.task);
            }
            out!.dispose();
            return l;
          });
          history.steps.push({ epoch, step: step++, loss, lr });
          lossSum += loss * idx.length;
          seen += idx.length;
          if (!Number.isFinite(loss) && o.stopOnNonFinite !== false) {
            history.stoppedNonFinite = true;
            break;
          }
        }
        const rec: EpochRecord = {
          epoch,
          lr,
          trainLoss: lossSum / seen,
          trainMetric: metricFromCounts(counts, o.task),
          seconds: 0,
          samplesPerSecond: 0,
        };
        rec.seconds = (performance.now() - te) / 1000;
        rec.samplesPerSecond = seen / rec.seconds;
        if (validation && !history.stoppedNonFinite) {
          const v = await this.evaluate(validation);
          rec.valLoss = v.loss;
          rec.valMetric = v.metric;
        }
        history.epochs.push(rec);
        onEpoch?.(rec);
      }
    } finally {
      opt.dispose();
    }
    history.seconds = (performance.now() - t0) / 1000;
    const trainedSamples = history.steps.length ? history.epochs.reduce((s, e) => s + e.samplesPerSecond * e.seconds, 0) : 0;
    history.samplesPerSecond =
      trainedSamples /
      Math.max(
        1e-9,
        history.epochs.reduce((s, e) => s + e.seconds, 0),
      );
    return history;
  }

  /**
   * The trainer's forward pass (inference mode) on pre-processed inputs: prefix in onnxruntime,
   * tail in TensorFlow.js.
   * @returns model outputs, flattened
   */
  async predict(x: Float32Array, shape: number[], batchSize = this.opts.batchSize): Promise<Float32Array> {
    const per = sizeOf(shape.slice(1));
    const parts: Float32Array[] = [];
    for (let s = 0; s < shape[0]!; s += batchSize) {
      const n = Math.min(batchSize, shape[0]! - s);
      const f = await this.prefix.run(x.slice(s * per, (s + n) * per), [n, ...shape.slice(1)]);
      parts.push(tf.tidy(() => this.graph.forward(this.feedTensors(f), false).dataSync() as Float32Array));
    }
    const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  /** Every changed initializer: the trained tail's weights, plus the seeded initial values when training from scratch. */
  weights(): Map<string, Float32Array> {
    return new Map([...this.initValues, ...this.graph.weights()]);
  }

  /**
   * Writes the model with the trained weights (same graph, new initializers) to `outPath`.
   * @returns `outPath`
   */
  exportOnnx(outPath: string): string {
    return exportFineTuned(this.model, this.weights(), outPath);
  }

  /** Frees tensors and the prefix session. */
  async dispose(): Promise<void> {
    this.graph.dispose();
    await this.prefix.dispose();
  }
}
