/**
 * `ptmc metrics classification|segmentation` — A.10 metrics from files produced anywhere.
 * Thin: parse, read the files (src/metrics/files.ts), call the library, print.
 */
import { parseCommandArgs, type Command } from '../command.js';
import { InputError, UsageError } from '../../util/errors.js';
import { classificationReport } from '../../metrics/classification-report.js';
import { segmentationMetrics } from '../../metrics/segmentation.js';
import { indexLabels, readLabelColumn, readMasks, readScores, sortLabelStrings } from '../../metrics/files.js';
import type { Average } from '../../metrics/options.js';

const USAGE = `ptmc metrics classification|segmentation --truth FILE --pred FILE [options]
  classification (CSV with a "label" column, or 1-D .npy):
    --scores FILE          scores CSV (one column per label, or "score" for binary) or .npy (N or N×K)
    --average A            binary|micro|macro|weighted (default: binary for ≤ 2 labels, else macro)
                           ROC AUC/AP of multiclass scores: one-vs-rest, macro (weighted with --average weighted)
    --labels a,b,…         label order; every label in the files must be listed
    --pos-label X          positive class for binary (default "1" if present, else the last label)
    --zero-division Z      warn|0|1|nan (default warn: 0 plus a warning)
    --ci-level L           confidence level (default 0.95); --bootstrap N resamples (default 1000, 0 = none); --seed S
  segmentation (.npy N×H×W or H×W, a .png, or a folder of .png; 0/1 or class indices):
    --num-classes K        default: max value + 1 (at least 2)
    --include-background   also score class 0
    --empty nan|one        image with a class in neither mask: NaN and excluded (default) or 1
    --ci-level, --bootstrap, --seed as above (images are resampled)
  --json                   machine-readable output`;

function parseZeroDivision(s: string | undefined): 'warn' | number {
  if (s === undefined || s === 'warn') return 'warn';
  if (s === 'nan' || s === 'NaN') return NaN;
  if (s === '0' || s === '1') return Number(s);
  throw new UsageError(`--zero-division ${s}`, { field: '--zero-division', remedy: 'use warn, 0, 1 or nan' });
}

function num(v: unknown, name: string, min: number, max: number, dflt: number): number {
  if (v === undefined) return dflt;
  const x = Number(v);
  if (!(x >= min && x <= max))
    throw new UsageError(`${name} ${v} is out of range [${min}, ${max}]`, { field: name, remedy: `pass a number in [${min}, ${max}]` });
  return x;
}

const fmt = (v: number | undefined) => (v === undefined ? '' : Number.isNaN(v) ? 'NaN' : v.toFixed(4));

function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)))];
  const w = head.map((_, j) => Math.max(...cells.map((r) => String(r[j]).length)));
  return cells
    .map(
      (r, i) =>
        r.map((c, j) => (j === 0 ? String(c).padEnd(w[j]!) : String(c).padStart(w[j]!))).join('  ') +
        (i === 0 ? '\n' + w.map((x) => '-'.repeat(x)).join('  ') : ''),
    )
    .join('\n');
}

async function classification(v: Record<string, unknown>): Promise<number> {
  const truth = readLabelColumn(v.truth as string);
  const pred = readLabelColumn(v.pred as string);
  if (truth.values.length !== pred.values.length)
    throw new InputError(`prediction has ${pred.values.length} samples but the truth has ${truth.values.length}`, {
      file: pred.file,
      remedy: 'one prediction per truth row, same order',
    });
  if (truth.ids && pred.ids && truth.ids.some((id, i) => id !== pred.ids![i])) {
    const i = truth.ids.findIndex((id, k) => id !== pred.ids![k]);
    throw new InputError(`id "${pred.ids[i]}" where the truth has "${truth.ids[i]}"`, {
      file: pred.file,
      field: `row ${i + 1}, column id`,
      remedy: 'sort both files in the same sample order',
    });
  }
  const labels = v.labels
    ? String(v.labels)
        .split(',')
        .map((s) => s.trim())
    : sortLabelStrings(truth.values, pred.values);
  const yTrue = indexLabels(truth, labels);
  const yPred = indexLabels(pred, labels);
  const posName = v['pos-label'] !== undefined ? String(v['pos-label']) : labels.includes('1') ? '1' : labels[labels.length - 1]!;
  const pos = labels.indexOf(posName);
  if (pos < 0)
    throw new UsageError(`--pos-label ${posName} is not one of [${labels.join(', ')}]`, {
      field: '--pos-label',
      remedy: 'name one of the labels',
    });
  const average = (v.average as Average | undefined) ?? (labels.length <= 2 ? 'binary' : 'macro');
  if (!['binary', 'micro', 'macro', 'weighted'].includes(average))
    throw new UsageError(`--average ${average}`, { field: '--average', remedy: 'use binary, micro, macro or weighted' });
  const iterations = num(v.bootstrap, '--bootstrap', 0, 1e6, 1000);
  let scores: Float64Array | undefined;
  if (v.scores) {
    const s = readScores(String(v.scores), labels, yTrue.length);
    scores = s.scores;
    if (s.columns === labels.length && labels.length === 2)
      scores = Float64Array.from({ length: yTrue.length }, (_, i) => s.scores[i * 2 + pos]!);
  }
  const r = classificationReport(yTrue, yPred, {
    labels: labels.map((_, i) => i),
    average,
    posLabel: average === 'binary' ? pos : undefined,
    zeroDivision: parseZeroDivision(v['zero-division'] as string | undefined),
    scores,
    ci:
      iterations === 0
        ? false
        : { level: num(v['ci-level'], '--ci-level', 1e-9, 1 - 1e-9, 0.95), iterations, seed: num(v.seed, '--seed', 0, 2 ** 32, 0) },
  });
  const out = {
    task: 'classification',
    n: r.n,
    labels: labels.map((l) => (labels.every((x) => !Number.isNaN(Number(x))) ? Number(l) : l)),
    average: r.average,
    ...(r.average === 'binary' ? { posLabel: posName } : {}),
    accuracy: r.accuracy,
    precision: r.precision,
    recall: r.recall,
    f1: r.f1,
    specificity: r.specificity,
    ...(r.rocAuc !== undefined ? { rocAuc: r.rocAuc, averagePrecision: r.averagePrecision } : {}),
    confusionMatrix: r.confusionMatrix,
    support: r.support,
    perClass: r.perClass.map((c) => ({ ...c, label: labels[c.label] })),
    ci: r.ci,
    warnings: r.warnings,
  };
  if (v.json) process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  else {
    const heads = (['accuracy', 'precision', 'recall', 'f1', 'specificity', 'rocAuc', 'averagePrecision'] as const).filter(
      (k) => r[k] !== undefined,
    );
    const lines = [
      `classification: ${r.n} samples, labels [${labels.join(', ')}], ` +
        `average ${r.average}${r.average === 'binary' ? ` (positive: ${posName})` : ''}`,
      '',
    ];
    lines.push(
      table(
        ['metric', 'value', 'ci low', 'ci high', 'method'],
        heads.map((k) => [k, r[k] as number, r.ci[k]?.low ?? NaN, r.ci[k]?.high ?? NaN, r.ci[k]?.method ?? '']),
      ),
      '',
    );
    lines.push(
      table(
        ['label', 'precision', 'recall', 'f1', 'specificity', 'support'],
        r.perClass.map((c) => [labels[c.label]!, c.precision, c.recall, c.f1, c.specificity, String(c.support)]),
      ),
      '',
    );
    lines.push(
      'confusion matrix (rows = truth, columns = prediction)',
      table(
        ['', ...labels],
        r.confusionMatrix.map((row, i) => [labels[i]!, ...row.map(String)]),
      ),
    );
    for (const w of r.warnings) lines.push(`warning: ${w}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  return 0;
}

async function segmentation(v: Record<string, unknown>): Promise<number> {
  const t = readMasks(String(v.truth));
  const p = readMasks(String(v.pred));
  if (t.shape.join('x') !== p.shape.join('x'))
    throw new InputError(`prediction masks are ${p.shape.join('×')} but truth masks are ${t.shape.join('×')}`, {
      file: String(v.pred),
      field: 'shape',
      remedy: 'masks must have the same N×H×W shape',
    });
  let max = 1;
  for (const a of [t.data, p.data]) for (let i = 0; i < a.length; i++) if (a[i]! > max) max = a[i]!;
  const k = num(v['num-classes'], '--num-classes', 2, 256, max + 1);
  const empty = (v.empty as string | undefined) ?? 'nan';
  if (empty !== 'nan' && empty !== 'one') throw new UsageError(`--empty ${empty}`, { field: '--empty', remedy: 'use nan or one' });
  const iterations = num(v.bootstrap, '--bootstrap', 0, 1e6, 1000);
  const ci =
    iterations === 0
      ? false
      : { level: num(v['ci-level'], '--ci-level', 1e-9, 1 - 1e-9, 0.95), iterations, seed: num(v.seed, '--seed', 0, 2 ** 32, 0) };
  const r = segmentationMetrics(t.data, p.data, t.shape, {
    numClasses: k,
    includeBackground: Boolean(v['include-background']),
    emptyPolicy: empty,
    ci,
  });
  const out = { task: 'segmentation', images: t.shape[0], shape: t.shape, numClasses: k, ...r };
  if (v.json) process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  else {
    const lines = [
      `segmentation: ${t.shape[0]} images of ${t.shape[1]}×${t.shape[2]}, classes scored ` +
        `[${r.labels.join(', ')}], empty policy ${r.emptyPolicy}`,
      '',
    ];
    const ciOf = (k: string) => [r.ci[k]?.low ?? NaN, r.ci[k]?.high ?? NaN];
    lines.push(
      table(
        ['metric', 'pooled', 'ci low', 'ci high', 'mean per image'],
        (['iou', 'dice', 'pixelAccuracy'] as const).map((k) => [k, r[k], ...ciOf(k), r.meanPerImage[k]]),
      ),
      '',
    );
    if (r.perClass.length > 1)
      lines.push(
        table(
          ['class', 'iou', 'dice', 'tp', 'fp', 'fn'],
          r.perClass.map((c) => [String(c.label), c.iou, c.dice, String(c.tp), String(c.fp), String(c.fn)]),
        ),
        '',
      );
    const shown = r.perImage.slice(0, 20);
    lines.push(
      table(
        ['image', 'iou', 'dice', 'pixelAccuracy'],
        shown.map((x) => [String(x.index), x.iou, x.dice, x.pixelAccuracy]),
      ),
    );
    if (r.perImage.length > shown.length) lines.push(`… ${r.perImage.length - shown.length} more images (--json for all)`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  return 0;
}

/** The `ptmc metrics` command. */
export const metricsCommand: Command = {
  name: 'metrics',
  summary: 'A.10 metrics from files (classification, segmentation)',
  usage: USAGE,
  async run(argv) {
    const { values: v, positionals } = parseCommandArgs(
      argv,
      {
        truth: { type: 'string' },
        pred: { type: 'string' },
        scores: { type: 'string' },
        average: { type: 'string' },
        labels: { type: 'string' },
        'pos-label': { type: 'string' },
        'zero-division': { type: 'string' },
        'ci-level': { type: 'string' },
        bootstrap: { type: 'string' },
        seed: { type: 'string' },
        'num-classes': { type: 'string' },
        'include-background': { type: 'boolean' },
        empty: { type: 'string' },
        json: { type: 'boolean' },
      },
      USAGE,
    );
    const task = positionals[0];
    if (positionals.length !== 1 || (task !== 'classification' && task !== 'segmentation'))
      throw new UsageError(`expected "classification" or "segmentation", got ${positionals.length ? positionals.join(' ') : 'nothing'}`, {
        remedy: `usage:\n${USAGE}`,
      });
    if (!v.truth || !v.pred) throw new UsageError('--truth and --pred are required', { remedy: `usage:\n${USAGE}` });
    return task === 'classification' ? classification(v) : segmentation(v);
  },
};
