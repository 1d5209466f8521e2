/**
 * PNG images (8/16-bit greyscale and RGB, palette, with or without alpha) through pngjs, and
 * folders of PNG files stacked into one array.
 * Reference: PNG specification (ISO/IEC 15948, W3C), section 11.2.2 (IHDR colour types).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../util/errors.js';
import type { NdArray } from './types.js';

interface PngMeta {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  data: Uint8Array | Uint16Array;
}

interface PngSync {
  read(buf: Buffer, opts: { skipRescale: boolean }): PngMeta;
}

// pngjs ships no type declarations; this is the part of its API used here.
 
const pngSync = (require('pngjs') as { PNG: { sync: PngSync } }).PNG.sync;

/** A decoded PNG: the array plus the file's colour type and bit depth. */
export interface PngImage extends NdArray {
  /** PNG colour type of the file (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA). */
  colorType: number;
  /** Bits per sample in the file (1, 2, 4, 8 or 16). */
  bitDepth: number;
}

/**
 * Decodes a PNG. Greyscale (with or without alpha) gives shape `[H, W]`; RGB, RGBA and palette
 * images give `[H, W, 3]` (channels last; alpha dropped). Sample values are not rescaled:
 * 16-bit files give a `Uint16Array` of the stored values, 1/2/4-bit greyscale gives the stored
 * small integers (so a 1-bit mask reads as 0/1), 8-bit gives a `Uint8Array`.
 *
 * @param source a file path or the file's bytes
 * @param name name for error messages when `source` is a buffer
 * @throws {InputError} unreadable file or invalid PNG
 * @example
 * const { data, shape } = readPng('masks/ct_001.png'); // Uint8Array, [64, 64]
 */
export function readPng(source: string | Uint8Array, name?: string): PngImage {
  const file = typeof source === 'string' ? source : (name ?? '<buffer>');
  let buf: Buffer;
  try {
    buf = typeof source === 'string' ? readFileSync(source) : Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${(e as Error).message}`, { file, remedy: 'check the path', cause: e });
  }
  let meta: PngMeta;
  try {
    meta = pngSync.read(buf, { skipRescale: true });
  } catch (e) {
    throw new InputError(`not a valid PNG: ${(e as Error).message}`, {
      file,
      remedy: 'save the image as PNG (greyscale or RGB, 8 or 16 bit)',
      cause: e,
    });
  }
  const { width: w, height: h, colorType } = meta;
  const depth = colorType === 3 ? 8 : meta.depth;
  const rgba = meta.data;
  const n = w * h;
  const grey = colorType === 0 || colorType === 4;
  const ch = grey ? 1 : 3;
  const out = depth === 16 ? new Uint16Array(n * ch) : new Uint8Array(n * ch);
  for (let i = 0, o = 0; i < n; i++) {
    const s = i * 4;
    out[o++] = rgba[s]!;
    if (!grey) {
      out[o++] = rgba[s + 1]!;
      out[o++] = rgba[s + 2]!;
    }
  }
  return { data: out, shape: grey ? [h, w] : [h, w, 3], dtype: depth === 16 ? 'uint16' : 'uint8', colorType, bitDepth: depth };
}

/**
 * Reads every `.png` file of a folder (sorted by name) and stacks them: shape `[N, ...imageShape]`.
 *
 * @param dir the folder
 * @returns the stacked array, and the file names in order
 * @throws {InputError} missing folder, no PNG files, or images of different shapes/depths (the
 *   first differing file is named)
 * @example
 * const { array, files } = readPngFolder('case/images');
 */
export function readPngFolder(dir: string): { array: NdArray; files: string[] } {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((f) => f.toLowerCase().endsWith('.png'))
      .sort();
  } catch (e) {
    throw new InputError(`cannot read folder ${dir}: ${(e as Error).message}`, { file: dir, remedy: 'check the path', cause: e });
  }
  if (names.length === 0) throw new InputError('no .png files in folder', { file: dir, remedy: 'put the images (*.png) in this folder' });
  const first = readPng(join(dir, names[0]!));
  const per = first.data.length;
  const out = first.dtype === 'uint16' ? new Uint16Array(per * names.length) : new Uint8Array(per * names.length);
  out.set(first.data, 0);
  for (let k = 1; k < names.length; k++) {
    const f = join(dir, names[k]!);
    const img = readPng(f);
    if (img.dtype !== first.dtype || img.shape.join('x') !== first.shape.join('x'))
      throw new InputError(
        `image ${names[k]} is ${img.shape.join('×')} ${img.dtype} but ${names[0]} is ${first.shape.join('×')} ${first.dtype}`,
        {
          file: f,
          field: 'shape',
          remedy: 'resample all images of a folder to one size and bit depth',
        },
      );
    out.set(img.data, k * per);
  }
  return { array: { data: out, shape: [names.length, ...first.shape], dtype: first.dtype }, files: names };
}
