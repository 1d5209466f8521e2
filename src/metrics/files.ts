/**
 * Reading metric inputs from files produced anywhere (the `ptmc metrics` inputs): label CSVs
 * (`label` column) or 1-D `.npy`, score CSVs (one column per class label, or `score`) or `.npy`,
 * and mask arrays (`.npy` N×H×W, a `.png`, or a folder of PNGs).
 */
import { existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError } from '../util/errors.js';
import { readCsv } from '../data/csv.js';
import { readNpy } from '../data/npy.js';
import { readPng, readPngFolder } from '../data/png.js';

/** Labels read from a file, as strings, with optional sample ids. */
export interface LabelColumn {
  file: string;
  values: string[];
  ids?: string[];
}

function mustExist(path: string, what: string): void {
  if (!existsSync(path)) throw new InputError(`${what} file not found: ${path}`, { file: path, remedy: 'check the path' });
}

/**
 * Reads class labels: a CSV with a header and a `column` column (default `label`; an `id`
 * column, when present, is kept for alignment) or a 1-D `.npy` of integers.
 * @param path the file
 * @param column label column name
 * @throws {InputError} missing file or column, empty cells (row named), non-1-D arrays
 * @example readLabelColumn('truth.csv').values; // ['benign', 'malignant', …]
 */
export function readLabelColumn(path: string, column = 'label'): LabelColumn {
  mustExist(path, 'label');
  if (extname(path).toLowerCase() === '.npy') {
    const a = readNpy(path);
    if (a.shape.length !== 1)
      throw new InputError(`labels must be a 1-D array, got shape [${a.shape.join(', ')}]`, {
        file: path,
        field: 'shape',
        remedy: 'save one label per sample',
      });
    return { file: path, values: Array.from(a.data, (v) => String(v)) };
  }
  const csv = readCsv(path);
  if (csv.rows.length === 0)
    throw new InputError('the CSV has a header but no rows', {
      file: path,
      field: 'rows',
      remedy: 'write one row per sample under the header',
    });
  const j = csv.columns.indexOf(column);
  if (j < 0)
    throw new InputError(`no "${column}" column; columns: ${csv.columns.join(', ')}`, {
      file: path,
      field: column,
      remedy: `name the label column "${column}"`,
    });
  const values = csv.rows.map((r, i) => {
    const v = r[j]!.trim();
    if (v === '')
      throw new InputError('empty label', { file: path, field: `row ${i + 1}, column ${column}`, remedy: 'give every sample a label' });
    return v;
  });
  const k = csv.columns.indexOf('id');
  return { file: path, values, ...(k >= 0 ? { ids: csv.rows.map((r) => r[k]!.trim()) } : {}) };
}

/**
 * Sorted distinct label strings: numerically when all are numbers, else lexicographically.
 * @param lists label lists
 */
export function sortLabelStrings(...lists: string[][]): string[] {
  const set = [...new Set(lists.flat())];
  const numeric = set.every((s) => s.trim() !== '' && !Number.isNaN(Number(s)));
  return numeric ? set.sort((a, b) => Number(a) - Number(b)) : set.sort();
}

/**
 * Converts label strings to indices into `labels` (numeric labels match by value, so `1` = `1.0`).
 * @throws {InputError} a value not in `labels`, naming its row
 */
export function indexLabels(col: LabelColumn, labels: string[], column = 'label'): Int32Array {
  const numeric = labels.every((s) => !Number.isNaN(Number(s)));
  const m = new Map<string, number>();
  labels.forEach((l, i) => m.set(numeric ? String(Number(l)) : l, i));
  return Int32Array.from(col.values, (v, i) => {
    const k = m.get(numeric && !Number.isNaN(Number(v)) ? String(Number(v)) : v);
    if (k === undefined)
      throw new InputError(`label "${v}" is not one of the labels [${labels.join(', ')}]`, {
        file: col.file,
        field: `row ${i + 1}, column ${column}`,
        remedy: 'add it to --labels or correct the label',
      });
    return k;
  });
}

/**
 * Reads scores for `n` samples: CSV with one column per label (named as the labels) → N×K
 * row-major, or a `score` column (binary: the positive class) → N; `.npy` of shape (N,) or (N, K).
 * @param path the file
 * @param labels class labels (column names)
 * @param n number of samples expected
 * @returns flat scores and the number of columns (1 for binary scores)
 * @throws {InputError} missing file/columns, wrong length, NaN or non-numeric scores (row and column named)
 */
export function readScores(path: string, labels: string[], n: number): { scores: Float64Array; columns: number } {
  mustExist(path, 'scores');
  if (extname(path).toLowerCase() === '.npy') {
    const a = readNpy(path);
    const cols = a.shape.length === 1 ? 1 : a.shape[1]!;
    if (a.shape.length > 2 || a.shape[0] !== n || (cols !== 1 && cols !== labels.length))
      throw new InputError(`scores have shape [${a.shape.join(', ')}], expected [${n}] or [${n}, ${labels.length}]`, {
        file: path,
        field: 'shape',
        remedy: 'one row per sample; one column per label in label order',
      });
    const s = Float64Array.from(a.data);
    s.forEach((v, i) => {
      if (!Number.isFinite(v))
        throw new InputError(`score ${v} is not a finite number`, {
          file: path,
          field: `row ${Math.floor(i / cols) + 1}, column ${i % cols}`,
          remedy: 'no NaN or infinite scores',
        });
    });
    return { scores: s, columns: cols };
  }
  const csv = readCsv(path);
  if (csv.rows.length !== n)
    throw new InputError(`scores have ${csv.rows.length} rows but the truth has ${n}`, {
      file: path,
      remedy: 'one row per sample, in the order of the truth file',
    });
  const byLabel = labels.every((l) => csv.columns.includes(l));
  const cols = byLabel ? labels : csv.columns.includes('score') ? ['score'] : null;
  if (!cols)
    throw new InputError(`scores need a column per label (${labels.join(', ')}) or a "score" column; columns: ${csv.columns.join(', ')}`, {
      file: path,
      field: 'header',
      remedy: 'name score columns after the class labels',
    });
  const idx = cols.map((c) => csv.columns.indexOf(c));
  const s = new Float64Array(n * cols.length);
  csv.rows.forEach((r, i) =>
    idx.forEach((j, k) => {
      const cell = r[j]!.trim();
      const v = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(v))
        throw new InputError(`score "${cell}" is not a finite number`, {
          file: path,
          field: `row ${i + 1}, column ${cols[k]}`,
          remedy: 'no NaN, empty or non-numeric scores',
        });
      s[i * cols.length + k] = v;
    }),
  );
  return { scores: s, columns: cols.length };
}

/**
 * Reads masks: `.npy` (N×H×W or H×W), one `.png`, or a folder of `.png` files (sorted by name).
 * Masks holding only 0 and 255 are read as 0/1.
 * @returns mask values and shape `[N, H, W]`
 * @throws {InputError} missing file, wrong rank, non-integer or negative values
 */
export function readMasks(path: string): { data: Uint8Array; shape: [number, number, number] } {
  mustExist(path, 'mask');
  const a = statSync(path).isDirectory()
    ? readPngFolder(path).array
    : extname(path).toLowerCase() === '.png'
      ? readPng(path)
      : readNpy(path);
  const s = a.shape.length === 2 ? [1, ...a.shape] : a.shape;
  if (s.length !== 3)
    throw new InputError(`masks must be N×H×W (or H×W), got [${a.shape.join(', ')}]`, {
      file: path,
      field: 'shape',
      remedy: 'save masks as an N×H×W array of class indices',
    });
  const data = new Uint8Array(a.data.length);
  for (let i = 0; i < data.length; i++) {
    const v = a.data[i]!;
    if (!(v >= 0 && v <= 255 && Number.isInteger(v)))
      throw new InputError(`mask value ${v} at flat index ${i} is not a class index`, {
        file: path,
        field: 'values',
        remedy: 'store 0/1 (or class indices 0..255)',
      });
    data[i] = v;
  }
  // 0/255 binary masks (common for PNG) are read as 0/1
  let only0255 = true;
  let any255 = false;
  for (let i = 0; i < data.length && only0255; i++) {
    only0255 = data[i] === 0 || data[i] === 255;
    any255 ||= data[i] === 255;
  }
  if (only0255 && any255) for (let i = 0; i < data.length; i++) data[i] = data[i] ? 1 : 0;
  return { data, shape: s as [number, number, number] };
}
