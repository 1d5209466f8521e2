/**
 * Optimisers (SGD with momentum as in PyTorch, Adam) and learning-rate schedules, written over
 * TensorFlow.js variables so that the learning rate can change every epoch and updates are exactly
 * reproducible.
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../util/errors.js';

/** Optimiser settings (the case's TrainingSpec `optimizer`). */
export type OptimizerSpec =
  | { kind: 'sgd'; lr: number; momentum?: number; weightDecay?: number }
  | { kind: 'adam'; lr: number; beta1?: number; beta2?: number; eps?: number; weightDecay?: number };

/** Schedule settings: step decay (appendix B: `{ every: 20, factor: 0.9 }` = −10 % every 20 epochs) or constant. */
export type ScheduleSpec = { kind: 'step'; every: number; factor: number } | { kind: 'constant' };

/**
 * The learning rate of an epoch (0-based): `lr · factor^⌊epoch / every⌋` for step schedules.
 * @example
 * learningRateAt(0.001, { kind: 'step', every: 20, factor: 0.9 }, 40); // 0.00081
 */
export function learningRateAt(lr: number, schedule: ScheduleSpec | undefined, epoch: number): number {
  if (!schedule || schedule.kind === 'constant') return lr;
  return lr * schedule.factor ** Math.floor(epoch / schedule.every);
}

/** One optimiser over named variables. */
export interface Optimizer {
  /** Applies gradients with the given learning rate. */
  step(grads: Record<string, tf.Tensor>, lr: number): void;
  dispose(): void;
}

/**
 * Creates an optimiser. SGD: `v ← μv + g; p ← p − lr·v` (PyTorch convention). Adam: `m ← β1 m + (1−β1) g`,
 * `v ← β2 v + (1−β2) g²`, `p ← p − lr·m̂/(√v̂ + ε)` with bias correction. Weight decay adds `wd·p` to `g`.
 * @param spec optimiser settings
 * @param vars the variables, by name
 * @throws InputError on a non-positive or non-finite learning rate
 * @example
 * const opt = createOptimizer({ kind: 'sgd', lr: 0.01, momentum: 0.9 }, graph.variables);
 */
export function createOptimizer(spec: OptimizerSpec, vars: Map<string, tf.Variable>): Optimizer {
  if (!(spec.lr > 0) || !Number.isFinite(spec.lr)) {
    throw new InputError(`learning rate ${spec.lr} is not a positive number`, {
      field: 'optimizer.lr',
      remedy: 'give a learning rate such as 0.001',
    });
  }
  const wd = spec.weightDecay ?? 0;
  const slots = new Map<string, tf.Variable[]>();
  const slot = (name: string, k: number): tf.Variable => {
    let s = slots.get(name);
    if (!s) slots.set(name, (s = []));
    if (!s[k]) s[k] = tf.variable(tf.zerosLike(vars.get(name)!), false);
    return s[k]!;
  };
  let t = 0;
  return {
    step(grads, lr) {
      t++;
      tf.tidy(() => {
        for (const [name, g0] of Object.entries(grads)) {
          const p = vars.get(name);
          if (!p) continue;
          const g = wd ? tf.add(g0, tf.mul(p, wd)) : g0;
          if (spec.kind === 'sgd') {
            const mu = spec.momentum ?? 0;
            if (mu) {
              const v = slot(name, 0);
              v.assign(t === 1 ? g : tf.add(tf.mul(v, mu), g));
              p.assign(tf.sub(p, tf.mul(v, lr)));
            } else p.assign(tf.sub(p, tf.mul(g, lr)));
          } else {
            const b1 = spec.beta1 ?? 0.9,
              b2 = spec.beta2 ?? 0.999,
              eps = spec.eps ?? 1e-8;
            const m = slot(name, 0),
              v = slot(name, 1);
            m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
            v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2)));
            const mh = tf.div(m, 1 - b1 ** t),
              vh = tf.div(v, 1 - b2 ** t);
            p.assign(tf.sub(p, tf.mul(tf.div(mh, tf.add(tf.sqrt(vh), eps)), lr)));
          }
        }
      });
    },
    dispose() {
      for (const s of slots.values()) s.forEach((v) => v.dispose());
      slots.clear();
    },
  };
}
