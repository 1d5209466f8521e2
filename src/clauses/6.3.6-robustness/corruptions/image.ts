/**
 * Image corruptions after ImageNet-C (Hendrycks & Dietterich 2019), applied to raw values (HU for
 * CT/MR, intensities for images); amounts scale with the clean data's value range so the same
 * registry serves HU and 0–1 or 0–255 images. Severity parameters are recorded in the evidence.
 */
import { convolveSeparable, forEachPlane, gaussianKernel, jpegQuantise, motionBlur, pixelate } from './image-ops.js';
import type { Corruption } from './types.js';

const IMAGE = ['ct', 'mr', 'image'] as const;
const span = (r: [number, number]) => r[1] - r[0] || 1;

export const gaussianNoise: Corruption = {
  name: 'gaussian-noise',
  title: { zh: '高斯噪声', en: 'Gaussian noise' },
  modalities: IMAGE,
  // σ as a share of the value range (2000 HU for CT windows: 10, 20, 40, 70, 120 HU)
  params: [{ sigmaFrac: 0.005 }, { sigmaFrac: 0.01 }, { sigmaFrac: 0.02 }, { sigmaFrac: 0.035 }, { sigmaFrac: 0.06 }],
  apply(x, _s, p, rng, ctx) {
    const sd = p.sigmaFrac! * span(ctx.range);
    return x.map((v) => v + sd * rng.normal());
  },
};

export const shotNoise: Corruption = {
  name: 'shot-noise',
  title: { zh: '散粒（泊松）噪声', en: 'Shot (Poisson) noise' },
  modalities: IMAGE,
  // counts per unit of the normalised range (ImageNet-C: 60, 25, 12, 5, 3)
  params: [{ photons: 500 }, { photons: 250 }, { photons: 120 }, { photons: 60 }, { photons: 30 }],
  apply(x, _s, p, rng, ctx) {
    const [lo] = ctx.range;
    const sp = span(ctx.range);
    return x.map((v) => lo + (rng.poisson(Math.max(0, (v - lo) / sp) * p.photons!) / p.photons!) * sp);
  },
};

export const impulseNoise: Corruption = {
  name: 'impulse-noise',
  title: { zh: '脉冲（椒盐）噪声', en: 'Impulse (salt-and-pepper) noise' },
  modalities: IMAGE,
  params: [{ fraction: 0.005 }, { fraction: 0.01 }, { fraction: 0.02 }, { fraction: 0.05 }, { fraction: 0.1 }],
  apply(x, _s, p, rng, ctx) {
    return x.map((v) => (rng.uniform() < p.fraction! ? (rng.uniform() < 0.5 ? ctx.range[0] : ctx.range[1]) : v));
  },
};

export const gaussianBlur: Corruption = {
  name: 'gaussian-blur',
  title: { zh: '高斯模糊', en: 'Gaussian blur' },
  modalities: IMAGE,
  params: [{ sigmaPx: 0.5 }, { sigmaPx: 0.8 }, { sigmaPx: 1.2 }, { sigmaPx: 1.8 }, { sigmaPx: 2.5 }],
  apply(x, s, p) {
    const k = gaussianKernel(p.sigmaPx!);
    return convolveSeparable(x, s, k, k);
  },
};

export const motionBlurCorruption: Corruption = {
  name: 'motion-blur',
  title: { zh: '运动模糊', en: 'Motion blur' },
  modalities: IMAGE,
  params: [{ lengthPx: 3 }, { lengthPx: 5 }, { lengthPx: 7 }, { lengthPx: 9 }, { lengthPx: 13 }],
  apply(x, s, p, rng) {
    return motionBlur(x, s, p.lengthPx!, rng.uniform() * Math.PI);
  },
};

export const contrast: Corruption = {
  name: 'contrast',
  title: { zh: '对比度降低', en: 'Contrast reduction' },
  modalities: IMAGE,
  params: [{ factor: 0.8 }, { factor: 0.65 }, { factor: 0.5 }, { factor: 0.35 }, { factor: 0.2 }],
  apply(x, s, p) {
    const out = new Float32Array(x.length);
    forEachPlane(s, (o, h, w) => {
      let m = 0;
      for (let i = o; i < o + h * w; i++) m += x[i]!;
      m /= h * w;
      for (let i = o; i < o + h * w; i++) out[i] = (x[i]! - m) * p.factor! + m;
    });
    return out;
  },
};

export const brightness: Corruption = {
  name: 'brightness',
  title: { zh: '亮度偏移', en: 'Brightness shift' },
  modalities: IMAGE,
  params: [{ shiftFrac: 0.02 }, { shiftFrac: 0.05 }, { shiftFrac: 0.1 }, { shiftFrac: 0.15 }, { shiftFrac: 0.25 }],
  apply(x, _s, p, _r, ctx) {
    const d = p.shiftFrac! * span(ctx.range);
    return x.map((v) => v + d);
  },
};

export const pixelateCorruption: Corruption = {
  name: 'pixelate',
  title: { zh: '像素化', en: 'Pixelate' },
  modalities: IMAGE,
  params: [{ blockPx: 2 }, { blockPx: 3 }, { blockPx: 4 }, { blockPx: 6 }, { blockPx: 8 }],
  apply(x, s, p) {
    return pixelate(x, s, p.blockPx!);
  },
};

export const jpeg: Corruption = {
  name: 'jpeg-quantisation',
  title: { zh: 'JPEG 式量化', en: 'JPEG-like quantisation' },
  modalities: IMAGE,
  params: [{ quality: 80 }, { quality: 50 }, { quality: 30 }, { quality: 15 }, { quality: 7 }],
  apply(x, s, p, _r, ctx) {
    return jpegQuantise(x, s, p.quality!, ctx.range);
  },
};
