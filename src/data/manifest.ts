/**
 * Data-set manifests (CSV with header, or a JSON array of objects) and {@link loadDataset}, which
 * turns a case's {@link DatasetSpec} into a {@link Dataset}.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import type { DatasetRole, DatasetSpec, TaskType } from './dataset-spec.js';
import { InputError } from '../util/errors.js';
import { cellValue, readCsv } from './csv.js';
import { readArrayFile } from './files.js';
import type { Dataset, MetaValue } from './types.js';

/** A manifest: its columns (header order) and rows of cell values. */
export interface Manifest {
  /** Absolute path of the manifest file. */
  file: string;
  columns: string[];
  rows: Record<string, MetaValue | boolean>[];
}

/**
 * Reads a manifest: `.json` (an array of flat objects; columns = union of keys in first-seen
 * order) or CSV with a header (numeric cells become numbers, empty cells `null`).
 *
 * @param path the manifest file
 * @throws {InputError} unreadable file, malformed CSV/JSON, JSON that is not an array of objects
 * @example
 * const m = readManifest('examples/ct/test.csv'); m.rows[0].id;
 */
export function readManifest(path: string): Manifest {
  const file = resolve(path);
  if (extname(file).toLowerCase() === '.json') {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new InputError(`cannot read JSON manifest: ${(e as Error).message}`, {
        file: path,
        remedy: 'write a JSON array of objects, one per sample',
        cause: e,
      });
    }
    if (!Array.isArray(doc))
      throw new InputError('JSON manifest must be an array of objects', {
        file: path,
        field: '/',
        remedy: 'write [{"id": "a", "input": "a.npy", …}, …]',
      });
    const columns: string[] = [];
    const seen = new Set<string>();
    const rows = doc.map((r, i) => {
      if (r === null || typeof r !== 'object' || Array.isArray(r))
        throw new InputError(`element ${i} is not an object`, { file: path, field: `/${i}`, remedy: 'one object per sample' });
      const row: Record<string, MetaValue | boolean> = {};
      for (const [k, v] of Object.entries(r as Record<string, unknown>)) {
        if (!seen.has(k)) {
          seen.add(k);
          columns.push(k);
        }
        if (v !== null && typeof v === 'object')
          throw new InputError(`nested value in column "${k}"`, {
            file: path,
            field: `/${i}/${k}`,
            remedy: 'use flat string/number values',
          });
        row[k] = v as MetaValue | boolean;
      }
      return row;
    });
    return { file, columns, rows };
  }
  const csv = readCsv(path);
  const rows = csv.rows.map((r) => {
    const row: Record<string, MetaValue> = {};
    csv.columns.forEach((c, j) => (row[c] = cellValue(r[j]!)));
    return row;
  });
  return { file, columns: csv.columns, rows };
}

/** Options of {@link loadDataset}: what the case says about the task. */
export interface LoadDatasetOptions {
  task: TaskType;
  /** Class labels of the case; index = class id. */
  labels: string[];
  role: DatasetRole;
}

function confine(caseReal: string, p: string, file: string, field: string): string {
  const real = existsSync(p) ? realpathSync(p) : p;
  const rel = relative(caseReal, real);
  if (rel.startsWith('..') || isAbsolute(rel))
    throw new InputError(`path ${p} is outside the case directory`, {
      file,
      field,
      remedy: 'keep data files inside the case directory and name them relative to the manifest',
    });
  return p;
}

/**
 * Loads the data set a case names: reads the manifest, then every input (and mask) file, or the
 * feature columns for tabular data, and checks them.
 *
 * Conventions: file paths are relative to the manifest's folder and must stay inside `caseDir`;
 * every input must have the same shape; classification labels may be label names of
 * `opts.labels` or class indices; masks hold class indices (a binary task's 0/255 masks are
 * read as 0/1) and must match the input's last two dimensions. A missing label column leaves
 * `y` undefined (e.g. OOD data); a missing mask column leaves `masks` undefined. Every other
 * manifest column becomes metadata.
 *
 * @param caseDir the case directory
 * @param spec the data set's entry of case.json
 * @param opts task, labels and role
 * @returns the data set
 * @throws {InputError} with `file` = manifest and `field` = `row N, column C` for a bad row
 *   (missing file, wrong shape, unknown label, non-numeric feature); a manifest outside the case;
 *   unknown columns in the spec
 * @example
 * const ds = await loadDataset(caseDir, spec.datasets.test!, { task: 'segmentation', labels: ['background', 'body'], role: 'test' });
 */
export async function loadDataset(caseDir: string, spec: DatasetSpec, opts: LoadDatasetOptions): Promise<Dataset> {
  const caseReal = realpathSync(resolve(caseDir));
  const mpath = confine(caseReal, resolve(caseDir, spec.manifest), resolve(caseDir, 'case.json'), 'manifest');
  if (!existsSync(mpath))
    throw new InputError(`manifest not found: ${spec.manifest}`, {
      file: mpath,
      field: 'manifest',
      remedy: 'check the manifest path in case.json (relative to the case directory)',
    });
  const m = readManifest(mpath);
  const file = mpath;
  const base = dirname(mpath);
  const n = m.rows.length;
  if (n === 0) throw new InputError('manifest has no rows', { file, remedy: 'list one sample per row' });
  const has = (c: string) => m.columns.includes(c);
  const need = (c: string, what: string) => {
    if (!has(c))
      throw new InputError(`column "${c}" (${what}) not in manifest; columns: ${m.columns.join(', ')}`, {
        file,
        field: c,
        remedy: `add the column or set ${what} in case.json`,
      });
  };
  const idCol = spec.idColumn ?? 'id';
  need(idCol, 'idColumn');
  const ids = m.rows.map((r, i) => {
    const v = r[idCol];
    if (v === null || v === undefined || v === '')
      throw new InputError('empty sample id', { file, field: `row ${i + 1}, column ${idCol}`, remedy: 'give every sample an id' });
    return String(v);
  });
  const used = new Set<string>([idCol]);
  let x: Float32Array;
  let shape: number[];
  let featureNames: string[] | undefined;
  if (spec.featureColumns && spec.featureColumns.length > 0) {
    const fc = spec.featureColumns;
    fc.forEach((c) => (need(c, 'featureColumns'), used.add(c)));
    x = new Float32Array(n * fc.length);
    m.rows.forEach((r, i) =>
      fc.forEach((c, j) => {
        const v = r[c];
        if (typeof v !== 'number' || !Number.isFinite(v))
          throw new InputError(`feature value ${JSON.stringify(v)} is not a finite number`, {
            file,
            field: `row ${i + 1}, column ${c}`,
            remedy: 'fill or drop rows with missing or non-numeric features',
          });
        x[i * fc.length + j] = v;
      }),
    );
    shape = [n, fc.length];
    featureNames = [...fc];
  } else {
    const inCol = spec.inputColumn ?? 'input';
    need(inCol, 'inputColumn (or featureColumns for tabular data)');
    used.add(inCol);
    let per = 0;
    let sample: number[] = [];
    x = new Float32Array(0);
    for (let i = 0; i < n; i++) {
      const a = readRowFile(caseReal, base, file, m.rows[i]![inCol], i, inCol);
      if (i === 0) {
        sample = a.shape;
        per = a.data.length;
        x = new Float32Array(per * n);
      } else if (a.shape.join(',') !== sample.join(','))
        throw new InputError(`input shape [${a.shape.join(', ')}] differs from row 1's [${sample.join(', ')}]`, {
          file,
          field: `row ${i + 1}, column ${inCol}`,
          remedy: 'resample every input to one shape',
        });
      x.set(a.data, i * per);
    }
    shape = [n, ...sample];
  }
  let y: Int32Array | undefined;
  if (opts.task === 'classification') {
    const lc = spec.labelColumn ?? 'label';
    if (spec.labelColumn) need(lc, 'labelColumn');
    if (has(lc)) {
      used.add(lc);
      y = new Int32Array(n);
      m.rows.forEach((r, i) => (y![i] = labelIndex(r[lc], opts.labels, file, `row ${i + 1}, column ${lc}`)));
    }
  }
  let masks: Uint8Array | undefined;
  let maskShape: number[] | undefined;
  if (opts.task === 'segmentation') {
    const mc = spec.maskColumn ?? 'mask';
    if (spec.maskColumn) need(mc, 'maskColumn');
    if (has(mc)) {
      used.add(mc);
      // RGB images load channels-last [N,H,W,3]: the mask is H×W
      const hw = shape.length === 4 && shape[3] === 3 ? shape.slice(1, 3) : shape.slice(-2);
      masks = new Uint8Array(n * hw[0]! * hw[1]!);
      for (let i = 0; i < n; i++) {
        const field = `row ${i + 1}, column ${mc}`;
        const a = readRowFile(caseReal, base, file, m.rows[i]![mc], i, mc);
        const dims = a.shape.filter((d, k) => !(d === 1 && a.shape.length > 2 && (k === 0 || k === a.shape.length - 1)));
        if (dims.length !== 2 || dims[0] !== hw[0] || dims[1] !== hw[1])
          throw new InputError(`mask shape [${a.shape.join(', ')}] does not match the input's [${hw.join(', ')}]`, {
            file,
            field,
            remedy: 'masks must be H×W class-index images of the input size',
          });
        writeMask(a.data, masks, i * hw[0]! * hw[1]!, opts.labels.length, file, field);
      }
      maskShape = [n, hw[0]!, hw[1]!];
    }
  }
  const subgroups = spec.subgroups ?? [];
  subgroups.forEach((c) => need(c, 'subgroups'));
  const meta: Record<string, MetaValue[]> = {};
  for (const c of m.columns)
    if (!used.has(c)) meta[c] = m.rows.map((r) => (typeof r[c] === 'boolean' ? String(r[c]) : ((r[c] as MetaValue | undefined) ?? null)));
  return {
    role: opts.role,
    ids,
    x,
    shape,
    y,
    masks,
    maskShape,
    meta,
    subgroups: [...subgroups],
    labels: [...opts.labels],
    featureNames,
    source: file,
  };
}

function readRowFile(caseReal: string, base: string, file: string, cell: unknown, i: number, col: string) {
  const field = `row ${i + 1}, column ${col}`;
  if (typeof cell !== 'string' || cell.trim() === '')
    throw new InputError(`no file named (${JSON.stringify(cell)})`, { file, field, remedy: 'give a path relative to the manifest' });
  const p = confine(caseReal, resolve(base, cell.trim()), file, field);
  if (!existsSync(p))
    throw new InputError(`file not found: ${cell}`, { file, field, remedy: 'check the path (relative to the manifest folder)' });
  try {
    return readArrayFile(p);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${cell}: ${e.message}`, { file, field, remedy: e.remedy, cause: e });
    throw e;
  }
}

function writeMask(src: ArrayLike<number>, out: Uint8Array, off: number, k: number, file: string, field: string): void {
  let max = 0;
  let only0255 = true;
  for (let j = 0; j < src.length; j++) {
    const v = src[j]!;
    if (v > max) max = v;
    if (v !== 0 && v !== 255) only0255 = false;
  }
  const scale255 = k === 2 && max === 255 && only0255;
  for (let j = 0; j < src.length; j++) {
    const v = scale255 ? (src[j]! ? 1 : 0) : src[j]!;
    if (!Number.isInteger(v) || v < 0 || v >= k)
      throw new InputError(`mask value ${v} is not a class index in 0..${k - 1}`, {
        file,
        field,
        remedy: 'store class indices (0/1, or 0/255 for a binary mask)',
      });
    out[off + j] = v;
  }
}

/**
 * Class index of a label cell: a label name of `labels`, or an integer index into it.
 * @param v the cell
 * @param labels class labels
 * @param file for the error
 * @param field for the error
 * @throws {InputError} unknown label
 */
export function labelIndex(v: unknown, labels: string[], file: string, field: string): number {
  const byName = labels.indexOf(String(v));
  if (byName >= 0 && v !== null && v !== '') return byName;
  const num = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (Number.isInteger(num) && num >= 0 && num < labels.length) return num;
  throw new InputError(`label ${JSON.stringify(v)} is neither one of [${labels.join(', ')}] nor an index 0..${labels.length - 1}`, {
    file,
    field,
    remedy: 'use the label names of case.json (or their indices)',
  });
}
