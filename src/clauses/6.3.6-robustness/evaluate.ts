/**
 * Clause 6.3.6 — robustness (claims of 5.2.6). A.12.2 a) natural-noise samples: every corruption of
 * the case's modality (src/corruptions) at severities 1…5 applied to the test set, the task metric
 * with its CI per (corruption, severity), corruption error and relative corruption error against the
 * clean baseline (ImageNet-C style; normalised by a declared reference where the case gives one).
 * A.12.2 b) unqualified samples: the case's `invalid` and `ood` sets mixed in: share accepted with high
 * confidence, OOD detection by max softmax probability (AUROC, AUPR, FPR at 95 % TPR).
 *
 * Claim metrics: the task metric (`dice` / `accuracy`) with conditions `{ corruption, severity }`
 * (met when it holds at every severity up to `severity`), `meanCorruptionError`,
 * `relativeCorruptionError`, `oodAuroc`, `oodAupr`, `fprAt95Tpr`, `oodAcceptRate`, `invalidAcceptRate`.
 */
import { loadCaseDataset, openCaseModel } from '../../case/predict.js';
import { judgeClaim, type EvidenceInput } from '../judge.js';
import { robustnessEvidence, robustnessFindings, robustnessShortfalls } from './evidence.js';
import type { Claim, LoadedCase } from '../../case/types.js';
import { corrupt, corruptionContext, corruptionsFor, getCorruption } from './corruptions/registry.js';
import { subset } from '../../data/dataset.js';
import { collectEnvironment } from '../../util/environment.js';
import type { EpChoice } from '../../model/types.js';
import type { ClaimCheck, Measurement } from '../../results/types.js';
import { buildClauseResult, startClause, tableFromRows, type ClauseEvaluation } from '../clause.js';
import { acceptRate, oodDetection, sampleConfidence, type OodDetection } from './ood.js';
import { robustnessFigures } from './figures.js';
import { sampleStats, taskScoreCi } from '../common/task-score.js';
import type { Prediction } from '../../case/predict.js';
import type { Dataset } from '../../data/types.js';
import type { SeverityRow, CorruptionErrorRow } from './types.js';

export type { SeverityRow, CorruptionErrorRow } from './types.js';

/** Settings of the 6.3.6 evaluation. */
export interface RobustnessOptions {
  ep?: EpChoice;
  seed?: number;
  /** Corruption names (default: every corruption of the case's modality). */
  corruptions?: string[];
  /** Severities (default 1…5). */
  severities?: number[];
  /** Test samples used (default 40). */
  samples?: number;
  /** Confidence at or above which a sample counts as accepted (default 0.9). */
  confidenceThreshold?: number;
  /** Bootstrap iterations for Dice CIs (default 300). */
  bootstrapIterations?: number;
  /** Declared reference errors per corruption and severity (mCE normalisation). */
  reference?: Record<string, number[]>;
}

/**
 * Runs the 6.3.6 evaluation.
 * @example
 * const ev = await evaluateRobustness(c, { corruptions: ['gaussian-noise'], severities: [1, 3, 5] });
 */
export async function evaluateRobustness(
  c: LoadedCase,
  opts: RobustnessOptions = {},
): Promise<ClauseEvaluation & { rows: SeverityRow[]; errors: CorruptionErrorRow[]; ood?: OodDetection }> {
  const run = startClause('6.3.6', c, opts);
  const seed = run.seed;
  const severities = opts.severities ?? [1, 2, 3, 4, 5];
  const threshold = opts.confidenceThreshold ?? 0.9;
  const iterations = opts.bootstrapIterations ?? 300;
  const corruptions = (opts.corruptions ?? corruptionsFor(c.spec.modality).map((k) => k.name)).map((n) =>
    getCorruption(n, c.spec.modality),
  );
  const full = await loadCaseDataset(c, 'test');
  const ds = subset(
    full,
    Array.from({ length: Math.min(opts.samples ?? 40, full.ids.length) }, (_, i) => i),
  );
  const ctx = corruptionContext(ds.x, ds.shape, c.spec.modality);
  const model = await openCaseModel(c, { ep: run.ep });
  try {
    const cleanPred = await model.predict(ds.x, ds.shape);
    const clean = taskScoreCi(c, ds, cleanPred, { seed, iterations, level: run.level });
    const rows: SeverityRow[] = [];
    for (const k of corruptions) {
      for (const s of severities) {
        const xs = corrupt(k, ds.x, ds.shape, s, seed, ctx);
        const sc = taskScoreCi(c, { ...ds, x: xs }, await model.predict(xs, ds.shape), { seed, iterations, level: run.level });
        rows.push({
          corruption: k.name,
          severity: s,
          params: JSON.stringify(k.params[s - 1]),
          metric: sc.metric,
          value: sc.value,
          low: sc.ci.low,
          high: sc.ci.high,
        });
      }
    }
    const reference = opts.reference ?? c.spec.robustness?.reference;
    const errors = corruptionErrors(rows, clean.value, reference);

    // A.12.2 b): invalid and other-type samples.
    const inConf = sampleConfidence(c, await model.predict(ds.x, ds.shape), ds.ids.length);
    const extra: Record<string, Float64Array> = {};
    for (const role of ['ood', 'invalid'] as const) {
      if (!c.spec.datasets[role]) continue;
      const d = await loadCaseDataset(c, role);
      extra[role] = sampleConfidence(c, await model.predict(d.x, d.shape), d.ids.length);
    }
    const ood = extra.ood?.length ? oodDetection(inConf, extra.ood) : undefined;
    const accept = {
      test: acceptRate(inConf, threshold),
      ood: extra.ood ? acceptRate(extra.ood, threshold) : undefined,
      invalid: extra.invalid ? acceptRate(extra.invalid, threshold) : undefined,
    };

    const mce = errors.length ? errors.reduce((a, e) => a + e.corruptionError, 0) / errors.length : NaN;
    const rce = errors.length ? errors.reduce((a, e) => a + e.relativeCorruptionError, 0) / errors.length : NaN;
    const values: Record<string, number | undefined> = {
      meanCorruptionError: mce,
      relativeCorruptionError: rce,
      oodAuroc: ood?.auroc,
      oodAupr: ood?.aupr,
      fprAt95Tpr: ood?.fprAt95Tpr,
      oodAcceptRate: accept.ood,
      invalidAcceptRate: accept.invalid,
    };
    const evCtx = { inConf, extra, threshold, seed, level: run.level };
    const evCache = {};
    const claims = run.claims.map((k) =>
      judgeRobustness(k, rows, clean.metric, values, (m) => robustnessEvidence(m, evCtx, evCache), {
        n: ds.ids.length,
        method: clean.ci.method,
        level: clean.ci.level,
      }),
    );
    const findings = robustnessFindings({
      invalidAcceptRate: accept.invalid,
      invalidN: extra.invalid?.length,
      oodAuroc: ood?.auroc,
      oodN: extra.ood?.length,
      threshold,
      emptyImages: emptyImages(c, ds, cleanPred),
      samples: ds.ids.length,
    });
    const shortfalls = robustnessShortfalls(
      ds.ids.length,
      run.claims.filter((k) => k.metric === clean.metric).map((k) => k.id),
    );
    const measurements: Measurement[] = [
      { name: clean.metric, value: clean.value, unit: '1', ci: clean.ci, conditions: { corruption: 'none', samples: clean.n } },
      // The worst (corruption, severity) cell; every cell is in the severity table.
      ...(rows.length
        ? [rows.reduce((w, r) => (r.value < w.value ? r : w))].map((r) => ({
            name: r.metric,
            value: r.value,
            unit: '1',
            ci: { low: r.low, high: r.high, method: clean.ci.method, level: clean.ci.level },
            conditions: { worst: true, corruption: r.corruption, severity: r.severity, params: JSON.parse(r.params) },
          }))
        : []),
      ...Object.entries(values)
        .filter(([, v]) => v !== undefined)
        .map(([name, value]) => ({
          name,
          value: value as number,
          unit: '1',
          conditions:
            name.startsWith('ood') || name === 'fprAt95Tpr' || name.endsWith('AcceptRate')
              ? { confidence: c.spec.task === 'segmentation' ? 'mean pixel max(p, 1−p)' : 'max softmax probability', threshold }
              : { reference: reference ? 'declared' : 'none (unnormalised)' },
        })),
      { name: 'testAcceptRate', value: accept.test, unit: '1', conditions: { threshold } },
    ];
    const invalidPct = accept.invalid !== undefined ? (accept.invalid * 100).toFixed(1) : '';
    const result = buildClauseResult(run, {
      rationale: (reason) =>
        `${reason}. Clean ${clean.metric} ${clean.value.toFixed(4)} on ${clean.n} test samples; ` +
        `${corruptions.length} corruptions × ${severities.length} severities; mean corruption error ` +
        `${mce.toFixed(4)}${ood ? `; OOD AUROC ${ood.auroc.toFixed(3)}` : ''}` +
        `${accept.invalid !== undefined ? `; invalid samples accepted with confidence ≥ ${threshold}: ${invalidPct} %` : ''}.`,
      claims,
      findings,
      shortfalls,
      measurements,
      tables: [
        tableFromRows(
          'severity',
          { zh: '各腐蚀类型与严重度下的性能', en: 'Performance per corruption and severity' },
          rows.map((r) => ({ ...r })),
        ),
        tableFromRows(
          'corruption-errors',
          { zh: '腐蚀误差', en: 'Corruption errors' },
          errors.map((e) => ({ ...e })),
        ),
        tableFromRows('unqualified', { zh: '不合格样本与分布外样本', en: 'Unqualified and out-of-distribution samples' }, [
          { set: 'test', n: inConf.length, acceptRate: accept.test },
          ...Object.entries(extra).map(([set, conf]) => ({ set, n: conf.length, acceptRate: acceptRate(conf, threshold) })),
        ]),
      ],
      settings: {
        ep: run.ep,
        seed,
        severities,
        corruptions: corruptions.map((k) => ({ name: k.name, params: k.params })),
        samples: ds.ids.length,
        confidenceThreshold: threshold,
        bootstrapIterations: iterations,
        reference: reference ?? null,
        valueRange: ctx.range,
        appliedTo: 'raw input values before the case pre-processing',
      },
      environment: collectEnvironment(model.session.providerInfo()),
    });
    return { result, figures: robustnessFigures(rows, clean.value, clean.metric, inConf, extra, ood), rows, errors, ood };
  } finally {
    await model.session.release();
  }
}

/** Segmentation: the test images whose truth and prediction are both empty (per-image Dice undefined); else undefined. */
function emptyImages(c: LoadedCase, ds: Dataset, pred: Prediction): number | undefined {
  if (c.spec.task !== 'segmentation') return undefined;
  return sampleStats(c, ds, pred).den.reduce((k, d) => k + (d === 0 ? 1 : 0), 0);
}

/** Corruption error (CE) and relative CE per corruption; normalised when reference errors are given. */
export function corruptionErrors(rows: SeverityRow[], cleanValue: number, reference?: Record<string, number[]>): CorruptionErrorRow[] {
  const names = [...new Set(rows.map((r) => r.corruption))];
  return names.map((name) => {
    const rs = rows.filter((r) => r.corruption === name);
    const err = rs.reduce((a, r) => a + (1 - r.value), 0);
    const rel = rs.reduce((a, r) => a + (cleanValue - r.value), 0);
    const ref = reference?.[name];
    const refSum = ref ? rs.reduce((a, r) => a + (ref[r.severity - 1] ?? NaN), 0) : NaN;
    if (ref && Number.isFinite(refSum) && refSum > 0)
      return { corruption: name, corruptionError: err / refSum, relativeCorruptionError: rel / refSum, normalised: true };
    return { corruption: name, corruptionError: err / rs.length, relativeCorruptionError: rel / rs.length, normalised: false };
  });
}

/** Judges a 5.2.6 claim. A task-metric claim holds at every run severity up to its `severity`. */
export function judgeRobustness(
  claim: Claim,
  rows: SeverityRow[],
  taskMetric: string,
  values: Record<string, number | undefined>,
  evidence: (metric: string) => EvidenceInput = () => ({}),
  rowEvidence: { n: number | null; method: string; level: number } = { n: null, method: 'bootstrap-percentile', level: 0.95 },
): ClaimCheck {
  if (claim.metric in values)
    return judgeClaim(
      claim,
      values[claim.metric],
      values[claim.metric] === undefined ? 'not measured: the case has no such data set' : undefined,
      evidence(claim.metric),
    );
  if (claim.metric !== taskMetric)
    return judgeClaim(claim, undefined, `metric "${claim.metric}" is not measured by 6.3.6 for this task (task metric: ${taskMetric})`);
  const cond = claim.conditions ?? {};
  const upTo = typeof cond.severity === 'number' ? cond.severity : 5;
  const rs = rows.filter((r) => (cond.corruption === undefined || r.corruption === cond.corruption) && r.severity <= upTo);
  if (!rs.length) return judgeClaim(claim, undefined, `no run matches ${JSON.stringify(cond)}`);
  const worst = rs.reduce((w, r) => (r.value < w.value ? r : w));
  return judgeClaim(
    claim,
    worst.value,
    `worst over ${rs.length} run(s) up to severity ${upTo}: ${worst.corruption} severity ${worst.severity}`,
    { n: rowEvidence.n, ci: { low: worst.low, high: worst.high, method: rowEvidence.method, level: rowEvidence.level } },
  );
}
