/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0), read and written without Python.
 * Reference: NumPy Enhancement Proposal 1, "A simple file format for NumPy arrays"
 * (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { InputError } from '../util/errors.js';
import type { NdArray, NpyDtype, NumericArray } from './types.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

interface DtypeInfo {
  dtype: NpyDtype;
  size: number;
}

const DESCR: Record<string, DtypeInfo> = {
  f4: { dtype: 'float32', size: 4 },
  f8: { dtype: 'float64', size: 8 },
  u1: { dtype: 'uint8', size: 1 },
  i1: { dtype: 'int8', size: 1 },
  u2: { dtype: 'uint16', size: 2 },
  i2: { dtype: 'int16', size: 2 },
  u4: { dtype: 'uint32', size: 4 },
  i4: { dtype: 'int32', size: 4 },
  i8: { dtype: 'int64', size: 8 },
  b1: { dtype: 'bool', size: 1 },
};

function bad(file: string, message: string, field = 'header', remedy?: string): InputError {
  return new InputError(message, {
    file,
    field,
    remedy: remedy ?? 'save the array with numpy.save() (C order; dtype float32/float64/uint8/int8/int16/uint16/int32/uint32/int64/bool)',
  });
}

/** Parses the header dict `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`. */
function parseHeader(text: string, file: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !fortran || !shape) throw bad(file, `not a valid .npy header: ${JSON.stringify(text.trim())}`);
  const dims = shape[1]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw bad(file, `invalid shape (${shape[1]})`, 'shape');
  return { descr: descr[1]!, fortran: fortran[1] === 'True', shape: dims };
}

/**
 * Reads a `.npy` array.
 *
 * Supported dtypes: float32, float64, uint8, int8, uint16, int16, uint32, int32, bool (as
 * `Uint8Array` of 0/1) and int64 (converted to `Float64Array`; every value must lie within
 * ±2^53, the range where doubles are exact). Little- and big-endian files are accepted (big-endian
 * data are byte-swapped). C order only: Fortran-ordered files are rejected with a remedy.
 *
 * @param source a file path or the file's bytes
 * @param name name used in error messages when `source` is a buffer
 * @returns the elements in C order, the shape and the file's dtype
 * @throws {InputError} not a .npy file, unsupported dtype, Fortran order, truncated data,
 *   int64 values beyond ±2^53
 * @example
 * const { data, shape } = readNpy('ct_001.npy'); // Int16Array, [64, 64]
 */
export function readNpy(source: string | Uint8Array, name?: string): NdArray {
  const file = typeof source === 'string' ? source : (name ?? '<buffer>');
  let buf: Uint8Array;
  if (typeof source === 'string') {
    try {
      buf = readFileSync(source);
    } catch (e) {
      throw new InputError(`cannot read ${source}: ${(e as Error).message}`, { file, remedy: 'check the path', cause: e });
    }
  } else buf = source;
  if (buf.length < 10 || MAGIC.some((b, i) => buf[i] !== b)) throw bad(file, 'not a .npy file (magic string \\x93NUMPY missing)', 'magic');
  const major = buf[6]!;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = dv.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (buf.length < 12) throw bad(file, 'truncated .npy header');
    headerLen = dv.getUint32(8, true);
    start = 12;
  } else throw bad(file, `unsupported .npy format version ${major}.${buf[7]}`, 'version');
  if (start + headerLen > buf.length) throw bad(file, 'truncated .npy header');
  const text = Buffer.from(buf.subarray(start, start + headerLen)).toString(major === 3 ? 'utf8' : 'latin1');
  const { descr, fortran, shape } = parseHeader(text, file);
  const multi = shape.length > 1 && shape.filter((d) => d > 1).length > 1;
  if (fortran && multi)
    throw bad(
      file,
      'Fortran-ordered arrays are not supported',
      'fortran_order',
      'save a C-ordered copy: numpy.save(path, numpy.ascontiguousarray(a))',
    );
  const order = descr[0]!;
  const info = DESCR[descr.slice(1)];
  if (!info || !'<>|='.includes(order))
    throw bad(
      file,
      `unsupported dtype '${descr}'`,
      'descr',
      'convert with a.astype(numpy.float32) (or another supported dtype) before saving',
    );
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  const nbytes = count * info.size;
  if (offset + nbytes > buf.length)
    throw bad(
      file,
      `truncated data: shape (${shape.join(', ')}) of ${descr} needs ${nbytes} bytes, file has ${buf.length - offset}`,
      'data',
    );
  // Copy into a fresh, aligned buffer (the data offset need not be a multiple of the item size).
  const bytes = new Uint8Array(nbytes);
  bytes.set(buf.subarray(offset, offset + nbytes));
  if (order === '>' && info.size > 1) swapBytes(bytes, info.size);
  const data = makeArray(info.dtype, bytes, count, file);
  return { data, shape, dtype: info.dtype };
}

function swapBytes(b: Uint8Array, size: number): void {
  for (let i = 0; i < b.length; i += size) {
    for (let j = 0; j < size >> 1; j++) {
      const t = b[i + j]!;
      b[i + j] = b[i + size - 1 - j]!;
      b[i + size - 1 - j] = t;
    }
  }
}

function makeArray(dtype: NpyDtype, bytes: Uint8Array, count: number, file: string): NumericArray {
  const ab = bytes.buffer;
  switch (dtype) {
    case 'float32':
      return new Float32Array(ab, 0, count);
    case 'float64':
      return new Float64Array(ab, 0, count);
    case 'uint8':
      return bytes;
    case 'bool': {
      for (let i = 0; i < count; i++) if (bytes[i]! > 1) bytes[i] = 1;
      return bytes;
    }
    case 'int8':
      return new Int8Array(ab, 0, count);
    case 'uint16':
      return new Uint16Array(ab, 0, count);
    case 'int16':
      return new Int16Array(ab, 0, count);
    case 'uint32':
      return new Uint32Array(ab, 0, count);
    case 'int32':
      return new Int32Array(ab, 0, count);
    case 'int64': {
      const src = new BigInt64Array(ab, 0, count);
      const out = new Float64Array(count);
      const lim = BigInt(Number.MAX_SAFE_INTEGER);
      for (let i = 0; i < count; i++) {
        const v = src[i]!;
        if (v > lim || v < -lim)
          throw bad(
            file,
            `int64 value ${v} at flat index ${i} is beyond ±2^53 and cannot be represented exactly`,
            'data',
            'store the data as float64 or int32',
          );
        out[i] = Number(v);
      }
      return out;
    }
  }
}

function descrOf(data: NumericArray | BigInt64Array, dtype?: NpyDtype): string {
  if (dtype === 'bool') return '|b1';
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Uint8Array) return '|u1';
  if (data instanceof Int8Array) return '|i1';
  if (data instanceof Uint16Array) return '<u2';
  if (data instanceof Int16Array) return '<i2';
  if (data instanceof Uint32Array) return '<u4';
  if (data instanceof Int32Array) return '<i4';
  return '<i8';
}

/**
 * Encodes an array as `.npy` bytes (format 1.0, or 2.0 for headers over 65535 bytes; header
 * padded to a multiple of 64 bytes as NumPy does).
 *
 * @param data elements in C order; the typed array's class chooses the dtype
 *   (`BigInt64Array` → int64)
 * @param shape dimensions; their product must equal `data.length`
 * @param opts `dtype: 'bool'` writes a `Uint8Array` of 0/1 as numpy bool
 * @throws {InputError} when shape and length disagree
 * @example
 * const bytes = encodeNpy(new Float32Array([1, 2, 3, 4]), [2, 2]);
 */
export function encodeNpy(data: NumericArray | BigInt64Array, shape: number[], opts: { dtype?: 'bool' } = {}): Buffer {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length)
    throw new InputError(`shape (${shape.join(', ')}) holds ${count} elements but the data has ${data.length}`, {
      field: 'shape',
      remedy: 'pass the shape of the data, outermost dimension first',
    });
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descrOf(data, opts.dtype)}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  let pre = 10;
  let total = pre + header.length + 1;
  let pad = (64 - (total % 64)) % 64;
  if (header.length + pad + 1 > 65535) {
    pre = 12;
    total = pre + header.length + 1;
    pad = (64 - (total % 64)) % 64;
  }
  header = header + ' '.repeat(pad) + '\n';
  const out = Buffer.alloc(pre + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = pre === 10 ? 1 : 2;
  out[7] = 0;
  if (pre === 10) out.writeUInt16LE(header.length, 8);
  else out.writeUInt32LE(header.length, 8);
  out.write(header, pre, 'latin1');
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), pre + header.length);
  return out;
}

/**
 * Writes an array to a `.npy` file readable by `numpy.load`.
 *
 * @param path destination file
 * @param data elements in C order (the typed array's class chooses the dtype)
 * @param shape dimensions
 * @param opts `dtype: 'bool'` for a 0/1 `Uint8Array` stored as numpy bool
 * @throws {InputError} when shape and length disagree
 * @example
 * writeNpy('masks.npy', masks, [n, 256, 256]);
 */
export function writeNpy(path: string, data: NumericArray | BigInt64Array, shape: number[], opts: { dtype?: 'bool' } = {}): void {
  writeFileSync(path, encodeNpy(data, shape, opts));
}
