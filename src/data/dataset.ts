/**
 * Operations on loaded {@link Dataset}s: selecting samples and the per-sample table.
 */
import type { DataFrame } from 'danfojs-node';
import { InputError } from '../util/errors.js';
import { danfo } from './danfo.js';
import type { Dataset, MetaValue } from './types.js';

/**
 * The samples of a data set at `indices` (in that order; repeats allowed, e.g. for bootstrap).
 *
 * @param ds the data set
 * @param indices sample positions 0..N-1
 * @returns a new data set sharing nothing with `ds`
 * @throws {InputError} an index out of range
 * @example
 * const siteA = subset(ds, ds.meta.site.flatMap((s, i) => (s === 'A' ? [i] : [])));
 */
export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const n = ds.ids.length;
  const k = indices.length;
  const per = ds.shape.slice(1).reduce((a, b) => a * b, 1);
  const x = new Float32Array(k * per);
  const y = ds.y ? new Int32Array(k) : undefined;
  const mper = ds.maskShape ? ds.maskShape[1]! * ds.maskShape[2]! : 0;
  const masks = ds.masks ? new Uint8Array(k * mper) : undefined;
  const ids: string[] = new Array(k);
  const meta: Record<string, MetaValue[]> = {};
  for (const c of Object.keys(ds.meta)) meta[c] = new Array(k);
  for (let j = 0; j < k; j++) {
    const i = indices[j]!;
    if (!Number.isInteger(i) || i < 0 || i >= n)
      throw new InputError(`index ${i} out of range 0..${n - 1}`, {
        field: `indices[${j}]`,
        remedy: 'pass sample positions of the data set',
      });
    ids[j] = ds.ids[i]!;
    x.set(ds.x.subarray(i * per, (i + 1) * per), j * per);
    if (y) y[j] = ds.y![i]!;
    if (masks) masks.set(ds.masks!.subarray(i * mper, (i + 1) * mper), j * mper);
    for (const c of Object.keys(ds.meta)) meta[c]![j] = ds.meta[c]![i]!;
  }
  return {
    ...ds,
    ids,
    x,
    shape: [k, ...ds.shape.slice(1)],
    y,
    masks,
    maskShape: ds.maskShape ? [k, ds.maskShape[1]!, ds.maskShape[2]!] : undefined,
    meta,
    subgroups: [...ds.subgroups],
  };
}

/**
 * The per-sample table of a data set: `id`, every metadata column, and `label` (the label
 * name) when the data set has class labels.
 *
 * @param ds the data set
 * @returns a danfojs DataFrame with one row per sample
 * @example
 * datasetTable(ds).groupby(['site']).count().print();
 */
export function datasetTable(ds: Dataset): DataFrame {
  const cols: Record<string, (string | number | null)[]> = { id: ds.ids };
  for (const [c, v] of Object.entries(ds.meta)) cols[c] = v;
  if (ds.y) cols.label = Array.from(ds.y, (k) => ds.labels[k] ?? String(k));
  return new (danfo().DataFrame)(cols);
}
