/**
 * The exploration cells of the template notebooks (after the verdict path): the clause's measurements
 * as a DataFrame, per-sample scores on a data set of the case (optionally under a corruption), the worst
 * samples (images for image cases: input, truth, prediction, corrupted input and its prediction), and
 * small re-measurements a data scientist varies ("try it").
 */
import type { LoadedCase } from '../../case/types.js';
import type { DatasetRole } from '../../data/dataset-spec.js';
import type { Dataset } from '../../data/types.js';
import { loadCaseDataset, openCaseModel, type Prediction } from '../../case/predict.js';
import { subset } from '../../data/dataset.js';
import { danfo } from '../../data/danfo.js';
import { imageGrid } from '../../figures/charts-eval.js';
import { displayPlot } from '../../display/plot.js';
import { displayTable } from '../../display/table.js';
import { InputError } from '../../util/errors.js';
import { corrupt, corruptionContext, getCorruption } from '../6.3.6-robustness/corruptions/registry.js';
import type { ClauseEvaluation } from '../clause.js';
import type { ClauseResult } from '../../results/types.js';
import type { EpChoice } from '../../model/types.js';

/** Options of {@link sampleScores}. */
export interface SampleScoreOptions {
  /** Data set of the case (default `test`). */
  role?: DatasetRole;
  /** The first `samples` samples (default 24). */
  samples?: number;
  /** A corruption of the case's modality (see `corruptionsFor`), applied to the raw inputs. */
  corruption?: string;
  /** Its severity 1…5 (default 3). */
  severity?: number;
  seed?: number;
  ep?: EpChoice;
  threads?: number;
  batchSize?: number;
  /** Another model file of the case (a variant, a fine-tuned copy). */
  modelPath?: string;
}

/** Per-sample scores, worst first, with what is needed to show the samples. */
export interface SampleScores {
  /** `dice` (segmentation, per image) or `p_true` (classification: probability of the true class). */
  metric: 'dice' | 'p_true';
  /** One row per sample, worst first: id, score, truth, predicted (and the same under the corruption). */
  rows: Record<string, string | number | boolean>[];
  /** Mean score over the samples (and under the corruption). */
  mean: number;
  meanCorrupted?: number;
  /** Inference time of the clean pass, ms. */
  ms: number;
  /** The settings these scores were measured with. */
  settings: Record<string, unknown>;
  ds: Dataset;
  x: Float32Array;
  corrupted?: Float32Array;
  pred: Prediction;
  predCorrupted?: Prediction;
}

function perSample(c: LoadedCase, ds: Dataset, pred: Prediction): number[] {
  const n = ds.ids.length;
  if (c.spec.task === 'segmentation') {
    const px = ds.masks!.length / n;
    return Array.from({ length: n }, (_, k) => {
      let a = 0;
      let b = 0;
      for (let i = k * px; i < (k + 1) * px; i++) {
        const t = ds.masks![i] ? 1 : 0;
        const p = pred.masks![i] ? 1 : 0;
        a += t & p;
        b += t + p;
      }
      return b === 0 ? 1 : (2 * a) / b;
    });
  }
  const C = pred.numClasses;
  return Array.from({ length: n }, (_, k) => pred.probs[k * C + ds.y![k]]!);
}

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
const round = (v: number): number => Number(v.toFixed(4));

/**
 * Scores the first samples of a data set one by one (Dice per image, or the probability of the true
 * class), clean and, with `corruption`, corrupted; rows are sorted worst first.
 * @param c the loaded case
 * @param opts data set, sample count, corruption and severity, seed, provider, threads, batch, model file
 * @returns the scores and the data needed by {@link showWorstSamples}
 * @throws InputError for an unknown corruption or a data set without truth
 * @example
 * const s = await sampleScores(c, { samples: 16, corruption: 'gaussian-noise', severity: 3 });
 * s.rows[0]; // { id: 'ct-0041', dice: 0.71, dice_corrupted: 0.52, … }
 */
export async function sampleScores(c: LoadedCase, opts: SampleScoreOptions = {}): Promise<SampleScores> {
  const role = opts.role ?? 'test';
  const all = await loadCaseDataset(c, role);
  const n = Math.min(all.ids.length, Math.max(1, opts.samples ?? 24));
  const ds = subset(
    all,
    Array.from({ length: n }, (_, i) => i),
  );
  if (c.spec.task === 'segmentation' ? !ds.masks : !ds.y)
    throw new InputError(`the "${role}" data set has no truth to score / 数据集 "${role}" 没有可评分的真值`, {
      field: `/datasets/${role}`,
      remedy: 'pick a data set with labels or masks (e.g. test)',
    });
  const m = await openCaseModel(c, { ep: opts.ep ?? 'cpu', threads: opts.threads, modelPath: opts.modelPath });
  const severity = opts.severity ?? 3;
  const seed = opts.seed ?? 42;
  try {
    const t0 = performance.now();
    const pred = await m.predict(ds.x, ds.shape, { batchSize: opts.batchSize });
    const ms = performance.now() - t0;
    const scores = perSample(c, ds, pred);
    let corrupted: Float32Array | undefined;
    let predCorrupted: Prediction | undefined;
    let worse: number[] | undefined;
    if (opts.corruption) {
      const k = getCorruption(opts.corruption, c.spec.modality);
      corrupted = corrupt(k, ds.x, ds.shape, severity, seed, corruptionContext(ds.x, ds.shape, c.spec.modality));
      predCorrupted = await m.predict(corrupted, ds.shape, { batchSize: opts.batchSize });
      worse = perSample(c, ds, predCorrupted);
    }
    const metric = c.spec.task === 'segmentation' ? 'dice' : 'p_true';
    const label = (i: number | undefined) => (i === undefined ? '' : (ds.labels[i] ?? String(i)));
    const rows = ds.ids.map((id, i) => {
      const r: Record<string, string | number | boolean> = { id, [metric]: round(scores[i]!) };
      if (metric === 'p_true') Object.assign(r, { truth: label(ds.y![i]), predicted: label(pred.labels?.[i]) });
      if (worse) r[`${metric}_corrupted`] = round(worse[i]!);
      if (worse && metric === 'p_true') r.predicted_corrupted = label(predCorrupted!.labels?.[i]);
      return { r, key: worse ? Math.min(scores[i]!, worse[i]!) : scores[i]! };
    });
    rows.sort((a, b) => a.key - b.key);
    return {
      metric,
      rows: rows.map((r) => r.r),
      mean: round(mean(scores)),
      meanCorrupted: worse ? round(mean(worse)) : undefined,
      ms: round(ms),
      settings: {
        role,
        samples: n,
        corruption: opts.corruption ?? null,
        severity: opts.corruption ? severity : null,
        seed,
        ep: opts.ep ?? 'cpu',
      },
      ds,
      x: ds.x,
      corrupted,
      pred,
      predCorrupted,
    };
  } finally {
    await m.release();
  }
}

/**
 * Shows the `n` worst samples: for image cases an image grid with one row per sample (input, truth,
 * prediction, and with a corruption the corrupted input and its prediction); for tabular cases a table
 * of their scores and feature values.
 * @param s the scores from {@link sampleScores}
 * @param n how many (default 3)
 * @returns resolves when shown
 */
export async function showWorstSamples(s: SampleScores, n = 3): Promise<void> {
  const worst = s.rows.slice(0, n).map((r) => s.ds.ids.indexOf(String(r.id)));
  const per = s.ds.shape.slice(1).reduce((a, b) => a * b, 1);
  if (s.ds.shape.length >= 3) {
    const [h, w] = s.ds.shape.slice(-2) as [number, number];
    const image = (v: ArrayLike<number>, k: number) =>
      Array.from({ length: h }, (_, y) => Array.from({ length: w }, (_, x) => Number(v[k * per + y * w + x])));
    const mask = (v: Uint8Array | undefined, k: number) =>
      v ? Array.from({ length: h }, (_, y) => Array.from({ length: w }, (_, x) => (v[k * h * w + y * w + x] ? 1 : 0))) : undefined;
    const images = worst.flatMap((k) => {
      const id = s.ds.ids[k];
      const panels = [
        { title: `${id} 输入 / input`, z: image(s.x, k) },
        { title: '真值 / truth', z: mask(s.ds.masks, k) ?? image(s.x, k) },
        { title: `预测 / prediction (${s.rows.find((r) => r.id === id)?.[s.metric]})`, z: mask(s.pred.masks, k) ?? image(s.x, k) },
      ];
      if (s.corrupted) {
        panels.push({ title: '腐蚀输入 / corrupted', z: image(s.corrupted, k) });
        panels.push({ title: '腐蚀后预测 / prediction', z: mask(s.predCorrupted?.masks, k) ?? image(s.corrupted, k) });
      }
      return panels;
    });
    const cols = s.corrupted ? 5 : 3;
    await displayPlot(imageGrid({ images, columns: cols, panel: 72, title: { zh: '最差样本', en: 'Worst samples' } }));
    return;
  }
  const features = s.ds.shape[1] ?? 0;
  const rows = worst.map((k, j) => {
    const r: Record<string, unknown> = { ...s.rows[j] };
    for (let f = 0; f < Math.min(features, 6); f++) r[`x${f}`] = Number(s.x[k * per + f]!.toFixed(3));
    return r;
  });
  displayTable(rows);
}

/**
 * The per-sample scores as a danfojs DataFrame (worst first).
 * @param s the scores from {@link sampleScores}
 * @returns the DataFrame (shown as an HTML table when it is a cell's value)
 */
export function scoresFrame(s: SampleScores): InstanceType<ReturnType<typeof danfo>['DataFrame']> {
  const D = danfo();
  return new D.DataFrame(s.rows);
}

/** A `JSON.stringify` replacer showing a `{zh, en}` text as "zh / en". */
function bothLanguages(_key: string, v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  return Object.keys(o).length === 2 && typeof o['zh'] === 'string' && typeof o['en'] === 'string' ? `${o['zh']} / ${o['en']}` : v;
}

/**
 * A clause's measurements as a danfojs DataFrame: name, value, unit, CI and the conditions (as JSON; a
 * bilingual text as "zh / en").
 * @param ev the clause evaluation (or its ClauseResult)
 * @returns the DataFrame, one row per measurement
 * @example
 * measurementsFrame(ev).head(10)
 */
export function measurementsFrame(ev: ClauseEvaluation | ClauseResult): InstanceType<ReturnType<typeof danfo>['DataFrame']> {
  const D = danfo();
  const result = 'result' in ev ? ev.result : ev;
  const rows = result.measurements.map((m) => ({
    measurement: m.name,
    value: typeof m.value === 'number' ? round(m.value) : String(m.value),
    unit: m.unit,
    ci_low: m.ci ? round(m.ci.low) : '',
    ci_high: m.ci ? round(m.ci.high) : '',
    conditions: JSON.stringify(m.conditions ?? {}, bothLanguages),
  }));
  return new D.DataFrame(rows.length ? rows : [{ measurement: '', value: '', unit: '', ci_low: '', ci_high: '', conditions: '' }]);
}
