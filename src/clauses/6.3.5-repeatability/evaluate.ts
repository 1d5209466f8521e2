/**
 * Clause 6.3.5 — output repeatability (claims of 5.2.5). The same test cases are run repeatedly:
 * within one session, across fresh sessions, across intra-op thread counts, across execution providers
 * (those available here), and in batches vs one at a time. Each run is compared with the reference run:
 * max absolute and relative difference, bit-exact match rate, and decision agreement (class labels, or
 * mean Dice between the runs' masks for segmentation).
 *
 * Claim metrics: `maxAbsDiff`, `maxRelDiff`, `exactMatchRate`, `decisionAgreement` (optionally with
 * condition `{ comparison }` naming one comparison; otherwise the worst over all comparisons is judged).
 * A claim of identical outputs is `maxAbsDiff == 0` (tolerance 0): judged bit for bit.
 */
import * as os from 'node:os';
import { loadCaseDataset, openCaseModel } from '../../case/predict.js';
import { judgeClaim } from '../judge.js';
import type { Claim, LoadedCase } from '../../case/types.js';
import { subset } from '../../data/dataset.js';
import { collectEnvironment } from '../../util/environment.js';
import type { EpChoice } from '../../model/types.js';
import type { Bilingual, ClaimCheck, Measurement } from '../../results/types.js';
import { buildClauseResult, startClause, tableFromRows, type ClauseEvaluation } from '../clause.js';
import { compareOutputs, labelAgreement, maskAgreement } from './compare.js';
import { repeatabilityFigures } from './figures.js';

/** Settings of the 6.3.5 evaluation. */
export interface RepeatabilityOptions {
  ep?: EpChoice;
  /** Test samples used (default 24). */
  samples?: number;
  /** Repeats within the reference session (default 3). */
  repeats?: number;
  /** Fresh sessions (default 2). */
  sessions?: number;
  /** Thread counts compared with the reference (default [1, cores]). */
  threads?: number[];
  /** Other providers to compare (default webgpu, cuda: listed as unavailable when absent). */
  providers?: Exclude<EpChoice, 'auto'>[];
  batchSize?: number;
  seed?: number;
}

/** One comparison against the reference run. */
export interface RepeatRow {
  comparison: string;
  runs: number;
  maxAbsDiff: number;
  maxRelDiff: number;
  exactMatchRate: number;
  decisionAgreement: number;
  identical: boolean;
  note: Bilingual;
}

interface RunOutput {
  raw: Float32Array;
  labels?: Int32Array;
  masks?: Uint8Array;
}

/**
 * Runs the 6.3.5 evaluation on a case's test set.
 * @example
 * const ev = await evaluateRepeatability(c, { samples: 16, repeats: 3 });
 */
export async function evaluateRepeatability(
  c: LoadedCase,
  opts: RepeatabilityOptions = {},
): Promise<ClauseEvaluation & { rows: RepeatRow[] }> {
  const clauseRun = startClause('6.3.5', c, opts);
  const ep = opts.ep ?? 'auto';
  const cores = os.cpus().length;
  const settings = {
    ep,
    samples: opts.samples ?? 24,
    repeats: opts.repeats ?? 3,
    sessions: opts.sessions ?? 2,
    threads: opts.threads ?? [...new Set([1, cores])],
    providers: opts.providers ?? (['webgpu', 'cuda'] as Exclude<EpChoice, 'auto'>[]),
    batchSize: opts.batchSize ?? 8,
    seed: clauseRun.seed,
  };
  const full = await loadCaseDataset(c, 'test');
  const ds = subset(
    full,
    Array.from({ length: Math.min(settings.samples, full.ids.length) }, (_, i) => i),
  );
  const pixels = c.spec.task === 'segmentation' ? ds.shape.slice(2).reduce((a, b) => a * b, 1) : 0;

  const run = async (o: { ep: EpChoice; threads?: number; batchSize: number }, times = 1) => {
    const cm = await openCaseModel(c, { ep: o.ep, threads: o.threads });
    try {
      const outs: RunOutput[] = [];
      for (let i = 0; i < times; i++) {
        const p = await cm.predict(ds.x, ds.shape, { batchSize: o.batchSize });
        outs.push({ raw: p.logits ?? p.probs, labels: p.labels, masks: p.masks });
      }
      return { outs, info: cm.session.providerInfo(), provider: cm.session.provider };
    } finally {
      await cm.session.release();
    }
  };
  const compare = (ref: RunOutput, others: RunOutput[], comparison: string, note: Bilingual): RepeatRow => {
    let worst = { maxAbsDiff: 0, maxRelDiff: 0, exactMatchRate: 1, decisionAgreement: 1, identical: true };
    for (const o of others) {
      const d = compareOutputs(ref.raw, o.raw);
      const agree =
        c.spec.task === 'segmentation' && ref.masks && o.masks
          ? maskAgreement(ref.masks, o.masks, pixels)
          : ref.labels && o.labels
            ? labelAgreement(ref.labels, o.labels)
            : NaN;
      worst = {
        maxAbsDiff: Math.max(worst.maxAbsDiff, d.maxAbsDiff),
        maxRelDiff: Math.max(worst.maxRelDiff, d.maxRelDiff),
        exactMatchRate: Math.min(worst.exactMatchRate, d.exactMatchRate),
        decisionAgreement: Math.min(worst.decisionAgreement, agree),
        identical: worst.identical && d.identical,
      };
    }
    return { comparison, runs: others.length, ...worst, note };
  };

  const refRun = await run({ ep, batchSize: settings.batchSize }, 1 + settings.repeats);
  const ref = refRun.outs[0]!;
  const rows: RepeatRow[] = [
    compare(ref, refRun.outs.slice(1), 'within-session', {
      zh: `参考会话内重复 ${settings.repeats} 次`,
      en: `${settings.repeats} repeats in the reference session`,
    }),
  ];
  const fresh: RunOutput[] = [];
  for (let s = 0; s < settings.sessions; s++) fresh.push(...(await run({ ep, batchSize: settings.batchSize })).outs);
  rows.push(
    compare(ref, fresh, 'fresh-sessions', {
      zh: `${settings.sessions} 个新会话，选项相同`,
      en: `${settings.sessions} new session(s), same options`,
    }),
  );
  for (const t of settings.threads)
    rows.push(
      compare(ref, (await run({ ep, threads: t, batchSize: settings.batchSize })).outs, `threads-${t}`, {
        zh: `算子内线程数 = ${t}`,
        en: `intra-op threads = ${t}`,
      }),
    );
  rows.push(
    compare(ref, (await run({ ep, batchSize: 1 })).outs, 'single-vs-batch', {
      zh: `批量 1 对比批量 ${settings.batchSize}`,
      en: `batch 1 vs batch ${settings.batchSize}`,
    }),
  );
  const unavailable: string[] = [];
  const unavailableText: Bilingual[] = [];
  for (const p of settings.providers) {
    if (p === refRun.provider) continue;
    const r = await run({ ep: p, batchSize: settings.batchSize });
    if (r.provider !== p) {
      const fb = r.info.fallbacks?.find((f) => f.provider === p);
      unavailable.push(`${p}: not available on this machine (${fb?.reason ?? `ran ${r.provider}`})`);
      const why = fb?.text ?? (fb ? { zh: fb.reason, en: fb.reason } : { zh: `实际运行 ${r.provider}`, en: `ran ${r.provider}` });
      unavailableText.push({ zh: `${p}：本机不可用（${why.zh}）`, en: `${p}: not available on this machine (${why.en})` });
      continue;
    }
    rows.push(compare(ref, r.outs, `provider-${p}`, { zh: `${p} 对比 ${refRun.provider}`, en: `${p} vs ${refRun.provider}` }));
  }

  const claims = clauseRun.claims.map((k) => judgeRepeat(k, rows));
  // Headline: the worst comparison per metric; every comparison is in the table.
  const worstOf = (key: (typeof KEYS)[number]) =>
    rows.reduce((w, r) => ((key === 'maxAbsDiff' || key === 'maxRelDiff' ? r[key] > w[key] : r[key] < w[key]) ? r : w));
  const measurements: Measurement[] = KEYS.map((key) => {
    const w = worstOf(key);
    const conditions: Record<string, unknown> = { worstComparison: w.comparison, comparisons: rows.length, samples: ds.ids.length };
    if (key === 'decisionAgreement')
      conditions.measure =
        c.spec.task === 'segmentation'
          ? { zh: '各次运行掩膜之间的平均 Dice', en: 'mean Dice between run masks' }
          : { zh: '标签相同的比例', en: 'share of equal labels' };
    return { name: key, value: w[key], unit: '1', conditions };
  });
  const env = collectEnvironment(refRun.info);
  const result = buildClauseResult(clauseRun, {
    rationale: (reason) => ({
      zh:
        `${reason.zh}。在 ${ds.ids.length} 个测试样本上比较 ${rows.length} 次；最大绝对差的最大值 ` +
        `${Math.max(...rows.map((r) => r.maxAbsDiff)).toExponential(2)}；` +
        `${rows.every((r) => r.identical) ? '所有运行逐位一致' : '并非所有运行逐位一致'}。` +
        `${unavailable.length ? `未比较：${unavailable.map((u) => u.split(':')[0]).join('、')}（本机不可用，原因见附录A）。` : ''}`,
      en:
        `${reason.en}. ${rows.length} comparisons on ${ds.ids.length} test samples; worst max |Δ| ` +
        `${Math.max(...rows.map((r) => r.maxAbsDiff)).toExponential(2)}; ` +
        `${rows.every((r) => r.identical) ? 'all runs bit-for-bit identical' : 'not all runs bit-identical'}.` +
        `${unavailable.length ? ` Not compared: ${unavailable.join('; ')}.` : ''}`,
    }),
    claims,
    measurements,
    tables: [
      tableFromRows(
        'comparisons',
        { zh: '重复运行与参考运行的差异', en: 'Repeated runs vs the reference run' },
        rows.map((r) => ({ ...r })),
      ),
    ],
    settings: {
      ...settings,
      unavailableProviders: unavailableText,
      samplesUsed: ds.ids.length,
      compared: { zh: '模型原始输出（logits）与决策', en: 'raw model outputs (logits) and decisions' },
    },
    environment: env,
  });
  return { result, figures: repeatabilityFigures(rows), rows };
}

const KEYS = ['maxAbsDiff', 'maxRelDiff', 'exactMatchRate', 'decisionAgreement'] as const;

/** Judges a 5.2.5 claim: against one named comparison, or the worst over all comparisons. */
export function judgeRepeat(claim: Claim, rows: RepeatRow[]): ClaimCheck {
  const key = KEYS.find((k) => k === claim.metric);
  if (!key)
    return judgeClaim(claim, undefined, {
      zh: `6.3.5 不测量指标 "${claim.metric}"`,
      en: `metric "${claim.metric}" is not measured by 6.3.5`,
    });
  const wanted = claim.conditions?.comparison;
  const rs = wanted === undefined ? rows : rows.filter((r) => r.comparison === wanted);
  if (!rs.length)
    return judgeClaim(claim, undefined, { zh: `没有名为 "${String(wanted)}" 的比较`, en: `no comparison named "${String(wanted)}"` });
  const higherWorse = key === 'maxAbsDiff' || key === 'maxRelDiff';
  const worst = rs.reduce((w, r) => ((higherWorse ? r[key] > w[key] : r[key] < w[key]) ? r : w));
  const bitwise = key === 'maxAbsDiff' && claim.value === 0 && !claim.tolerance;
  return judgeClaim(
    claim,
    worst[key],
    {
      zh: `最差的比较：${worst.comparison}${bitwise ? `；逐位比较（${worst.identical ? '一致' : '不一致'}）` : ''}`,
      en:
        `worst comparison: ${worst.comparison}` +
        `${bitwise ? `; compared bit for bit (${worst.identical ? 'identical' : 'not identical'})` : ''}`,
    },
    // the outputs of the same test data compared element by element: the figure is what was observed, not an estimate
    { rule: 'exact' },
  );
}
