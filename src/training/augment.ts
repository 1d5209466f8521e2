/**
 * Data augmentation as in appendix B.1.5.2: random horizontal and vertical flips (image and mask
 * together) and additive Gaussian noise on the model input, drawn from a seeded generator.
 */
import type { Rng } from '../util/random.js';

/** Augmentation settings (the case's TrainingSpec `augmentation`). */
export interface AugmentationSpec {
  /** Flip each image horizontally and vertically, each with probability ½ (images only). */
  flips?: boolean;
  /** Standard deviation of additive Gaussian noise, in model-input units (after pre-processing). */
  gaussianNoise?: number;
}

function flip(a: Float32Array, off: number, C: number, H: number, W: number, h: boolean, v: boolean): void {
  const plane = new Float32Array(H * W);
  for (let c = 0; c < C; c++) {
    const base = off + c * H * W;
    plane.set(a.subarray(base, base + H * W));
    for (let y = 0; y < H; y++) {
      const sy = v ? H - 1 - y : y;
      for (let x = 0; x < W; x++) a[base + y * W + x] = plane[sy * W + (h ? W - 1 - x : x)]!;
    }
  }
}

/**
 * Augments a batch in place.
 * @param x model inputs, `[N, …]` (NCHW for images)
 * @param xShape shape of `x`
 * @param target targets in place (masks `[N,C,H,W]` are flipped with the images), or `undefined`
 * @param tShape shape of `target`
 * @param spec what to apply
 * @param rng the seeded generator (advanced)
 * @example
 * augmentBatch(x, [8,1,64,64], masks, [8,1,64,64], { flips: true, gaussianNoise: 0.05 }, rng);
 */
export function augmentBatch(
  x: Float32Array,
  xShape: number[],
  target: Float32Array | undefined,
  tShape: number[],
  spec: AugmentationSpec,
  rng: Rng,
): void {
  const N = xShape[0]!;
  if (spec.flips && xShape.length === 4) {
    const [, C, H, W] = xShape as [number, number, number, number];
    const img = target && tShape.length === 4 && tShape[2] === H && tShape[3] === W;
    for (let n = 0; n < N; n++) {
      const h = rng.uniform() < 0.5,
        v = rng.uniform() < 0.5;
      if (!h && !v) continue;
      flip(x, n * C * H * W, C, H, W, h, v);
      if (img) flip(target!, n * tShape[1]! * H * W, tShape[1]!, H, W, h, v);
    }
  }
  if (spec.gaussianNoise && spec.gaussianNoise > 0) {
    for (let i = 0; i < x.length; i++) x[i] = x[i]! + spec.gaussianNoise * rng.normal();
  }
}
