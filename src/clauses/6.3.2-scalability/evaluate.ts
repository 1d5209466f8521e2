/**
 * Clause 6.3.2 — architecture scalability (claims of 5.2.2). Varies resources — intra-op threads
 * (1…cores), batch size, execution provider (every provider onnxruntime-node knows; those not
 * available here are listed as such, never dropped), sequential/parallel execution mode — and records
 * throughput and latency of each; derives speed-up and parallel efficiency per thread count, the
 * minimum configuration that meets each claim, and whether more threads still help.
 *
 * Claim metrics: `throughputPerSec`, `latencyP50Ms`, `latencyP99Ms` (conditions `{ threads, batch, ep, mode }`),
 * `speedup` (conditions `{ threads, batch }`: throughput at `threads` ÷ at 1 thread),
 * `trainingThroughputPerSec` (conditions `{ threads }`: training samples/s of the built-in trainer over a
 * few steps, see ./training.ts; 5.2.2 asks for inference and training efficiency).
 */
import { caseIsStateful, caseSessionBindings } from '../../case/adapter.js';
import * as os from 'node:os';
import { judgeClaim, type EvidenceInput } from '../judge.js';
import { loadedMachineFinding, loadRecords, speedupEvidence, timingEvidence, type TimedKey } from '../common/evidence.js';
import type { Claim, LoadedCase } from '../../case/types.js';
import { collectEnvironment } from '../../util/environment.js';
import { openModel } from '../../model/open.js';
import type { EpChoice } from '../../model/types.js';
import type { Bilingual, ClaimCheck, Measurement } from '../../results/types.js';
import { buildClauseResult, startClause, tableFromRows, type ClauseEvaluation } from '../clause.js';
import { timeBatch, type LatencyRow } from '../common/efficiency-measure.js';
import { declaredShape, SYNTHETIC_INPUT_DATA } from '../common/inputs.js';
import { scalabilityFigures } from './figures.js';
import { rowInterval, trainingSweep, type TrainingScalingRow } from './training.js';
import type { TimingOptions } from '../common/timing.js';
import type { ScalingRow, UnavailableProvider } from './types.js';

export type { ScalingRow, UnavailableProvider } from './types.js';

/** Settings of the 6.3.2 sweep. */
export interface ScalabilityOptions {
  /** Thread counts (default 1…number of cores). */
  threads?: number[];
  batchSizes?: number[];
  /** Providers to try (default cpu, webgpu, cuda). */
  providers?: Exclude<EpChoice, 'auto'>[];
  modes?: ('sequential' | 'parallel')[];
  timing?: TimingOptions;
  seed?: number;
  /** Thread counts of the training-throughput sweep (default: the inference thread counts; [] skips it). */
  trainingThreads?: number[];
  /** Optimisation steps per measured training epoch (default 2). */
  trainingSteps?: number;
}

/**
 * Runs the 6.3.2 sweep on a case.
 * @example
 * const ev = await evaluateScalability(c, { threads: [1, 2], batchSizes: [1, 8] });
 */
export async function evaluateScalability(
  c: LoadedCase,
  opts: ScalabilityOptions = {},
): Promise<ClauseEvaluation & { rows: ScalingRow[]; unavailable: UnavailableProvider[]; training: TrainingScalingRow[] }> {
  const run = startClause('6.3.2', c, opts);
  const seed = run.seed;
  const cores = os.cpus().length;
  // The sweep always includes the thread counts and batch sizes the claims name.
  const claimed = run.claims.map((k) => k.conditions ?? {});
  const withClaimed = (base: number[], key: string) =>
    [...new Set([...base, ...claimed.map((k) => k[key]).filter((v): v is number => typeof v === 'number' && v > 0)])].sort((a, b) => a - b);
  const threads = withClaimed(opts.threads ?? Array.from({ length: cores }, (_, i) => i + 1), 'threads');
  // a model with recurrent state runs one sample per batch (its state has batch 1)
  const batchSizes = caseIsStateful(c) ? [1] : withClaimed(opts.batchSizes ?? [1, 8], 'batch');
  const providers = opts.providers ?? ['cpu', 'webgpu', 'cuda'];
  const modes = opts.modes ?? ['sequential', 'parallel'];
  const timing: Required<TimingOptions> = { warmup: 2, minQueries: 10, minDurationMs: 300, maxQueries: 10_000, ...opts.timing };
  const rows: ScalingRow[] = [];
  // the timed samples behind each row (the evidence of claim intervals), kept out of the sweep table
  const timed = new Map<ScalingRow, LatencyRow>();
  const unavailable: UnavailableProvider[] = [];
  let env = collectEnvironment({ executionProvider: 'cpu' });
  const ran = new Set<string>();
  for (const p of providers) {
    for (const mode of modes) {
      for (const t of threads) {
        const s = await openModel(c.modelPath, {
          ep: p,
          threads: t,
          executionMode: mode,
          interOpThreads: mode === 'parallel' ? t : undefined,
        });
        s.bind(caseSessionBindings(c));
        try {
          if (s.provider !== p) {
            if (!unavailable.some((u) => u.provider === p)) {
              const fb = s.fallbacks.find((f) => f.provider === p);
              const why =
                fb?.text ?? (fb ? { zh: fb.reason, en: fb.reason } : { zh: `回退到 ${s.provider}`, en: `fell back to ${s.provider}` });
              unavailable.push({
                provider: p,
                reason: `not available on this machine: ${fb?.reason ?? `fell back to ${s.provider}`}`,
                text: { zh: `本机不可用：${why.zh}`, en: `not available on this machine: ${why.en}` },
              });
            }
            break;
          }
          ran.add(p);
          if (p === 'cpu' || !env.gpu) env = collectEnvironment(s.providerInfo());
          for (const b of batchSizes) {
            const r = await timeBatch(s, c.spec.io.input, declaredShape(c, b), timing, seed, t);
            const row = scalingRow(r, p, mode, t);
            rows.push(row);
            timed.set(row, r);
          }
        } finally {
          await s.release();
        }
      }
      if (unavailable.some((u) => u.provider === p)) break;
    }
  }
  fillSpeedup(rows);
  env.executionProvider = [...ran].join(', ') || env.executionProvider;
  const trainThreads = opts.trainingThreads ?? threads;
  const training = trainThreads.length
    ? await trainingSweep(c, { threads: trainThreads, seed, steps: opts.trainingSteps })
    : { rows: [], skipped: { zh: 'trainingThreads 为 []，未运行', en: 'not run: trainingThreads = []' } };
  const claims = run.claims.map((k) =>
    k.metric === 'trainingThroughputPerSec'
      ? judgeTrainingThroughput(k, training.rows, training.skipped)
      : judgeScaling(k, rows, { timed, seed, level: run.level }),
  );
  const load = [
    ...loadRecords([...timed.values()]),
    ...training.rows.map((r) => ({ block: `training, threads ${r.threads}`, before: r.load.before, after: r.load.after })),
  ];
  const loaded = loadedMachineFinding(load, '5.2.2');
  const best = (p: string, b: number) =>
    rows.filter((r) => r.provider === p && r.batch === b).sort((x, y) => y.throughputPerSec - x.throughputPerSec)[0];
  const moreHelps = batchSizes.map((b) => {
    const seq = rows.filter((r) => r.provider === 'cpu' && r.mode === 'sequential' && r.batch === b).sort((x, y) => x.threads - y.threads);
    const last = seq[seq.length - 1];
    const prev = seq[seq.length - 2];
    return { batch: b, threads: last?.threads, gainOverPrevious: last && prev ? last.throughputPerSec / prev.throughputPerSec : null };
  });
  // Headline numbers: the best configuration per provider and the speed-up at the most threads;
  // every configuration is in the sweep table.
  const maxThreads = Math.max(...threads);
  const measurements: Measurement[] = [...ran].flatMap((p) => {
    const top = rows.filter((r) => r.provider === p).sort((x, y) => y.throughputPerSec - x.throughputPerSec)[0]!;
    return [
      {
        name: 'throughputPerSec',
        value: top.throughputPerSec,
        unit: 'samples/s',
        conditions: { best: true, provider: p, mode: top.mode, threads: top.threads, batch: top.batch },
      },
    ];
  });
  for (const r of rows.filter((x) => x.threads === maxThreads && x.mode === 'sequential'))
    measurements.push({
      name: 'speedup',
      value: r.speedup,
      unit: '1',
      conditions: { provider: r.provider, mode: r.mode, threads: r.threads, batch: r.batch, over: '1 thread' },
    });
  for (const m of moreHelps)
    measurements.push({
      name: 'gainOfLastThreadStep',
      value: m.gainOverPrevious,
      unit: '1',
      conditions: { batch: m.batch, threads: m.threads, provider: 'cpu', mode: 'sequential' },
    });
  for (const r of training.rows)
    measurements.push({
      name: 'trainingThroughputPerSec',
      value: r.samplesPerSecond,
      unit: 'samples/s',
      ci: rowInterval(r),
      conditions: {
        threads: r.threads,
        samples: r.samples,
        steps: r.steps,
        repeats: r.repeats,
        trainer: 'built-in',
        trainable: training.trainable,
      },
    });
  const trainText = training.rows.length
    ? {
        zh: `内置训练器：${training.rows.map((r) => `${r.threads} 线程 ${r.samplesPerSecond.toFixed(1)} 样本/秒`).join('，')}。`,
        en:
          ` Built-in trainer: ` +
          `${training.rows.map((r) => `${r.samplesPerSecond.toFixed(1)} samples/s at ${r.threads} thread(s)`).join(', ')}.`,
      }
    : {
        zh: `训练吞吐量未测量（${training.skipped?.zh ?? ''}）。`,
        en: ` Training throughput not measured (${training.skipped?.en ?? ''}).`,
      };
  const lastBatch = batchSizes[batchSizes.length - 1]!;
  const bestCpu = best('cpu', lastBatch)?.throughputPerSec.toFixed(1);
  const result = buildClauseResult(run, {
    rationale: (reason) => ({
      zh:
        `${reason.zh}。在 ${[...ran].join('、')} 上扫描了 ${rows.length} 种配置；` +
        `${unavailable.map((u) => `${u.provider} 本机不可用`).join('，') || '所有请求的执行提供程序均可用'}` +
        `${unavailable.length ? '（原因见附录A）' : ''}。批量 ${lastBatch} 时 CPU 最高吞吐量：` +
        `${bestCpu === undefined ? '无' : `${bestCpu} 样本/秒`}。${trainText.zh}`,
      en:
        `${reason.en}. Swept ${rows.length} configurations on ${[...ran].join(', ')}; ` +
        `${unavailable.map((u) => `${u.provider}: ${u.reason}`).join('; ') || 'every requested provider was available'}. ` +
        `Best CPU throughput at batch ${lastBatch}: ${bestCpu ?? 'n/a'} samples/s.${trainText.en}`,
    }),
    claims,
    measurements,
    tables: [
      tableFromRows(
        'sweep',
        { zh: '资源扫描：吞吐量、延迟、加速比', en: 'Resource sweep: throughput, latency, speed-up' },
        rows.map((r) => ({ ...r })),
      ),
      tableFromRows(
        'training',
        { zh: '训练吞吐量随线程数变化（内置训练器）', en: 'Training throughput vs threads (built-in trainer)' },
        training.rows.map(({ load: l, ...r }) => ({ ...r, loadBefore: l.before, loadAfter: l.after })),
      ),
      tableFromRows(
        'providers',
        { zh: '执行提供者可用性', en: 'Execution provider availability' },
        providers.map((p) => ({
          provider: p,
          available: ran.has(p),
          reason: unavailable.find((u) => u.provider === p)?.text ?? { zh: '已运行', en: 'ran' },
        })),
      ),
    ],
    settings: {
      threads,
      batchSizes,
      providers,
      modes,
      timing,
      seed,
      cores,
      inputData: SYNTHETIC_INPUT_DATA,
      training: training.rows.length
        ? {
            threads: trainThreads,
            steps: opts.trainingSteps ?? 2,
            batchSize: training.batchSize,
            trainable: training.trainable,
            note: {
              zh: '线程数为冻结前段的 onnxruntime 算子内线程数；被训练的后段在 TensorFlow.js（CPU）中运行',
              en: 'threads are onnxruntime intra-op threads of the frozen prefix; the trained tail runs in TensorFlow.js (CPU)',
            },
          }
        : training.skipped,
    },
    environment: { ...env, load },
    findings: loaded ? [loaded] : [],
  });
  return { result, figures: scalabilityFigures(rows, training.rows), rows, unavailable, training: training.rows };
}

function scalingRow(r: LatencyRow, provider: string, mode: 'sequential' | 'parallel', threads: number): ScalingRow {
  return {
    provider,
    mode,
    threads,
    batch: r.batch,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    throughputPerSec: r.throughputPerSec,
    speedup: NaN,
    parallelEfficiency: NaN,
  };
}

/** Fills speed-up and parallel efficiency relative to the 1-thread row of the same provider, mode and batch. */
export function fillSpeedup(rows: ScalingRow[]): void {
  for (const r of rows) {
    const base = rows.find((b) => b.provider === r.provider && b.mode === r.mode && b.batch === r.batch && b.threads === 1);
    r.speedup = base ? r.throughputPerSec / base.throughputPerSec : NaN;
    r.parallelEfficiency = r.speedup / r.threads;
  }
}

const METRIC_KEY: Record<string, keyof ScalingRow> = {
  throughputPerSec: 'throughputPerSec',
  latencyP50Ms: 'p50Ms',
  latencyP99Ms: 'p99Ms',
  speedup: 'speedup',
};

/**
 * Judges a 5.2.2 claim against the sweep: the row matching every stated condition (provider defaults
 * to cpu, mode to sequential); without a `threads` condition, the minimum thread count that meets it.
 */
export function judgeScaling(claim: Claim, rows: ScalingRow[], ev: ScalingEvidence = {}): ClaimCheck {
  const evidence = (r: ScalingRow): EvidenceInput => {
    const t = ev.timed?.get(r);
    if (!t) return {};
    if (key !== 'speedup') return timingEvidence(t, key as TimedKey, ev.seed ?? 42, ev.level);
    const base = rows.find((b) => b.provider === r.provider && b.mode === r.mode && b.batch === r.batch && b.threads === 1);
    const tb = base && ev.timed?.get(base);
    return tb ? speedupEvidence(t, tb, ev.seed ?? 42, ev.level) : { rule: 'none' };
  };
  const key = METRIC_KEY[claim.metric];
  if (!key)
    return judgeClaim(claim, undefined, {
      zh: `6.3.2 不测量指标 "${claim.metric}"`,
      en: `metric "${claim.metric}" is not measured by 6.3.2`,
    });
  const cond = claim.conditions ?? {};
  const match = rows
    .filter(
      (r) =>
        r.provider === String(cond.ep ?? 'cpu') &&
        r.mode === String(cond.mode ?? 'sequential') &&
        (cond.batch === undefined || r.batch === cond.batch) &&
        (cond.threads === undefined || r.threads === cond.threads),
    )
    .sort((a, b) => a.threads - b.threads || a.batch - b.batch);
  if (!match.length)
    return judgeClaim(claim, undefined, {
      zh: `扫描中没有与条件 ${JSON.stringify(cond)} 匹配的配置`,
      en: `no configuration of the sweep matches the conditions ${JSON.stringify(cond)}`,
    });
  if (cond.threads === undefined && claim.metric === 'speedup') {
    // A speed-up claim is about adding resources: judged at the largest thread count swept.
    const maxT = Math.max(...match.map((r) => r.threads));
    const worst = match.filter((r) => r.threads === maxT).reduce((w, r) => (r.speedup < w.speedup ? r : w));
    return judgeClaim(
      claim,
      worst.speedup,
      {
        zh: `${maxT} 线程相对 1 线程的加速比，批量 ${worst.batch}，${worst.provider}/${worst.mode}（各批量中最差）`,
        en: `speed-up at ${maxT} thread(s) over 1 thread, batch ${worst.batch}, ${worst.provider}/${worst.mode} (worst over batch sizes)`,
      },
      evidence(worst),
    );
  }
  if (cond.threads === undefined) {
    for (const r of match) {
      const check = judgeClaim(
        claim,
        r[key] as number,
        {
          zh: `满足声称的最小配置：${r.threads} 线程，批量 ${r.batch}，${r.provider}/${r.mode}`,
          en: `minimum configuration meeting the claim: ${r.threads} thread(s), batch ${r.batch}, ${r.provider}/${r.mode}`,
        },
        evidence(r),
      );
      if (check.met) return check;
    }
    const last = match[match.length - 1]!;
    return judgeClaim(
      claim,
      last[key] as number,
      {
        zh: `扫描的配置均不满足（尝试的最大配置：${last.threads} 线程，批量 ${last.batch}）`,
        en: `not met by any swept configuration (best tried: ${last.threads} thread(s), batch ${last.batch})`,
      },
      evidence(last),
    );
  }
  const r = match[0]!;
  return judgeClaim(
    claim,
    r[key] as number,
    {
      zh: `${r.threads} 线程，批量 ${r.batch}，${r.provider}/${r.mode}`,
      en: `${r.threads} thread(s), batch ${r.batch}, ${r.provider}/${r.mode}`,
    },
    evidence(r),
  );
}

/** The timed samples behind the sweep rows, for the claims' intervals (without them a row is decided as read). */
export interface ScalingEvidence {
  timed?: Map<ScalingRow, LatencyRow>;
  seed?: number;
  level?: number;
}

/**
 * Judges a `trainingThroughputPerSec` claim on the row of the claimed thread count (`conditions.threads`,
 * default the fewest threads swept: the minimum configuration).
 */
export function judgeTrainingThroughput(claim: Claim, rows: TrainingScalingRow[], skipped?: string | Bilingual): ClaimCheck {
  if (!rows.length) {
    const why = typeof skipped === 'string' ? { zh: skipped, en: skipped } : skipped;
    return judgeClaim(claim, undefined, {
      zh: `训练吞吐量未测量${why ? `（${why.zh}）` : ''}`,
      en: `training throughput not measured${why ? ` (${why.en})` : ''}`,
    });
  }
  const t = claim.conditions?.['threads'];
  const r = typeof t === 'number' ? rows.find((x) => x.threads === t) : [...rows].sort((a, b) => a.threads - b.threads)[0];
  if (!r)
    return judgeClaim(claim, undefined, {
      zh: `没有 ${String(t)} 线程的训练运行（已扫描：${rows.map((x) => x.threads).join(', ')}）`,
      en: `no training run at ${String(t)} thread(s) (swept: ${rows.map((x) => x.threads).join(', ')})`,
    });
  return judgeClaim(claim, r.samplesPerSecond, {
    zh: `内置训练器，${r.threads} 线程，${r.steps} 步重复 ${r.repeats} 次的平均`,
    en: `built-in trainer, ${r.threads} thread(s), mean of ${r.repeats} repeats of ${r.steps} steps`,
  });
}
