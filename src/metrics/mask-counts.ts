/**
 * Per-image pixel counts behind the segmentation metrics: for each image and class, true
 * positives and the class's pixel counts in truth and prediction. Binary 0/1 `Uint8Array` masks
 * take a WebAssembly SIMD path (16 pixels per instruction; `wasm/mask-counts.wat`) when the image
 * size is a multiple of 16, else a packed JS path (four pixels per 32-bit word, SWAR byte-lane
 * sums); other inputs a plain loop. All paths give identical integer counts.
 */
import { InputError } from '../util/errors.js';
import { MASK_COUNTS_WASM } from './wasm/mask-counts-wasm.js';

interface SimdCounter {
  memory: WebAssembly.Memory;
  counts(t: number, p: number, px: number, n: number, out: number): void;
}

let simd: SimdCounter | null | undefined;

/** The WebAssembly SIMD counter (wasm/mask-counts.wat), instantiated on first use; null where SIMD is unavailable. */
function simdCounter(): SimdCounter | null {
  if (simd === undefined) {
    try {
      const mod = new WebAssembly.Module(Buffer.from(MASK_COUNTS_WASM, 'base64'));
      simd = new WebAssembly.Instance(mod, {}).exports as unknown as SimdCounter;
    } catch {
      simd = null;
    }
  }
  return simd;
}

/** Binary counts through WebAssembly SIMD, in chunks of images of at most ~8 MiB; null when not applicable. */
function binaryCountsSimd(
  t: ArrayLike<number>,
  p: ArrayLike<number>,
  n: number,
  px: number,
): { counts: Float64Array; bad: boolean } | null {
  const w = simdCounter();
  if (!w || !(t instanceof Uint8Array) || !(p instanceof Uint8Array) || px % 16 !== 0 || px === 0) return null;
  const per = Math.max(1, Math.floor((8 << 20) / (2 * px)));
  const need = 2 * per * px + 16 * per;
  const pages = Math.ceil(need / 65536) - w.memory.buffer.byteLength / 65536;
  if (pages > 0) w.memory.grow(pages);
  const out = new Float64Array(3 * n);
  let bad = false;
  for (let first = 0; first < n; first += per) {
    const m = Math.min(per, n - first);
    const len = m * px;
    const mem = new Uint8Array(w.memory.buffer);
    mem.set(t.subarray(first * px, first * px + len), 0);
    mem.set(p.subarray(first * px, first * px + len), len);
    w.counts(0, len, px, m, 2 * len);
    const res = new Int32Array(w.memory.buffer, 2 * len, 4 * m);
    for (let i = 0; i < m; i++) {
      out[3 * (first + i)] = res[4 * i]!;
      out[3 * (first + i) + 1] = res[4 * i + 1]!;
      out[3 * (first + i) + 2] = res[4 * i + 2]!;
      if (res[4 * i + 3]) bad = true;
    }
  }
  return { counts: out, bad };
}

/** Per-image, per-class counts (`[image * k + class]`) and correct pixels per image. */
export interface MaskCounts {
  tp: Float64Array;
  truth: Float64Array;
  pred: Float64Array;
  correct: Float64Array;
}

/**
 * Checks two mask arrays against a shape `[N, H, W]` (or `[H, W]`, one image).
 * @throws {InputError} shape product ≠ length, or truth and prediction of different lengths
 */
export function checkMasks(truth: ArrayLike<number>, pred: ArrayLike<number>, shape: readonly number[]): [number, number] {
  const dims = shape.length === 2 ? [1, ...shape] : [...shape];
  if (dims.length !== 3 || dims.some((d) => !Number.isInteger(d) || d < 0))
    throw new InputError(`mask shape [${shape.join(', ')}] is not N×H×W`, {
      field: 'shape',
      remedy: 'pass masks as N×H×W (or H×W for one image)',
    });
  const total = dims[0]! * dims[1]! * dims[2]!;
  if (truth.length !== total || pred.length !== total)
    throw new InputError(
      `masks have ${truth.length} (truth) and ${pred.length} (prediction) pixels; shape [${dims.join(', ')}] needs ${total}`,
      {
        field: 'shape',
        remedy: 'truth and prediction masks must have the same N×H×W shape',
      },
    );
  return [dims[0]!, dims[1]! * dims[2]!];
}

/** Sum of the four byte lanes of a 32-bit word. */
function laneSum(x: number): number {
  return (x & 0xff) + ((x >>> 8) & 0xff) + ((x >>> 16) & 0xff) + (x >>> 24);
}

/** Per-image [tp, truthCount, predCount] of class 1 for 0/1 masks; throws on other values. */
function binaryCounts(t: ArrayLike<number>, p: ArrayLike<number>, n: number, px: number): Float64Array {
  const viaSimd = binaryCountsSimd(t, p, n, px);
  if (viaSimd && !viaSimd.bad) return viaSimd.counts;
  if (viaSimd)
    throw new InputError('binary masks must hold only 0 and 1', {
      field: 'masks',
      remedy: 'binarise the masks (0 background, 1 foreground) or pass numClasses for class-index masks',
    });
  const out = new Float64Array(3 * n);
  const fast = t instanceof Uint8Array && p instanceof Uint8Array && px % 4 === 0 && t.byteOffset % 4 === 0 && p.byteOffset % 4 === 0;
  let bad = 0;
  if (fast) {
    const t32 = new Uint32Array(t.buffer, t.byteOffset, (n * px) >> 2);
    const p32 = new Uint32Array(p.buffer, p.byteOffset, (n * px) >> 2);
    const words = px >> 2;
    for (let img = 0; img < n; img++) {
      let tp = 0;
      let st = 0;
      let sp = 0;
      let or = 0;
      const end = (img + 1) * words;
      // SWAR: bytes are 0/1, so up to 255 words can be added lane-wise before a lane could carry;
      // then the four byte lanes are summed.
      for (let w = img * words; w < end;) {
        const stop = Math.min(end, w + 255);
        let at = 0;
        let ap = 0;
        let atp = 0;
        for (; w < stop; w++) {
          const a = t32[w]!;
          const b = p32[w]!;
          or |= a | b;
          at += a;
          ap += b;
          atp += a & b;
        }
        tp += laneSum(atp);
        st += laneSum(at);
        sp += laneSum(ap);
      }
      bad |= or & 0xfefefefe;
      out[3 * img] = tp;
      out[3 * img + 1] = st;
      out[3 * img + 2] = sp;
    }
  } else {
    for (let img = 0; img < n; img++) {
      let tp = 0;
      let st = 0;
      let sp = 0;
      for (let i = img * px, e = i + px; i < e; i++) {
        const a = t[i]!;
        const b = p[i]!;
        if ((a !== 0 && a !== 1) || (b !== 0 && b !== 1)) bad = 1;
        tp += a & b;
        st += a;
        sp += b;
      }
      out[3 * img] = tp;
      out[3 * img + 1] = st;
      out[3 * img + 2] = sp;
    }
  }
  if (bad)
    throw new InputError('binary masks must hold only 0 and 1', {
      field: 'masks',
      remedy: 'binarise the masks (0 background, 1 foreground) or pass numClasses for class-index masks',
    });
  return out;
}

/** Per-image K×K confusion counts for class-index masks. */
function multiCounts(t: ArrayLike<number>, p: ArrayLike<number>, n: number, px: number, k: number): Float64Array {
  const out = new Float64Array(n * k * k);
  const c = new Uint32Array(k * k);
  for (let img = 0; img < n; img++) {
    c.fill(0);
    for (let i = img * px, e = i + px; i < e; i++) {
      const a = t[i]!;
      const b = p[i]!;
      if (!(a >= 0 && a < k && b >= 0 && b < k && a === (a | 0) && b === (b | 0)))
        throw new InputError(`mask value ${!(a >= 0 && a < k) ? a : b} at pixel ${i} is not a class index 0..${k - 1}`, {
          field: 'masks',
          remedy: 'store class indices, or raise numClasses',
        });
      c[a * k + b]++;
    }
    for (let j = 0; j < k * k; j++) out[img * k * k + j] = c[j]!;
  }
  return out;
}

/**
 * Counts per image and class for masks of `n` images of `px` pixels with `k` classes.
 * @param truth true masks (class indices)
 * @param pred predicted masks
 * @param n images
 * @param px pixels per image
 * @param k classes (2: binary 0/1 masks)
 * @throws {InputError} values outside 0..k−1
 */
export function maskCounts(truth: ArrayLike<number>, pred: ArrayLike<number>, n: number, px: number, k: number): MaskCounts {
  const tp = new Float64Array(n * k);
  const st = new Float64Array(n * k);
  const sp = new Float64Array(n * k);
  const correct = new Float64Array(n);
  if (k === 2) {
    const b = binaryCounts(truth, pred, n, px);
    for (let i = 0; i < n; i++) {
      const t = b[3 * i]!;
      const s = b[3 * i + 1]!;
      const p = b[3 * i + 2]!;
      const tn = px - s - p + t;
      tp[2 * i + 1] = t;
      st[2 * i + 1] = s;
      sp[2 * i + 1] = p;
      tp[2 * i] = tn;
      st[2 * i] = px - s;
      sp[2 * i] = px - p;
      correct[i] = t + tn;
    }
  } else {
    const m = multiCounts(truth, pred, n, px, k);
    for (let i = 0; i < n; i++)
      for (let a = 0; a < k; a++)
        for (let b = 0; b < k; b++) {
          const v = m[i * k * k + a * k + b]!;
          st[i * k + a] += v;
          sp[i * k + b] += v;
          if (a === b) {
            tp[i * k + a] = v;
            correct[i] += v;
          }
        }
  }
  return { tp, truth: st, pred: sp, correct };
}
