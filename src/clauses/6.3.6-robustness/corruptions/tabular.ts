/** Corruptions for tabular features (6.3.6) and additive noise for signals. */
import type { Corruption } from './types.js';

function featureCount(shape: readonly number[]): number {
  return shape.slice(1).reduce((a, b) => a * b, 1);
}

export const gaussianPerturbation: Corruption = {
  name: 'gaussian-noise',
  title: { zh: '特征高斯扰动', en: 'Gaussian feature perturbation' },
  modalities: ['tabular'],
  // σ as a share of each feature's standard deviation on the clean set
  params: [{ sigmaStd: 0.05 }, { sigmaStd: 0.1 }, { sigmaStd: 0.2 }, { sigmaStd: 0.35 }, { sigmaStd: 0.5 }],
  apply(x, s, p, rng, ctx) {
    const f = featureCount(s);
    return x.map((v, i) => v + p.sigmaStd! * (ctx.featureStd?.[i % f] ?? 1) * rng.normal());
  },
};

export const missingValues: Corruption = {
  name: 'missing-values',
  title: { zh: '特征缺失（均值填补）', en: 'Missing values (mean-imputed)' },
  modalities: ['tabular'],
  // each value is missing with this probability and imputed with the clean-set mean of its feature
  params: [{ fraction: 0.05 }, { fraction: 0.1 }, { fraction: 0.2 }, { fraction: 0.3 }, { fraction: 0.5 }],
  apply(x, s, p, rng, ctx) {
    const f = featureCount(s);
    return x.map((v, i) => (rng.uniform() < p.fraction! ? (ctx.featureMean?.[i % f] ?? 0) : v));
  },
};

export const signalNoise: Corruption = {
  name: 'additive-noise',
  title: { zh: '加性噪声（信噪比）', en: 'Additive noise at SNR' },
  modalities: ['signal'],
  params: [{ snrDb: 30 }, { snrDb: 20 }, { snrDb: 10 }, { snrDb: 5 }, { snrDb: 0 }],
  apply(x, s, p, rng) {
    const len = featureCount(s);
    const out = new Float32Array(x.length);
    for (let o = 0; o < x.length; o += len) {
      let power = 0;
      for (let i = o; i < o + len; i++) power += x[i]! * x[i]!;
      const sd = Math.sqrt(power / len / 10 ** (p.snrDb! / 10));
      for (let i = o; i < o + len; i++) out[i] = x[i]! + sd * rng.normal();
    }
    return out;
  },
};
