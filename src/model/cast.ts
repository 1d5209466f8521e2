/**
 * Element-type casts between the evaluation's float32 data and a model's declared input/output types: the data
 * path of every clause is float32 (after the case's pre-processing); a model whose data input is uint8, int8,
 * int16, int32, int64, float16 or float64 gets it cast when it is fed (integers rounded half away from zero and
 * clamped to the type's range), and float16/int outputs are read back as float32.
 */

/** The element types a float32 data input can be cast to. */
export const CASTABLE_INPUT_TYPES = ['float32', 'float16', 'float64', 'uint8', 'int8', 'uint16', 'int16', 'int32', 'int64'] as const;

/** One of {@link CASTABLE_INPUT_TYPES}. */
export type CastableType = (typeof CASTABLE_INPUT_TYPES)[number];

/**
 * Whether a model input of this element type can be fed from float32 data.
 * @example
 * isCastable('uint8'); // true
 * isCastable('string'); // false
 */
export function isCastable(type: string): type is CastableType {
  return (CASTABLE_INPUT_TYPES as readonly string[]).includes(type);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * IEEE 754 binary16 bits of a number (round to nearest even; overflow to ±Infinity, NaN kept).
 * @example
 * float16Bits(1); // 0x3c00
 * float16Bits(-2); // 0xc000
 * float16Bits(65520); // 0x7c00 (Infinity)
 */
export function float16Bits(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow
  if (e <= 0) {
    if (e < -10) return sign; // underflow to ±0
    mant |= 0x800000; // the implicit bit, then shift into a subnormal
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    if (rest > half || (rest === half && m & 1)) m++;
    return sign | m;
  }
  let m = mant >>> 13;
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && m & 1)) {
    m++;
    if (m === 0x400) {
      m = 0;
      e++;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | m;
}

/**
 * The number binary16 bits stand for.
 * @example
 * float16Value(0x3c00); // 1
 * float16Value(0x0001); // 5.960464477539063e-8 (smallest subnormal)
 */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

const INT_RANGE: Record<string, [number, number]> = {
  uint8: [0, 255],
  int8: [-128, 127],
  uint16: [0, 65535],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
};

function roundClamp(v: number, lo: number, hi: number): number {
  if (Number.isNaN(v)) return 0;
  const r = Math.sign(v) * Math.round(Math.abs(v));
  return r < lo ? lo : r > hi ? hi : r;
}

/** Typed array for an onnxruntime tensor of the given element type. */
export type CastData = Float32Array | Float64Array | Uint16Array | Uint8Array | Int8Array | Int16Array | Int32Array | BigInt64Array;

/**
 * float32 data as the typed array of a model input's element type (float16 as binary16 bits, as onnxruntime wants).
 * @param x float32 values
 * @param type the model input's element type
 * @returns `x` itself for float32, else a new array
 * @example
 * castFloat32(Float32Array.from([-3.5, 2.5, 300]), 'uint8'); // Uint8Array [0, 3, 255]
 */
export function castFloat32(x: Float32Array, type: CastableType): CastData {
  switch (type) {
    case 'float32':
      return x;
    case 'float64':
      return Float64Array.from(x);
    case 'float16':
      return Uint16Array.from(x, float16Bits);
    case 'int64':
      return BigInt64Array.from(x, (v) => BigInt(roundClamp(v, -(2 ** 53), 2 ** 53)));
    default: {
      const [lo, hi] = INT_RANGE[type]!;
      const out =
        type === 'uint8' ? new Uint8Array(x.length)
        : type === 'int8' ? new Int8Array(x.length)
        : type === 'uint16' ? new Uint16Array(x.length)
        : type === 'int16' ? new Int16Array(x.length)
        : new Int32Array(x.length);
      for (let i = 0; i < x.length; i++) out[i] = roundClamp(x[i]!, lo, hi);
      return out;
    }
  }
}

/**
 * Output data of any numeric element type as float32 (float16 decoded from its bits, integers and booleans as numbers).
 * @example
 * toFloat32(Uint16Array.from([0x3c00]), 'float16'); // Float32Array [1]
 */
export function toFloat32(data: ArrayLike<number | bigint | boolean>, type: string): Float32Array {
  if (data instanceof Float32Array) return data;
  const out = new Float32Array(data.length);
  if (type === 'float16') for (let i = 0; i < data.length; i++) out[i] = float16Value(data[i] as number);
  else for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  return out;
}
