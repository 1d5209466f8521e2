/**
 * 5.2.2 asks for inference AND training efficiency under changed resources: the built-in trainer's
 * throughput (training samples per second over a few optimisation steps) at each thread count.
 * The trainer runs the frozen prefix of the network in onnxruntime (intra-op threads = the thread
 * count) and trains the tail in TensorFlow.js on the CPU (pure JS kernels, single-threaded), so the
 * thread count scales only the prefix; the sweep measures what a user of the trainer would get.
 */
import { loadavg } from 'node:os';
import { loadCaseDataset } from '../../case/predict.js';
import type { LoadedCase } from '../../case/types.js';
import type { ConfidenceInterval } from '../../results/types.js';
import { tryCreateTrainer } from '../common/trainer-support.js';
import { isConvNet, resolveTrainable, selectSamples, toTrainingData, trainerOptions } from '../common/training.js';
import type { Bilingual } from '../../results/types.js';

/** Training throughput at one thread count. */
export interface TrainingScalingRow {
  threads: number;
  /** Mean over repeats of samples ÷ seconds of one epoch over the small training set. */
  samplesPerSecond: number;
  /** 95 % Student-t interval of the mean over the repeats (clamped at 0). */
  low: number;
  high: number;
  repeats: number;
  samples: number;
  steps: number;
  /** 1-minute load average just before and just after the timed repeats (os.loadavg). */
  load: { before: number; after: number };
}

/** Settings of the training sweep. */
export interface TrainingSweepOptions {
  threads: number[];
  seed: number;
  /** Steps (batches) per measured epoch (default 2). */
  steps?: number;
  /** Repeats per thread count (default 3, at least 2). */
  repeats?: number;
}

/**
 * Measures the built-in trainer's throughput across thread counts (the case's `training` settings,
 * the fast `auto` layer choice of 6.3.1, a seeded sample of `steps × batch` training samples).
 * @returns the rows, or a reason when the case has no training settings
 * @example
 * const r = await trainingSweep(c, { threads: [1, 2], seed: 42 }); // { rows: [{ threads: 1, samplesPerSecond: … }, …] }
 */
export async function trainingSweep(
  c: LoadedCase,
  o: TrainingSweepOptions,
): Promise<{ rows: TrainingScalingRow[]; skipped?: Bilingual; trainable?: unknown; batchSize?: number }> {
  const spec = c.spec.training;
  if (!spec || !c.spec.datasets[spec.trainRole])
    return {
      rows: [],
      skipped: { zh: '用例未给出训练设置（case.json 的 training）', en: 'the case has no training settings (case.json training)' },
    };
  const task = c.spec.task === 'segmentation' ? 'segmentation' : 'classification';
  const steps = o.steps ?? 2;
  const repeats = Math.max(2, o.repeats ?? 3);
  const full = await loadCaseDataset(c, spec.trainRole);
  const ds = selectSamples(full, Math.min(full.ids.length, steps * spec.batchSize), o.seed);
  const data = toTrainingData(c, ds, c.spec.labels.length);
  const { choice } = resolveTrainable('auto', spec, isConvNet(c.modelPath));
  const rows: TrainingScalingRow[] = [];
  for (const t of o.threads) {
    const tOpts = trainerOptions(c, spec, { seed: o.seed, trainable: choice, init: 'pretrained', epochs: 1, threads: t }, task);
    const made = await tryCreateTrainer(tOpts);
    if (!made.trainer) return { rows, skipped: made.unsupported };
    const trainer = made.trainer;
    try {
      await trainer.fit(data); // warm-up epoch (feature caching, kernel set-up)
      const rates: number[] = [];
      const loadBefore = loadavg()[0]!;
      for (let r = 0; r < repeats; r++) {
        const t0 = performance.now();
        await trainer.fit(data);
        rates.push(data.shape[0]! / ((performance.now() - t0) / 1000));
      }
      const ci = meanInterval(rates);
      rows.push({
        threads: t,
        samplesPerSecond: ci.mean,
        low: ci.low,
        high: ci.high,
        repeats,
        samples: data.shape[0]!,
        steps: Math.ceil(data.shape[0]! / tOpts.batchSize),
        load: { before: loadBefore, after: loadavg()[0]! },
      });
    } finally {
      await trainer.dispose();
    }
  }
  return { rows, trainable: choice, batchSize: spec.batchSize };
}

/** Two-sided 97.5 % quantiles of Student's t for 1…10 degrees of freedom (any statistics table). */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

/**
 * Mean of repeated measurements with its 95 % Student-t interval (clamped at 0); beyond 10 degrees of
 * freedom the df = 10 quantile 2.228 is used (conservative).
 * @example
 * meanInterval([9, 10, 11]); // { mean: 10, low: 7.516…, high: 12.484… } (t = 4.303, s/√n = 0.577…)
 */
export function meanInterval(xs: number[]): { mean: number; low: number; high: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, low: NaN, high: NaN };
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const half = T975[Math.min(n - 1, 10) - 1]! * (sd / Math.sqrt(n));
  return { mean, low: Math.max(0, mean - half), high: mean + half };
}

/** The interval of a row (Student-t of the repeats), for the measurement. */
export function rowInterval(r: TrainingScalingRow): ConfidenceInterval {
  return { low: r.low, high: r.high, method: 't-interval-of-repeats', level: 0.95 };
}
