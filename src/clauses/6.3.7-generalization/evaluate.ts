/**
 * Clause 6.3.7 — generalisation (claims of 5.2.7), on data not used in training.
 * A.12.1 a) subgroup combination test: the task metric per subgroup and per combination of subgroup
 * columns (minimum group size), with CIs; each group against the rest of the set with
 * Benjamini–Hochberg control (src/evaluations/subgroups.ts); differences and ratios to overall.
 * A.12.1 b) stress samples: performance on the case's `hard` set vs the test set and the claimed level.
 *
 * Claim metrics: `subgroupMaxGap` (the largest difference between two subgroups of the same
 * column or column combination), `significantSubgroups` (groups whose
 * difference is significant after BH), `hardDice` / `hardAccuracy`, `testDice` / `testAccuracy`.
 */
import { loadCaseDataset, openCaseModel, type Prediction } from '../../case/predict.js';
import type { Dataset } from '../../data/types.js';
import { undefinedMetricFinding } from '../common/findings.js';
import { judgeClaim, type EvidenceInput } from '../judge.js';
import type { LoadedCase } from '../../case/types.js';
import { collectEnvironment } from '../../util/environment.js';
import { barChart } from '../../figures/charts.js';
import { forestPlot } from '../../figures/charts-eval.js';
import { figureText } from '../../figures/style.js';
import type { EpChoice } from '../../model/types.js';
import type { Measurement, ConfidenceInterval, Finding } from '../../results/types.js';
import { buildClauseResult, startClause, tableFromRows, type ClauseEvaluation, type ClauseFigure } from '../clause.js';
import { analyseSubgroups, type SubgroupRow } from './subgroups.js';
import { sampleStats, taskScoreCi, type TaskScoreCi } from '../common/task-score.js';

/** Settings of the 6.3.7 evaluation. */
export interface GeneralizationOptions {
  ep?: EpChoice;
  seed?: number;
  /** Data set analysed by subgroup (default `test`). */
  role?: 'test' | 'validation';
  /** Smallest group reported and tested (default 8). */
  minSize?: number;
  /** Largest number of subgroup columns combined (default 2). */
  maxOrder?: number;
  /** False-discovery rate of the Benjamini–Hochberg procedure (default 0.05). */
  q?: number;
  /** Bootstrap iterations (default 400). */
  iterations?: number;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Runs the 6.3.7 evaluation.
 * @example
 * const ev = await evaluateGeneralization(c, { minSize: 10, q: 0.05 });
 */
export async function evaluateGeneralization(
  c: LoadedCase,
  opts: GeneralizationOptions = {},
): Promise<ClauseEvaluation & { rows: SubgroupRow[]; hard?: TaskScoreCi; test: TaskScoreCi }> {
  const run = startClause('6.3.7', c, opts);
  const settings = {
    ep: opts.ep ?? 'auto',
    seed: run.seed,
    role: opts.role ?? 'test',
    minSize: opts.minSize ?? 8,
    maxOrder: opts.maxOrder ?? 2,
    q: opts.q ?? 0.05,
    iterations: opts.iterations ?? 400,
    level: run.level,
  };
  const model = await openCaseModel(c, { ep: settings.ep });
  try {
    const ds = await loadCaseDataset(c, settings.role);
    const pred = await model.predict(ds.x, ds.shape);
    const test = taskScoreCi(c, ds, pred, { seed: settings.seed, iterations: settings.iterations, level: run.level });
    const sub = analyseSubgroups(c, ds, pred, settings);
    let hard: TaskScoreCi | undefined;
    let hardEmpty = 0;
    if (c.spec.datasets.hard) {
      const h = await loadCaseDataset(c, 'hard');
      const hp = await model.predict(h.x, h.shape);
      hard = taskScoreCi(c, h, hp, { seed: settings.seed, iterations: settings.iterations, level: run.level });
      hardEmpty = emptyCount(c, h, hp);
    }
    const metric = test.metric;
    const maxGap = subgroupMaxGap(sub.rows);
    const significant = sub.rows.filter((r) => r.significant);
    const values: Record<string, number | undefined> = {
      subgroupMaxGap: Number.isNaN(maxGap) ? undefined : maxGap,
      significantSubgroups: sub.rows.length ? significant.length : undefined,
      [`hard${cap(metric)}`]: hard?.value,
      [`test${cap(metric)}`]: test.value,
    };
    const cis: Record<string, EvidenceInput> = {
      subgroupMaxGap: { n: sub.rows.reduce((a, r) => a + r.n, 0), ci: subgroupGapInterval(sub.rows, run.level) },
      // a count of rejections after Benjamini–Hochberg control: the decision is already the statistical test
      significantSubgroups: { n: sub.rows.length, rule: 'exact' },
      [`hard${cap(metric)}`]: hard ? { n: hard.n, ci: hard.ci } : {},
      [`test${cap(metric)}`]: { n: test.n, ci: test.ci },
    };
    const claims = run.claims.map((k) =>
      k.metric in values
        ? judgeClaim(
            k,
            values[k.metric],
            values[k.metric] === undefined
              ? k.metric.startsWith('hard')
                ? { zh: '用例没有困难样本集', en: 'the case has no hard set' }
                : { zh: `没有样本数 ≥ ${settings.minSize} 的亚组`, en: `no subgroup of ≥ ${settings.minSize} samples` }
              : undefined,
            cis[k.metric],
          )
        : judgeClaim(k, undefined, {
            zh: `6.3.7 对该任务不测量指标 "${k.metric}"（${Object.keys(values).join(', ')}）`,
            en: `metric "${k.metric}" is not measured by 6.3.7 for this task (${Object.keys(values).join(', ')})`,
          }),
    );
    const measurements: Measurement[] = [
      { name: metric, value: test.value, unit: '1', ci: test.ci, conditions: { set: settings.role, n: test.n } },
      ...(hard ? [{ name: metric, value: hard.value, unit: '1', ci: hard.ci, conditions: { set: 'hard', n: hard.n } }] : []),
      {
        name: 'subgroupMaxGap',
        value: values.subgroupMaxGap ?? null,
        unit: '1',
        conditions: { groups: sub.rows.length, minSize: settings.minSize },
      },
      {
        name: 'significantSubgroups',
        value: values.significantSubgroups ?? null,
        unit: 'groups',
        conditions: { q: settings.q, correction: 'Benjamini–Hochberg' },
      },
    ];
    const findings: Finding[] = [];
    for (const [n, of, where] of [
      [emptyCount(c, ds, pred), ds.ids.length, { zh: `${settings.role} 集`, en: `${settings.role} set` }],
      [hardEmpty, hard?.n ?? 0, { zh: '困难样本集', en: 'hard set' }],
    ] as const) {
      const f = undefinedMetricFinding('5.2.7', { metric: 'Dice', undefinedOn: n, of, unit: 'images', why: 'empty-masks' }, where);
      if (f) findings.push(f);
    }
    const result = buildClauseResult(run, {
      findings,
      rationale: (reason) => ({
        zh:
          `${reason.zh}。${settings.role} 集上的 ${metric} 为 ${test.value.toFixed(4)} [${test.ci.low.toFixed(4)}, ` +
          `${test.ci.high.toFixed(4)}]；按 ${ds.subgroups.join('、') || '（无亚组列）'}划分出 ${sub.rows.length} 个样本数 ≥ ` +
          `${settings.minSize} 的亚组；经 Benjamini–Hochberg 校正（q = ${settings.q}）后有 ${significant.length} 个与其余样本差异显著` +
          `${significant.length ? `：${significant.map((r) => r.group).join('；')}` : ''}` +
          `${hard ? `；困难样本集 ${hard.value.toFixed(4)}（n = ${hard.n}）` : '；无困难样本集'}。`,
        en:
          `${reason.en}. ${metric} on the ${settings.role} set ${test.value.toFixed(4)} [` +
          `${test.ci.low.toFixed(4)}, ${test.ci.high.toFixed(4)}]; ${sub.rows.length} subgroups of ≥ ` +
          `${settings.minSize} samples over ${ds.subgroups.join(', ') || 'no subgroup column'}; ` +
          `${significant.length} differ significantly from the rest after Benjamini–Hochberg (q = ` +
          `${settings.q})${significant.length ? `: ${significant.map((r) => r.group).join('; ')}` : ''}` +
          `${hard ? `; hard set ${hard.value.toFixed(4)} (n = ${hard.n})` : '; no hard set'}.`,
      }),
      claims,
      measurements,
      tables: [
        tableFromRows(
          'subgroups',
          { zh: '亚组性能与显著性检验', en: 'Subgroup performance and significance tests' },
          sub.rows.map((r) => ({ ...r })),
        ),
        tableFromRows('hard', { zh: '困难样本与测试集', en: 'Hard samples vs the test set' }, [
          { set: settings.role, n: test.n, [metric]: test.value, low: test.ci.low, high: test.ci.high },
          ...(hard ? [{ set: 'hard', n: hard.n, [metric]: hard.value, low: hard.ci.low, high: hard.ci.high }] : []),
        ]),
      ],
      settings: { ...settings, subgroupColumns: ds.subgroups, samples: ds.ids.length },
      environment: collectEnvironment(model.session.providerInfo()),
    });
    return { result, figures: generalizationFigures(sub.rows, test, hard, metric), rows: sub.rows, hard, test };
  } finally {
    await model.session.release();
  }
}

/**
 * The largest difference between two subgroups of the same column (or column combination):
 * max over combinations of (max − min) of the group metrics; NaN when no combination has two groups.
 * @example
 * subgroupMaxGap([{ columns: 'site', value: 0.9 }, { columns: 'site', value: 0.8 }]); // 0.1 (up to rounding)
 */
export function subgroupMaxGap(rows: Pick<SubgroupRow, 'columns' | 'value'>[]): number {
  let gap = NaN;
  for (const cols of new Set(rows.map((r) => r.columns))) {
    const v = rows.filter((r) => r.columns === cols).map((r) => r.value);
    if (v.length >= 2) gap = Math.max(Number.isNaN(gap) ? 0 : gap, Math.max(...v) - Math.min(...v));
  }
  return gap;
}

/**
 * An interval of the largest subgroup gap from the subgroups' own intervals (the envelope: the gap is at
 * least max(low) − min(high) and at most max(high) − min(low) within a column set, when every group's
 * interval holds); `null` with fewer than two groups of one column set.
 * @example
 * subgroupGapInterval([{ columns: 'site', value: 0.9, low: 0.85, high: 0.95 }, { columns: 'site', value: 0.8, low: 0.7, high: 0.88 }]);
 * // { low: 0, high: 0.25, … }
 */
export function subgroupGapInterval(
  rows: Pick<SubgroupRow, 'columns' | 'value' | 'low' | 'high'>[],
  level = 0.95,
): ConfidenceInterval | null {
  let low = NaN;
  let high = NaN;
  for (const cols of new Set(rows.map((r) => r.columns))) {
    const g = rows.filter((r) => r.columns === cols);
    if (g.length < 2) continue;
    const lo = Math.max(0, Math.max(...g.map((r) => r.low)) - Math.min(...g.map((r) => r.high)));
    const hi = Math.max(...g.map((r) => r.high)) - Math.min(...g.map((r) => r.low));
    low = Number.isNaN(low) ? lo : Math.max(low, lo);
    high = Number.isNaN(high) ? hi : Math.max(high, hi);
  }
  return Number.isNaN(low) ? null : { low, high, method: 'subgroup-interval-envelope', level };
}

const TEST = { zh: '测试集', en: 'test' };
const HARD = { zh: '困难样本', en: 'hard' };

function generalizationFigures(rows: SubgroupRow[], test: TaskScoreCi, hard: TaskScoreCi | undefined, metric: string): ClauseFigure[] {
  const figs: ClauseFigure[] = [];
  if (rows.length) {
    figs.push({
      name: 'forest',
      title: { zh: `亚组 ${metric}（95% 置信区间；虚线为总体）`, en: `Subgroup ${metric} (95 % CI; dashed: overall)` },
      figure: (lang) =>
        forestPlot({
          lang,
          rows: [
            { label: figureText({ zh: '总体', en: 'overall' }, lang), estimate: test.value, low: test.ci.low, high: test.ci.high },
            ...rows.map((r) => ({
              label: `${r.group}${r.significant ? ' *' : ''} (n=${r.n})`,
              estimate: r.value,
              low: r.low,
              high: r.high,
            })),
          ],
          reference: test.value,
          xTitle: metric,
          decimals: 4,
          title: { zh: `亚组 ${metric}`, en: `Subgroup ${metric}` },
        }),
    });
  }
  figs.push({
    name: 'hard',
    title: { zh: '困难样本与测试集性能', en: 'Hard samples vs the test set' },
    figure: (lang) =>
      barChart({
        lang,
        categories: (hard ? [TEST, HARD] : [TEST]).map((t) => figureText(t, lang)),
        series: [
          {
            name: metric,
            values: hard ? [test.value, hard.value] : [test.value],
            low: hard ? [test.ci.low, hard.ci.low] : [test.ci.low],
            high: hard ? [test.ci.high, hard.ci.high] : [test.ci.high],
          },
        ],
        yTitle: metric,
        title: { zh: '困难样本', en: 'Hard samples' },
      }),
  });
  return figs;
}

/** Segmentation: the images whose truth and prediction are both empty (per-image Dice 0/0); 0 otherwise. */
function emptyCount(c: LoadedCase, ds: Dataset, pred: Prediction): number {
  if (c.spec.task !== 'segmentation') return 0;
  return sampleStats(c, ds, pred).den.reduce((k, d) => k + (d === 0 ? 1 : 0), 0);
}
