/**
 * Clause 6.3.6 — robustness (claims of 5.2.6). A.12.2 a) natural-noise samples: every corruption of
 * the case's modality (src/corruptions) at severities 1…5 applied to the test set, the task metric
 * with its CI per (corruption, severity), corruption error and relative corruption error against the
 * clean baseline (ImageNet-C style; normalised by a declared reference where the case gives one).
 * A.12.2 b) unqualified samples: the case's `invalid` and `ood` sets mixed in: share accepted with high
 * confidence, OOD detection by three scores — max softmax probability (`msp`), the energy score
 * (`energy`, logsumexp of the logits) and a k-NN feature-space score (`feature`, on the tensor named by
 * case.json `robustness.featureTensor`, else on the pre-processed input) — each with AUROC, AUPR and
 * FPR at 95 % TPR and seeded stratified-bootstrap CIs. When the case declares the provider's rejection
 * rule (`robustness.rejection`: an output or score and a threshold), that rule is the system under test:
 * the accept rates on test, OOD and invalid samples are taken under it (Wilson CIs).
 *
 * Claim metrics: the task metric (`dice` / `accuracy`) with conditions `{ corruption, severity }`
 * (met when it holds at every severity up to `severity`), `meanCorruptionError`,
 * `relativeCorruptionError`, `oodAuroc`, `oodAupr`, `fprAt95Tpr` (max softmax probability),
 * `oodAurocEnergy`, `oodAuprEnergy`, `fprAt95TprEnergy`, `oodAurocFeature`, `oodAuprFeature`,
 * `fprAt95TprFeature`, `testAcceptRate`, `oodAcceptRate`, `invalidAcceptRate` (under the provider's
 * rule when declared, else confidence ≥ `confidenceThreshold`).
 */
import { DEFAULT_WORK_SECONDS } from '../common/budget.js';
import { sizeRobustnessBudget } from './budget.js';
import { loadCaseDataset, openCaseModel } from '../../case/predict.js';
import { robustnessEvidence, robustnessFindings, robustnessShortfalls } from './evidence.js';
import type { LoadedCase } from '../../case/types.js';
import { corrupt, corruptionContext, corruptionsFor, getCorruption } from './corruptions/registry.js';
import { subset } from '../../data/dataset.js';
import { collectEnvironment } from '../../util/environment.js';
import type { EpChoice } from '../../model/types.js';
import type { Bilingual, Measurement } from '../../results/types.js';
import { buildClauseResult, startClause, tableFromRows, type ClauseEvaluation } from '../clause.js';
import { acceptRate, oodDetection, oodDetectionCi, ruleAcceptRate, type OodDetection, type OodScoreResult } from './ood.js';
import type { Prediction } from '../../case/predict.js';
import type { Dataset } from '../../data/types.js';
import { robustnessFigures } from './figures.js';
import { sampleStats, taskScoreCi, type SampleStats } from '../common/task-score.js';
import type { SeverityRow, CorruptionErrorRow } from './types.js';
import { corruptionErrorIntervals, corruptionErrors, judgeRobustness } from './judge.js';
import { SampleScorer, type Scored } from './scorer.js';

export { corruptionErrors, judgeRobustness } from './judge.js';

export type { SeverityRow, CorruptionErrorRow } from './types.js';

/** Settings of the 6.3.6 evaluation. */
export interface RobustnessOptions {
  ep?: EpChoice;
  seed?: number;
  /** Corruption names (default: every corruption of the case's modality). */
  corruptions?: string[];
  /** Severities (default 1…5). */
  severities?: number[];
  /** Test samples used (default 40, lowered to fit `timeBudgetSec` at the measured cost; a given count is kept). */
  samples?: number;
  /** Seconds of model work the default sample count is sized to (default 60). */
  timeBudgetSec?: number;
  /** Confidence at or above which a sample counts as accepted (default 0.9). */
  confidenceThreshold?: number;
  /** Bootstrap iterations for Dice CIs (default 300). */
  bootstrapIterations?: number;
  /** Declared reference errors per corruption and severity (mCE normalisation). */
  reference?: Record<string, number[]>;
  /** Training samples forming the k-NN reference set of the feature score (default 64). */
  featureReference?: number;
  /** Neighbour rank k of the feature score (default 1). */
  knnK?: number;
}

/**
 * Runs the 6.3.6 evaluation.
 * @example
 * const ev = await evaluateRobustness(c, { corruptions: ['gaussian-noise'], severities: [1, 3, 5] });
 */
export async function evaluateRobustness(
  c: LoadedCase,
  opts: RobustnessOptions = {},
): Promise<ClauseEvaluation & { rows: SeverityRow[]; errors: CorruptionErrorRow[]; ood?: OodDetection; oodScores: OodScoreResult[] }> {
  const run = startClause('6.3.6', c, opts);
  const seed = run.seed;
  const severities = opts.severities ?? [1, 2, 3, 4, 5];
  const threshold = opts.confidenceThreshold ?? 0.9;
  const iterations = opts.bootstrapIterations ?? 300;
  const corruptions = (opts.corruptions ?? corruptionsFor(c.spec.modality).map((k) => k.name)).map((n) =>
    getCorruption(n, c.spec.modality),
  );
  const full = await loadCaseDataset(c, 'test');
  const model = await openCaseModel(c, { ep: run.ep });
  try {
    // the sample count from the measured cost: 1 clean + corruptions × severities passes per sample
    const per = full.shape.slice(1).reduce((a, b) => a * b, 1);
    const budget = await sizeRobustnessBudget(
      (k) => model.predict(full.x.subarray(0, k * per), [k, ...full.shape.slice(1)]),
      full.ids.length,
      1 + corruptions.length * severities.length,
      opts.samples,
      opts.timeBudgetSec ?? DEFAULT_WORK_SECONDS,
    );
    const ds = subset(
      full,
      Array.from({ length: Math.min(budget.ran.samples!, full.ids.length) }, (_, i) => i),
    );
    const ctx = corruptionContext(ds.x, ds.shape, c.spec.modality);
    const cleanPred = await model.predict(ds.x, ds.shape);
    const clean = taskScoreCi(c, ds, cleanPred, { seed, iterations, level: run.level });
    const rows: SeverityRow[] = [];
    const cells: SampleStats[] = [];
    for (const k of corruptions) {
      for (const s of severities) {
        const xs = corrupt(k, ds.x, ds.shape, s, seed, ctx);
        const pred = await model.predict(xs, ds.shape);
        const sc = taskScoreCi(c, { ...ds, x: xs }, pred, { seed, iterations, level: run.level });
        cells.push(sampleStats(c, { ...ds, x: xs }, pred));
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
    const ceCi = rows.length
      ? corruptionErrorIntervals(rows, cells, sampleStats(c, ds, cleanPred), reference, { seed, iterations, level: run.level })
      : undefined;

    // A.12.2 b): invalid and other-type samples, scored three ways.
    const rule = c.spec.robustness?.rejection;
    const featureTensor = c.spec.robustness?.featureTensor;
    const scorer = await SampleScorer.create(c, model, featureTensor, run.seed, opts.featureReference ?? 64, opts.knnK ?? 1);
    const sets: Record<string, Scored> = {};
    try {
      sets.test = await scorer.score(ds, rule);
      for (const role of ['ood', 'invalid'] as const) {
        if (!c.spec.datasets[role]) continue;
        sets[role] = await scorer.score(await loadCaseDataset(c, role), rule);
      }
    } finally {
      await scorer.dispose();
    }
    const inConf = sets.test!.msp;
    const extra: Record<string, Float64Array> = {};
    for (const role of ['ood', 'invalid']) if (sets[role]) extra[role] = sets[role].msp;
    const ood = extra.ood?.length ? oodDetection(inConf, extra.ood) : undefined;
    const oodScores: OodScoreResult[] = [];
    if (sets.ood?.msp.length) {
      for (const key of ['msp', 'energy', 'feature'] as const) {
        const a = sets.test![key];
        const b = sets.ood[key];
        if (a && b) oodScores.push(oodDetectionCi(key, a, b, { seed, iterations, level: run.level }));
      }
    }
    const ruleRates = rule ? Object.fromEntries(Object.entries(sets).map(([set, sc]) => [set, ruleAcceptRate(sc.rule!, rule)])) : undefined;
    const accept = {
      test: ruleRates ? ruleRates.test!.rate : acceptRate(inConf, threshold),
      ood: ruleRates ? ruleRates.ood?.rate : extra.ood ? acceptRate(extra.ood, threshold) : undefined,
      invalid: ruleRates ? ruleRates.invalid?.rate : extra.invalid ? acceptRate(extra.invalid, threshold) : undefined,
    };
    const byScore = (k: string): OodScoreResult | undefined => oodScores.find((o) => o.score === k);

    const mce = errors.length ? errors.reduce((a, e) => a + e.corruptionError, 0) / errors.length : NaN;
    const rce = errors.length ? errors.reduce((a, e) => a + e.relativeCorruptionError, 0) / errors.length : NaN;
    const values: Record<string, number | undefined> = {
      meanCorruptionError: mce,
      relativeCorruptionError: rce,
      oodAuroc: ood?.auroc,
      oodAupr: ood?.aupr,
      fprAt95Tpr: ood?.fprAt95Tpr,
      oodAurocEnergy: byScore('energy')?.detection.auroc,
      oodAuprEnergy: byScore('energy')?.detection.aupr,
      fprAt95TprEnergy: byScore('energy')?.detection.fprAt95Tpr,
      oodAurocFeature: byScore('feature')?.detection.auroc,
      oodAuprFeature: byScore('feature')?.detection.aupr,
      fprAt95TprFeature: byScore('feature')?.detection.fprAt95Tpr,
      testAcceptRate: accept.test,
      oodAcceptRate: accept.ood,
      invalidAcceptRate: accept.invalid,
    };
    const msp: Bilingual = { zh: '最大 softmax 概率', en: 'max softmax probability' };
    const confidence: Bilingual = c.spec.task === 'segmentation' ? { zh: '逐像素 max(p, 1−p) 的均值', en: 'mean pixel max(p, 1−p)' } : msp;
    const acceptBy: Record<string, unknown> = rule
      ? { rule: rule.output ? `output ${rule.output}` : `score ${rule.score}`, threshold: rule.threshold, reject: rule.reject ?? 'below' }
      : { confidence, threshold };
    const scoreCond = (name: string): Record<string, unknown> => {
      if (name.endsWith('AcceptRate')) return acceptBy;
      if (name.endsWith('Energy'))
        return {
          score: 'energy',
          definition:
            c.spec.task === 'segmentation'
              ? { zh: 'logits 的 logsumexp（逐像素计算后取均值）', en: 'logsumexp of the logits (per pixel, averaged)' }
              : { zh: 'logits 的 logsumexp', en: 'logsumexp of the logits' },
        };
      if (name.endsWith('Feature'))
        return {
          score: 'feature',
          definition: { zh: `k 近邻距离，k = ${scorer.k}`, en: `k-NN distance, k = ${scorer.k}` },
          tensor: scorer.tensor,
          reference: scorer.referenceSize,
        };
      if (name.startsWith('ood') || name === 'fprAt95Tpr') return { score: 'msp', confidence };
      return { reference: reference ? 'declared' : { zh: '无（未归一化）', en: 'none (unnormalised)' } };
    };
    const ciOf = (name: string): Measurement['ci'] | undefined => {
      const m = /^(oodAuroc|oodAupr|fprAt95Tpr)(Energy|Feature)?$/.exec(name);
      if (m) {
        const o = byScore(m[2] ? m[2].toLowerCase() : 'msp');
        const key = m[1] === 'oodAuroc' ? 'auroc' : m[1] === 'oodAupr' ? 'aupr' : 'fprAt95Tpr';
        return o?.ci[key];
      }
      if (name === 'meanCorruptionError' || name === 'relativeCorruptionError') return ceCi?.[name];
      const r = /^(test|ood|invalid)AcceptRate$/.exec(name);
      return r && ruleRates ? ruleRates[r[1]!]?.ci : undefined;
    };
    const evCtx = { inConf, extra, threshold, seed, level: run.level };
    const evCache = {};
    // the OOD scores and the provider's rejection rule carry their own bootstrap / Wilson intervals
    const evidenceOf = (m: string) => {
      const ci = ciOf(m);
      if (ci && m.endsWith('CorruptionError')) return { n: ds.ids.length, ci };
      return ci ? { n: inConf.length + (extra.ood?.length ?? extra.invalid?.length ?? 0), ci } : robustnessEvidence(m, evCtx, evCache);
    };
    const claims = run.claims.map((k) =>
      judgeRobustness(k, rows, clean.metric, values, (m) => evidenceOf(m), {
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
        .map(([name, value]) => {
          const ci = ciOf(name);
          return { name, value: value as number, unit: '1', ...(ci ? { ci } : {}), conditions: scoreCond(name) };
        }),
    ];
    const acceptedBy = rule ? "by the provider's rejection rule" : `with confidence ≥ ${threshold}`;
    const invalidPct = accept.invalid !== undefined ? (accept.invalid * 100).toFixed(1) : '';
    const result = buildClauseResult(run, {
      rationale: (reason) => ({
        zh:
          `${reason.zh}。${clean.n} 个测试样本上的干净 ${clean.metric} 为 ${clean.value.toFixed(4)}；` +
          `${corruptions.length} 种腐蚀 × ${severities.length} 个严重度；平均腐蚀误差 ${mce.toFixed(4)}` +
          `${oodScores.length ? `；分布外检测 AUROC ${oodScores.map((o) => `${o.score} ${o.detection.auroc.toFixed(3)}`).join('，')}` : ''}` +
          `${accept.invalid !== undefined ? `；不合格样本被接受（${rule ? '按提供方的拒识规则' : `置信度 ≥ ${threshold}`}）：${invalidPct} %` : ''}。`,
        en:
          `${reason.en}. Clean ${clean.metric} ${clean.value.toFixed(4)} on ${clean.n} test samples; ` +
          `${corruptions.length} corruptions × ${severities.length} severities; mean corruption error ` +
          `${mce.toFixed(4)}` +
          `${oodScores.length ? `; OOD AUROC ${oodScores.map((o) => `${o.score} ${o.detection.auroc.toFixed(3)}`).join(', ')}` : ''}` +
          `${accept.invalid !== undefined ? `; invalid samples accepted ${acceptedBy}: ${invalidPct} %` : ''}.`,
      }),
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
        tableFromRows(
          'unqualified',
          { zh: '不合格样本与分布外样本', en: 'Unqualified and out-of-distribution samples' },
          Object.entries(sets).map(([set, sc]) => ({
            set,
            n: sc.msp.length,
            acceptRate: acceptRate(sc.msp, threshold),
            ...(ruleRates
              ? { ruleAcceptRate: ruleRates[set]!.rate, ruleLow: ruleRates[set]!.ci.low, ruleHigh: ruleRates[set]!.ci.high }
              : {}),
          })),
        ),
        tableFromRows(
          'ood-scores',
          { zh: '分布外检测（各评分）', en: 'Out-of-distribution detection by score' },
          oodScores.map((o) => ({
            score: o.score,
            nIn: o.nIn,
            nOut: o.nOut,
            auroc: o.detection.auroc,
            aurocLow: o.ci.auroc.low,
            aurocHigh: o.ci.auroc.high,
            aupr: o.detection.aupr,
            auprLow: o.ci.aupr.low,
            auprHigh: o.ci.aupr.high,
            fprAt95Tpr: o.detection.fprAt95Tpr,
            fprLow: o.ci.fprAt95Tpr.low,
            fprHigh: o.ci.fprAt95Tpr.high,
          })),
        ),
      ],
      settings: {
        ep: run.ep,
        seed,
        severities,
        corruptions: corruptions.map((k) => ({ name: k.name, params: k.params })),
        samples: ds.ids.length,
        budget,
        confidenceThreshold: threshold,
        bootstrapIterations: iterations,
        reference: reference ?? null,
        oodScores: {
          msp,
          energy: { zh: 'logits 的 logsumexp', en: 'logsumexp of logits' },
          feature: { zh: `k 近邻（k = ${scorer.k}）`, en: `k-NN (k = ${scorer.k})` },
        },
        featureTensor: scorer.tensor,
        featureReference: scorer.referenceSize,
        rejectionRule: rule ?? null,
        valueRange: ctx.range,
        appliedTo: { zh: '用例预处理之前的原始输入值', en: 'raw input values before the case pre-processing' },
      },
      environment: collectEnvironment(model.session.providerInfo()),
    });
    return { result, figures: robustnessFigures(rows, clean.value, clean.metric, inConf, extra, ood), rows, errors, ood, oodScores };
  } finally {
    await model.session.release();
  }
}

/** Segmentation: the test images whose truth and prediction are both empty (per-image Dice undefined); else undefined. */
function emptyImages(c: LoadedCase, ds: Dataset, pred: Prediction): number | undefined {
  if (c.spec.task !== 'segmentation') return undefined;
  return sampleStats(c, ds, pred).den.reduce((k, d) => k + (d === 0 ? 1 : 0), 0);
}
