/**
 * One entry point for array files by extension: `.npy`, `.png`, `.dcm`/`.dicom`.
 */
import { extname } from 'node:path';
import { InputError } from '../util/errors.js';
import { readDicom } from './dicom.js';
import { readNpy } from './npy.js';
import { readPng } from './png.js';
import type { NdArray } from './types.js';

/** Extensions {@link readArrayFile} understands. */
export const ARRAY_FILE_EXTENSIONS = ['.npy', '.png', '.dcm', '.dicom'] as const;

/**
 * Reads an array file, choosing the reader by extension: `.npy` ({@link readNpy}), `.png`
 * ({@link readPng}), `.dcm`/`.dicom` ({@link readDicom}, values rescaled to HU, dtype float32).
 *
 * @param path the file
 * @returns the array in C order with its shape
 * @throws {InputError} unknown extension, or whatever the reader throws
 * @example
 * const { data, shape } = readArrayFile('images/ct_001.npy');
 */
export function readArrayFile(path: string): NdArray {
  const ext = extname(path).toLowerCase();
  switch (ext) {
    case '.npy':
      return readNpy(path);
    case '.png':
      return readPng(path);
    case '.dcm':
    case '.dicom': {
      const d = readDicom(path);
      return { data: d.data, shape: d.shape, dtype: 'float32' };
    }
    default:
      throw new InputError(`unsupported file type "${ext || '(none)'}"`, {
        file: path,
        remedy: `use one of ${ARRAY_FILE_EXTENSIONS.join(', ')}`,
      });
  }
}
