/**
 * Metric tables as danfojs DataFrames (the tabular currency of notebooks and reports): the
 * per-class table of a report and metrics per subgroup of metadata columns.
 */
import type { DataFrame } from 'danfojs-node';
import { danfo } from '../data/danfo.js';
import type { MetaValue } from '../data/types.js';
import { InputError } from '../util/errors.js';
import type { ClassificationReport } from './classification-report.js';
import type { SegmentationReport } from './segmentation.js';

/**
 * The per-class table of a classification or segmentation report.
 * @param report from `classificationReport` or `segmentationMetrics`
 * @param labelNames names for the class indices (default: the indices)
 * @returns one row per class: label, precision, recall, f1, specificity, support (classification)
 *   or label, iou, dice, tp, fp, fn (segmentation)
 * @example perClassTable(classificationReport(y, p), ['benign', 'malignant']).print();
 */
export function perClassTable(report: ClassificationReport | SegmentationReport, labelNames?: readonly string[]): DataFrame {
  const name = (l: number) => (labelNames?.[l] ?? l) as string | number;
  const rows = (report.perClass as { label: number }[]).map((r) => ({ ...r, label: name(r.label) }));
  const df = danfo();
  if (rows.length === 0) return new df.DataFrame([]);
  return new df.DataFrame(rows);
}

/** Options of {@link groupMetrics}. */
export interface GroupMetricsOptions {
  /** Groups smaller than this are listed with NaN metrics and `included: false` (default 1). */
  minSize?: number;
  /** Label for missing (null) metadata values (default `(missing)`). */
  missing?: string;
}

/**
 * Metrics per subgroup: for each grouping (one metadata column, or several columns crossed), each
 * distinct value gets a row with its size and the metrics `metricFn` computes on its samples.
 *
 * @param meta metadata columns (e.g. `Dataset.meta`), all of length N
 * @param groupings column names; an array of names groups by their combination (e.g. `['site', 'sex']`)
 * @param metricFn metrics of a subset, given its sample indices
 * @param opts minimum group size, missing-value label
 * @returns columns `grouping`, `group`, `n`, `included`, then one column per metric
 * @throws {InputError} unknown column
 * @example
 * groupMetrics(ds.meta, ['site', ['site', 'sex']], (idx) => ({ accuracy: accuracyScore(pick(y, idx), pick(p, idx)) }), { minSize: 20 });
 */
export function groupMetrics(
  meta: Record<string, readonly MetaValue[]>,
  groupings: (string | string[])[],
  metricFn: (indices: Int32Array) => Record<string, number>,
  opts: GroupMetricsOptions = {},
): DataFrame {
  const minSize = opts.minSize ?? 1;
  const missing = opts.missing ?? '(missing)';
  const rows: Record<string, string | number | boolean>[] = [];
  let metricNames: string[] | undefined;
  for (const g of groupings) {
    const cols = Array.isArray(g) ? g : [g];
    for (const c of cols)
      if (!meta[c])
        throw new InputError(`no metadata column "${c}"; columns: ${Object.keys(meta).join(', ')}`, {
          field: c,
          remedy: 'group by a manifest column',
        });
    const n = meta[cols[0]!]!.length;
    const groups = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      const k = cols.map((c) => (meta[c]![i] === null ? missing : String(meta[c]![i]))).join(' × ');
      (groups.get(k) ?? groups.set(k, []).get(k)!).push(i);
    }
    for (const [k, idx] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
      const included = idx.length >= minSize;
      const m = included ? metricFn(Int32Array.from(idx)) : undefined;
      metricNames ??= m ? Object.keys(m) : undefined;
      rows.push({ grouping: cols.join(' × '), group: k, n: idx.length, included, ...(m ?? {}) });
    }
  }
  for (const r of rows) for (const name of metricNames ?? []) if (!(name in r)) r[name] = NaN;
  return new (danfo().DataFrame)(rows);
}

/**
 * The per-sample result table of a data set: `id`, every metadata column, `truth` (label name,
 * when the data set has labels), then the given per-sample columns (prediction, scores,
 * per-image metrics…).
 * @param ds the data set the results belong to
 * @param columns extra columns, each with one entry per sample
 * @returns one row per sample
 * @throws {InputError} a column whose length is not the number of samples
 * @example
 * perSampleTable(ds, { prediction: Array.from(pred, (k) => ds.labels[k]), pMalignant: probs });
 */
export function perSampleTable(
  ds: { ids: string[]; meta: Record<string, readonly MetaValue[]>; y?: Int32Array; labels: string[] },
  columns: Record<string, ArrayLike<number | string | null>> = {},
): DataFrame {
  const n = ds.ids.length;
  const cols: Record<string, (string | number | null)[]> = { id: ds.ids };
  for (const [c, v] of Object.entries(ds.meta)) cols[c] = [...v];
  if (ds.y) cols.truth = Array.from(ds.y, (k) => ds.labels[k] ?? String(k));
  for (const [c, v] of Object.entries(columns)) {
    if (v.length !== n)
      throw new InputError(`column "${c}" has ${v.length} entries for ${n} samples`, {
        field: c,
        remedy: 'give one value per sample, in data-set order',
      });
    cols[c] = Array.from(v);
  }
  return new (danfo().DataFrame)(cols);
}
