/**
 * The classification report: every A.10 classification figure at once, with confidence intervals
 * (Wilson for plain proportions, seeded percentile bootstrap otherwise). This is what
 * `ptmc metrics classification` prints and what clause notebooks record.
 */
import type { ConfidenceInterval } from '../results/types.js';
import { Rng } from '../util/random.js';
import { accuracyScore, scoresFromStats, setWiseLabels } from './classification.js';
import { percentileInterval, wilsonInterval, type BootstrapOptions } from './ci.js';
import { classStats, confusionCounts, type ClassStats } from './confusion.js';
import { checkSameLength, checkWeights, encodeLabels, uniqueLabels, type Average, type ClassificationOptions } from './options.js';
import { argsortRuns } from './sort.js';
import { averagePrecisionScore, checkScores, rocAucScore, type ScoreMatrix } from './ranking.js';
import { InputError } from '../util/errors.js';

/** Options of {@link classificationReport}. */
export interface ClassificationReportOptions extends ClassificationOptions {
  /** Binary: the positive class's score per sample; multiclass: N×K, columns in label order. */
  scores?: ScoreMatrix;
  /** Confidence intervals (default level 0.95, 1000 resamples, seed 0); `false` for none. */
  ci?: false | BootstrapOptions;
}

/** One row of the per-class table. */
export interface PerClassRow {
  label: number;
  precision: number;
  recall: number;
  f1: number;
  specificity: number;
  support: number;
}

/** Result of {@link classificationReport} (the `ptmc metrics classification --json` body). */
export interface ClassificationReport {
  n: number;
  labels: number[];
  average: Average;
  posLabel?: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  specificity: number;
  rocAuc?: number;
  averagePrecision?: number;
  /** Rows = truth, columns = prediction, in `labels` order. */
  confusionMatrix: number[][];
  perClass: PerClassRow[];
  /** (Weighted) true count per label, in `labels` order. */
  support: number[];
  /** Interval of each headline figure, by its name. */
  ci: Record<string, ConfidenceInterval>;
  warnings: string[];
}

/**
 * All classification metrics of A.10 with confidence intervals.
 *
 * Averages follow `opts.average` (default `binary` when the data hold at most two labels, else
 * `macro` — scikit-learn defaults to `binary` and raises on multiclass data; the report picks
 * `macro` there). Intervals: accuracy and, for `binary`, precision, recall and specificity get
 * Wilson intervals when unweighted; every other figure gets a percentile bootstrap over samples
 * (all figures from the same resamples).
 *
 * @param yTrue true labels
 * @param yPred predicted labels
 * @param opts labels, average, posLabel, zeroDivision, sampleWeight, scores, ci
 * @returns the report
 * @throws {InputError} length mismatch, NaN scores, bad weights, bad average/posLabel
 * @example
 * const r = classificationReport(y, p, { scores: prob }); r.f1; r.ci.f1;
 */
export function classificationReport(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  opts: ClassificationReportOptions = {},
): ClassificationReport {
  const n = checkSameLength({ yTrue, yPred, sampleWeight: opts.sampleWeight });
  checkWeights(opts.sampleWeight);
  if (n === 0) throw new InputError('no samples', { field: 'yTrue', remedy: 'pass at least one sample' });
  const warnings = opts.warnings ?? [];
  const present = uniqueLabels(yTrue, yPred);
  const labels = opts.labels ? [...opts.labels] : present;
  const average: Average = opts.average ?? (present.length <= 2 ? 'binary' : 'macro');
  const posLabel = average === 'binary' ? (opts.posLabel ?? 1) : undefined;
  const scored = setWiseLabels(yTrue, yPred, { ...opts, average, warnings });
  const zd = opts.zeroDivision ?? 'warn';
  const w = opts.sampleWeight;
  const head = scoresFromStats(classStats(yTrue, yPred, scored, w), average, 1, zd, warnings);
  const all = scoresFromStats(classStats(yTrue, yPred, labels, w), 'macro', 1, zd);
  const cm = confusionCounts(yTrue, yPred, labels, w);
  const k = labels.length;
  const report: ClassificationReport = {
    n,
    labels,
    average,
    ...(posLabel !== undefined ? { posLabel } : {}),
    accuracy: accuracyScore(yTrue, yPred, { sampleWeight: w }),
    precision: head.precision,
    recall: head.recall,
    f1: head.fscore,
    specificity: head.specificity,
    confusionMatrix: Array.from({ length: k }, (_, i) => Array.from(cm.subarray(i * k, (i + 1) * k))),
    perClass: labels.map((label, i) => ({
      label,
      precision: all.perClass.precision[i]!,
      recall: all.perClass.recall[i]!,
      f1: all.perClass.fscore[i]!,
      specificity: all.perClass.specificity[i]!,
      support: all.perClass.support[i]!,
    })),
    support: all.perClass.support,
    ci: {},
    warnings,
  };
  const rankAvg = average === 'weighted' ? 'weighted' : 'macro';
  let ranking: RankingProblem[] = [];
  if (opts.scores) {
    const binary = !isNested(opts.scores) && opts.scores.length === n;
    if (binary) {
      if (uniqueLabels(yTrue).length > 2)
        throw new InputError('one score per sample given but the truth holds more than two labels', {
          field: 'scores',
          remedy: 'give one score column per class label',
        });
      const pos = posLabel ?? labels[labels.length - 1]!;
      report.rocAuc = rocAucScore(yTrue, opts.scores, { sampleWeight: w, posLabel: pos, warnings });
      report.averagePrecision = averagePrecisionScore(yTrue, opts.scores, { sampleWeight: w, posLabel: pos, warnings });
      ranking = [rankingProblem(yTrue, opts.scores as ArrayLike<number>, pos)];
    } else {
      if (average === 'micro') warnings.push("ROC AUC and average precision use 'macro' averaging over classes when average is 'micro'");
      report.rocAuc = rocAucScore(yTrue, opts.scores, { sampleWeight: w, labels, average: rankAvg, warnings });
      report.averagePrecision = averagePrecisionScore(yTrue, opts.scores, { sampleWeight: w, labels, average: rankAvg, warnings });
      ranking = labels.map((l, j) => rankingProblem(yTrue, columnOf(opts.scores!, n, k, j), l));
    }
  }
  if (opts.ci !== false) addIntervals(report, yTrue, yPred, scored, ranking, rankAvg, opts, opts.ci ?? {});
  return report;
}

function isNested(s: ScoreMatrix): boolean {
  return s.length > 0 && typeof (s as ArrayLike<number>[])[0] === 'object';
}

function columnOf(s: ScoreMatrix, n: number, k: number, j: number): Float64Array {
  const out = new Float64Array(n);
  if (isNested(s)) for (let i = 0; i < n; i++) out[i] = (s as ArrayLike<number>[])[i]![j]!;
  else for (let i = 0; i < n; i++) out[i] = (s as ArrayLike<number>)[i * k + j]!;
  return out;
}

/** One binary ranking problem prepared for fast resampling: order by descending score and tie-block ends. */
interface RankingProblem {
  order: Uint32Array;
  blockEnd: Uint8Array;
  isPos: Uint8Array;
}

function rankingProblem(yTrue: ArrayLike<number>, scores: ArrayLike<number>, pos: number): RankingProblem {
  checkScores(scores);
  const n = scores.length;
  const { order: asc, runStart } = argsortRuns(scores);
  const order = new Uint32Array(n);
  const blockEnd = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    order[j] = asc[n - 1 - j]!;
    blockEnd[j] = runStart[n - 1 - j]!;
  }
  const isPos = new Uint8Array(n);
  for (let i = 0; i < n; i++) isPos[i] = yTrue[i] === pos ? 1 : 0;
  return { order, blockEnd, isPos };
}

/** AUC and AP of a ranking problem under per-sample weights (one pass over the sorted order). */
function rankStats(rp: RankingProblem, weight: Float64Array): [number, number, number] {
  let tp = 0;
  let fp = 0;
  let P = 0;
  const n = rp.order.length;
  for (let i = 0; i < n; i++) if (rp.isPos[i]) P += weight[i]!;
  let area = 0;
  let ap = 0;
  let x0 = 0;
  let y0 = 0;
  for (let j = 0; j < n; j++) {
    const i = rp.order[j]!;
    if (rp.isPos[i]) tp += weight[i]!;
    else fp += weight[i]!;
    if (rp.blockEnd[j]) {
      area += (fp - x0) * (tp + y0);
      if (P > 0 && tp !== y0) ap += ((tp - y0) / P) * (tp / (tp + fp));
      x0 = fp;
      y0 = tp;
    }
  }
  const N = fp;
  return [P > 0 && N > 0 ? area / (2 * P * N) : NaN, P > 0 ? ap : NaN, P];
}

function addIntervals(
  r: ClassificationReport,
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  scored: number[],
  ranking: RankingProblem[],
  rankAvg: 'macro' | 'weighted',
  opts: ClassificationReportOptions,
  b: BootstrapOptions,
): void {
  const level = b.level ?? 0.95;
  const n = r.n;
  const w = opts.sampleWeight;
  const names = ['accuracy', 'precision', 'recall', 'f1', 'specificity', ...(ranking.length ? ['rocAuc', 'averagePrecision'] : [])];
  const iterations = b.iterations ?? 1000;
  const reps = names.map(() => new Float64Array(iterations));
  const ext = [...scored, ...uniqueLabels(yTrue, yPred).filter((l) => !scored.includes(l))];
  const K = ext.length;
  const t = encodeLabels(yTrue, ext);
  const p = encodeLabels(yPred, ext);
  const rng = new Rng(b.seed ?? 0);
  const counts = new Float64Array(n);
  const cm = new Float64Array(K * K);
  const R = scored.length;
  for (let it = 0; it < iterations; it++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[rng.int(n)]++;
    if (w) for (let i = 0; i < n; i++) counts[i] *= w[i]!;
    cm.fill(0);
    for (let i = 0; i < n; i++) cm[t[i]! * K + p[i]!] += counts[i]!;
    const s: ClassStats = { labels: scored, tp: new Float64Array(R), predSum: new Float64Array(R), trueSum: new Float64Array(R), total: 0 };
    let correct = 0;
    for (let a = 0; a < K; a++)
      for (let c = 0; c < K; c++) {
        const v = cm[a * K + c]!;
        s.total += v;
        if (a === c) correct += v;
        if (a < R) s.trueSum[a] += v;
        if (c < R) s.predSum[c] += v;
        if (a === c && a < R) s.tp[a] = v;
      }
    const sc = scoresFromStats(s, r.average, 1, opts.zeroDivision ?? 'warn');
    const vals = [s.total ? correct / s.total : NaN, sc.precision, sc.recall, sc.fscore, sc.specificity];
    if (ranking.length) {
      let auc = 0;
      let ap = 0;
      let wsum = 0;
      for (const rp of ranking) {
        const [a1, a2, P] = rankStats(rp, counts);
        const wt = ranking.length > 1 && rankAvg === 'weighted' ? P : 1;
        auc += a1 * wt;
        ap += a2 * wt;
        wsum += wt;
      }
      vals.push(auc / wsum, ap / wsum);
    }
    vals.forEach((v, j) => (reps[j]![it] = v));
  }
  names.forEach((name, j) => (r.ci[name] = percentileInterval(reps[j]!, level)));
  if (!w) {
    const correct = Math.round(r.accuracy * n);
    r.ci.accuracy = wilsonInterval(correct, n, level);
    if (r.average === 'binary') {
      const s = classStats(yTrue, yPred, scored);
      const tp = s.tp[0]!;
      const tn = s.total - s.predSum[0]! - s.trueSum[0]! + tp;
      r.ci.precision = wilsonInterval(tp, s.predSum[0]!, level);
      r.ci.recall = wilsonInterval(tp, s.trueSum[0]!, level);
      r.ci.specificity = wilsonInterval(tn, s.total - s.trueSum[0]!, level);
    }
  }
}
