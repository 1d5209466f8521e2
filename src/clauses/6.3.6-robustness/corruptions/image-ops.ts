/** Per-image 2-D helpers for corruptions: images are the last two dimensions of a C-order array. */

/** Calls `fn` with each H×W image plane (offset into the array) of `shape`. */
export function forEachPlane(shape: readonly number[], fn: (offset: number, h: number, w: number) => void): void {
  const h = shape[shape.length - 2]!;
  const w = shape[shape.length - 1]!;
  const planes = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  for (let p = 0; p < planes; p++) fn(p * h * w, h, w);
}

/** Separable convolution of every plane with a 1-D kernel along x then y (edges clamped). */
export function convolveSeparable(x: Float32Array, shape: readonly number[], kx: Float32Array, ky: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  const tmp = new Float32Array(x.length);
  forEachPlane(shape, (o, h, w) => {
    const rx = (kx.length - 1) >> 1;
    const ry = (ky.length - 1) >> 1;
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        let s = 0;
        for (let k = 0; k < kx.length; k++) s += kx[k]! * x[o + i * w + Math.min(w - 1, Math.max(0, j + k - rx))]!;
        tmp[o + i * w + j] = s;
      }
    }
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        let s = 0;
        for (let k = 0; k < ky.length; k++) s += ky[k]! * tmp[o + Math.min(h - 1, Math.max(0, i + k - ry)) * w + j]!;
        out[o + i * w + j] = s;
      }
    }
  });
  return out;
}

/** Normalised Gaussian kernel of standard deviation `sigma` (radius ⌈3σ⌉). */
export function gaussianKernel(sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * r + 1);
  let s = 0;
  for (let i = -r; i <= r; i++) s += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i]! /= s;
  return k;
}

/** Motion blur: the mean along a line of `length` pixels at `angle` radians through each pixel. */
export function motionBlur(x: Float32Array, shape: readonly number[], length: number, angle: number): Float32Array {
  const out = new Float32Array(x.length);
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  const half = (length - 1) / 2;
  forEachPlane(shape, (o, h, w) => {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        let s = 0;
        for (let t = 0; t < length; t++) {
          const u = t - half;
          const ii = Math.min(h - 1, Math.max(0, Math.round(i + u * dy)));
          const jj = Math.min(w - 1, Math.max(0, Math.round(j + u * dx)));
          s += x[o + ii * w + jj]!;
        }
        out[o + i * w + j] = s / length;
      }
    }
  });
  return out;
}

/** Pixelate: mean over `factor`×`factor` blocks (last block may be smaller), written back to every pixel of the block. */
export function pixelate(x: Float32Array, shape: readonly number[], factor: number): Float32Array {
  const out = new Float32Array(x.length);
  const b = Math.max(1, Math.round(factor));
  forEachPlane(shape, (o, h, w) => {
    for (let bi = 0; bi < h; bi += b) {
      for (let bj = 0; bj < w; bj += b) {
        let s = 0;
        let n = 0;
        for (let i = bi; i < Math.min(h, bi + b); i++)
          for (let j = bj; j < Math.min(w, bj + b); j++) {
            s += x[o + i * w + j]!;
            n++;
          }
        for (let i = bi; i < Math.min(h, bi + b); i++) for (let j = bj; j < Math.min(w, bj + b); j++) out[o + i * w + j] = s / n;
      }
    }
  });
  return out;
}

/** The JPEG standard luminance quantisation table (ITU-T T.81, Annex K). */
const JPEG_LUMA = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22,
  37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/**
 * JPEG-like quantisation: 8×8 block DCT of the image on a 0–255 scale (from `range`), coefficients
 * quantised with the standard luminance table scaled for `quality` (IJG convention), inverse DCT.
 * No entropy coding (it is lossless). Partial blocks at the edges are padded by edge replication.
 */
export function jpegQuantise(x: Float32Array, shape: readonly number[], quality: number, range: [number, number]): Float32Array {
  const [lo, hi] = range;
  const span = hi - lo || 1;
  const scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
  const q = JPEG_LUMA.map((v) => Math.min(255, Math.max(1, Math.floor((v * scale + 50) / 100))));
  const cos = new Float64Array(64);
  for (let k = 0; k < 8; k++)
    for (let n = 0; n < 8; n++) cos[k * 8 + n] = Math.cos(((2 * n + 1) * k * Math.PI) / 16) * (k === 0 ? Math.SQRT1_2 : 1) * 0.5;
  const out = new Float32Array(x.length);
  const block = new Float64Array(64);
  const coef = new Float64Array(64);
  forEachPlane(shape, (o, h, w) => {
    for (let bi = 0; bi < h; bi += 8) {
      for (let bj = 0; bj < w; bj += 8) {
        for (let i = 0; i < 8; i++)
          for (let j = 0; j < 8; j++)
            block[i * 8 + j] = ((x[o + Math.min(h - 1, bi + i) * w + Math.min(w - 1, bj + j)]! - lo) / span) * 255 - 128;
        for (let u = 0; u < 8; u++)
          for (let v = 0; v < 8; v++) {
            let s = 0;
            for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) s += cos[u * 8 + i]! * cos[v * 8 + j]! * block[i * 8 + j]!;
            coef[u * 8 + v] = Math.round(s / q[u * 8 + v]!) * q[u * 8 + v]!;
          }
        for (let i = 0; i < 8 && bi + i < h; i++)
          for (let j = 0; j < 8 && bj + j < w; j++) {
            let s = 0;
            for (let u = 0; u < 8; u++) for (let v = 0; v < 8; v++) s += cos[u * 8 + i]! * cos[v * 8 + j]! * coef[u * 8 + v]!;
            out[o + (bi + i) * w + bj + j] = ((s + 128) / 255) * span + lo;
          }
      }
    }
  });
  return out;
}
