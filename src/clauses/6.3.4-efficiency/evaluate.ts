/**
 * Clause 6.3.4 — model efficiency (claims of 5.2.4).
 * a) inference runs at the declared compute (declared input shape, batch and provider);
 * b) compute and storage: MACs/FLOPs and parameters from the graph, model file size, peak memory;
 * c) latency p50/p90/p99 and throughput per batch size (warm-up, minimum queries and duration,
 *    fixed seed) and, where the case declares model variants, accuracy vs latency with the Pareto front.
 *
 * Claim metrics: `latencyP50Ms`, `latencyP90Ms`, `latencyP99Ms`, `throughputPerSec` (conditions
 * `{ batch, threads, ep }`; measured under exactly those conditions), `macs`, `flops`, `parameters`,
 * `modelBytes`, `peakRssMB`.
 */
import { caseIsStateful, caseSessionBindings, feedsOtherInputs } from '../../case/adapter.js';
import { statSync } from 'node:fs';
import { judgeClaim } from '../judge.js';
import { loadedMachineFinding, loadRecords, timingEvidence, type TimedKey } from '../common/evidence.js';
import type { Claim, LoadedCase } from '../../case/types.js';
import { collectEnvironment } from '../../util/environment.js';
import { inspectModel } from '../../model/inspect.js';
import { openModel } from '../../model/open.js';
import type { EpChoice, ModelInspection, ModelSession } from '../../model/types.js';
import type { ClaimCheck, Measurement } from '../../results/types.js';
import { buildClauseResult, startClause, tableFromRows, type ClauseEvaluation } from '../clause.js';
import { efficiencyFigures } from './figures.js';
import { paretoFront } from '../../figures/charts.js';
import { probeMemory, timeBatch, type LatencyRow, type MemoryProbe } from '../common/efficiency-measure.js';
import { declaredBatch, declaredShape, SYNTHETIC_INPUT_DATA } from '../common/inputs.js';
import { variantScores, type VariantRow } from './variants.js';
import type { TimingOptions } from '../common/timing.js';

/** Settings of the 6.3.4 evaluation (all recorded in the result). */
export interface EfficiencyOptions {
  ep?: EpChoice;
  /** Intra-op threads of the main sweep (default: onnxruntime's choice). */
  threads?: number;
  /** Batch sizes of the latency/throughput sweep (default [1, 4, 16]). */
  batchSizes?: number[];
  timing?: TimingOptions;
  seed?: number;
  /** Measure peak memory in a child process (default true). */
  measureMemory?: boolean;
  /** Evaluate declared model variants (default true). */
  variants?: boolean;
  /** Test samples used for variant accuracy (default 40). */
  variantSamples?: number;
}

const LATENCY_METRICS: Record<string, keyof LatencyRow> = {
  latencyP50Ms: 'p50Ms',
  latencyP90Ms: 'p90Ms',
  latencyP99Ms: 'p99Ms',
  throughputPerSec: 'throughputPerSec',
};

/**
 * Runs the 6.3.4 evaluation on a case.
 * @returns the ClauseResult (figures to be saved with saveClauseEvaluation) and the figures
 * @example
 * const ev = await evaluateEfficiency(c, { ep: 'cpu', batchSizes: [1, 8] });
 */
export async function evaluateEfficiency(
  c: LoadedCase,
  opts: EfficiencyOptions = {},
): Promise<ClauseEvaluation & { rows: LatencyRow[]; variants: VariantRow[]; memory?: MemoryProbe }> {
  const run = startClause('6.3.4', c, opts);
  const { seed, ep } = run;
  const batchSizes = caseIsStateful(c) ? [1] : (opts.batchSizes ?? [1, 4, 16]); // state: one sample per batch
  const timing: Required<TimingOptions> = { warmup: 3, minQueries: 20, minDurationMs: 500, maxQueries: 10_000, ...opts.timing };
  const inputName = c.spec.io.input;
  const session = await openModel(c.modelPath, { ep, threads: opts.threads });
  session.bind(caseSessionBindings(c));
  try {
    // a) the declared compute: declared shape and batch on the requested provider.
    const dBatch = declaredBatch(c);
    await timeBatch(
      session,
      inputName,
      declaredShape(c, dBatch),
      { warmup: 1, minQueries: 3, minDurationMs: 0 },
      seed,
      opts.threads ?? 'default',
    );
    // b) compute and storage.
    const info = await inspectModel(c.modelPath, { inputShapes: { [inputName]: declaredShape(c, 1) } });
    const memory =
      opts.measureMemory === false
        ? undefined
        : // the child re-reads case.json only when the model has other inputs to feed (constants, state, adapter)
          await probeMemory(
            c.modelPath,
            inputName,
            declaredShape(c, 1),
            session.provider,
            opts.threads,
            feedsOtherInputs(c) ? c.dir : undefined,
          );
    // c) latency and throughput per batch size.
    const rows: LatencyRow[] = [];
    for (const b of batchSizes)
      rows.push(await timeBatch(session, inputName, declaredShape(c, b), timing, seed, opts.threads ?? 'default'));
    const variants = opts.variants === false ? [] : await variantScores(c, { ep, seed, samples: opts.variantSamples ?? 40, timing });

    const measurements: Measurement[] = [
      { name: 'declaredRunOk', value: true, unit: '1', conditions: { batch: dBatch, provider: session.provider } },
      { name: 'macs', value: info.macs, unit: 'MAC', conditions: { inputShape: declaredShape(c, 1), complete: info.macsComplete } },
      {
        name: 'flops',
        value: info.flops,
        unit: 'FLOP',
        conditions: {
          inputShape: declaredShape(c, 1),
          convention: { zh: '2 × MACs 加逐元素运算与池化运算', en: '2 × MACs plus element-wise and pooling operations' },
        },
      },
      { name: 'parameters', value: info.parameters.total, unit: '1' },
      { name: 'modelBytes', value: statSync(c.modelPath).size, unit: 'B' },
    ];
    if (memory)
      measurements.push({
        name: 'peakRssMB',
        value: round(memory.modelPeakMB),
        unit: 'MiB',
        conditions: {
          batch: 1,
          provider: memory.provider,
          method: {
            zh: '子进程 3 次推理后的 maxRSS 减去加载 onnxruntime 后的 maxRSS',
            en: 'child process maxRSS after 3 inferences minus maxRSS after loading onnxruntime',
          },
        },
      });
    measurements.push({
      name: 'gpuMemory',
      value: null,
      unit: 'MiB',
      conditions: {
        provider: session.provider,
        note:
          session.provider === 'cpu'
            ? { zh: '不适用（CPU 执行提供程序）', en: 'not applicable (CPU provider)' }
            : { zh: 'onnxruntime-node 不提供该值', en: 'not exposed by onnxruntime-node' },
      },
    });
    // Headline latency at the smallest batch; every batch size is in the latency table.
    for (const r of rows.slice(0, 1)) {
      for (const [metric, key] of Object.entries(LATENCY_METRICS)) {
        measurements.push({
          name: metric,
          value: round(r[key] as number),
          unit: metric === 'throughputPerSec' ? 'samples/s' : 'ms',
          conditions: { batch: r.batch, threads: r.threads, ep: r.provider, queries: r.queries },
        });
      }
    }

    const dedicated: LatencyRow[] = [];
    const claims = await judgeEfficiencyClaims(c, run.claims, session, { rows, info, memory, timing, seed, level: run.level, dedicated });
    const load = loadRecords([...rows, ...dedicated]);
    const loaded = loadedMachineFinding(load, '5.2.4.f');
    const nodes = info.notCounted.map((n) => `${n.name} (${n.op})`).join(', ');
    const result = buildClauseResult(run, {
      rationale: (reason) => ({
        zh:
          `${reason.zh}。推理在 ${session.provider} 上以声明的批量 ${dBatch} 运行；计时了 ${rows.length} 种批量。` +
          `${nodes ? `乘加运算量不含未计数的节点：${nodes}。` : ''}`,
        en:
          `${reason.en}. Inference ran at the declared batch ${dBatch} on ${session.provider}; ${rows.length} batch sizes timed.` +
          `${nodes ? ` MACs exclude nodes not counted: ${nodes}.` : ''}`,
      }),
      claims,
      measurements,
      tables: [
        tableFromRows('latency', { zh: '各批量的延迟与吞吐量', en: 'Latency and throughput per batch size' }, rows.map(latencyTableRow)),
        ...(variants.length
          ? [
              tableFromRows(
                'variants',
                { zh: '模型变体：精度与延迟', en: 'Model variants: accuracy vs latency' },
                variants.map((v) => ({ ...v })),
              ),
            ]
          : []),
      ],
      settings: {
        ep,
        threads: opts.threads ?? 'default',
        batchSizes,
        timing,
        seed,
        inputName,
        declaredBatch: dBatch,
        inputData: SYNTHETIC_INPUT_DATA,
        variantSamples: opts.variantSamples ?? 40,
      },
      environment: { ...collectEnvironment(session.providerInfo()), load },
      findings: loaded ? [loaded] : [],
    });
    return {
      result,
      figures: efficiencyFigures(
        rows,
        variants,
        paretoFront(
          variants.map((v) => v.latencyP50Ms),
          variants.map((v) => v.score),
        ),
      ),
      rows,
      variants,
      memory,
    };
  } finally {
    await session.release();
  }
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** A latency row for tables (no raw samples). */
export function latencyTableRow(r: LatencyRow): Record<string, unknown> {
  return {
    batch: r.batch,
    threads: r.threads,
    provider: r.provider,
    queries: r.queries,
    p50Ms: round(r.p50Ms),
    p90Ms: round(r.p90Ms),
    p99Ms: round(r.p99Ms),
    throughputPerSec: round(r.throughputPerSec),
  };
}

interface ClaimContext {
  rows: LatencyRow[];
  info: ModelInspection;
  memory?: MemoryProbe;
  timing: Required<TimingOptions>;
  seed: number;
  level: number;
  /** Rows timed for a claim's own conditions (their load averages are recorded too). */
  dedicated: LatencyRow[];
}

/** Judges the 5.2.4 claims; latency claims are measured under their own conditions when these differ from the sweep. */
async function judgeEfficiencyClaims(c: LoadedCase, claims: Claim[], session: ModelSession, ctx: ClaimContext): Promise<ClaimCheck[]> {
  const out: ClaimCheck[] = [];
  for (const claim of claims) out.push(await judgeOne(c, session, claim, ctx));
  return out;
}

async function judgeOne(c: LoadedCase, session: ModelSession, claim: Claim, ctx: ClaimContext): Promise<ClaimCheck> {
  const cond = claim.conditions ?? {};
  switch (claim.metric) {
    case 'macs':
      return judgeClaim(
        claim,
        ctx.info.macs,
        ctx.info.macsComplete ? undefined : { zh: '下界：部分节点未计数', en: 'lower bound: some nodes not counted' },
        {
          rule: ctx.info.macsComplete ? 'exact' : 'lower-bound',
        },
      );
    case 'flops':
      return judgeClaim(
        claim,
        ctx.info.flops,
        ctx.info.macsComplete ? undefined : { zh: '下界：部分节点未计数', en: 'lower bound: some nodes not counted' },
        {
          rule: ctx.info.macsComplete ? 'exact' : 'lower-bound',
        },
      );
    case 'parameters':
      return judgeClaim(claim, ctx.info.parameters.total, undefined, { rule: 'exact' });
    case 'modelBytes':
      return judgeClaim(claim, statSync(c.modelPath).size, undefined, { rule: 'exact' });
    case 'peakRssMB':
      // one probe process: the peak is what that process reached (a single measurement, decided as read)
      return judgeClaim(
        claim,
        ctx.memory?.modelPeakMB,
        ctx.memory
          ? { zh: '单个探测进程', en: 'one probe process' }
          : { zh: '未测量内存（measureMemory=false）', en: 'memory was not measured (measureMemory=false)' },
        {
          n: ctx.memory ? 1 : null,
          rule: ctx.memory ? 'exact' : 'none',
        },
      );
  }
  const key = LATENCY_METRICS[claim.metric];
  if (!key)
    return judgeClaim(claim, undefined, {
      zh: `6.3.4 不测量指标 "${claim.metric}"`,
      en: `metric "${claim.metric}" is not measured by 6.3.4`,
    });
  const batch = typeof cond.batch === 'number' ? cond.batch : 1;
  const threads = typeof cond.threads === 'number' ? cond.threads : undefined;
  const ep = typeof cond.ep === 'string' ? (cond.ep as EpChoice) : undefined;
  const sweepThreads = ctx.rows[0]?.threads;
  let row = ctx.rows.find(
    (r) => r.batch === batch && (threads === undefined || r.threads === threads) && (ep === undefined || r.provider === ep),
  );
  if (!row) {
    const s = await openModel(c.modelPath, { ep: ep ?? session.requestedProvider, threads });
    s.bind(caseSessionBindings(c));
    try {
      if (ep && ep !== 'auto' && s.provider !== ep)
        return judgeClaim(claim, undefined, {
          zh: `声称的执行提供程序 ${ep} 在本机不可用（实际运行 ${s.provider}，原因见附录A）`,
          en: `claimed provider ${ep} is not available here (ran ${s.provider}, see appendix A)`,
        });
      row = await timeBatch(s, c.spec.io.input, declaredShape(c, batch), ctx.timing, ctx.seed, threads ?? 'default');
      ctx.dedicated.push(row);
    } finally {
      await s.release();
    }
  }
  return judgeClaim(
    claim,
    row[key] as number,
    {
      zh:
        `在批量 ${row.batch}、${row.threads} 线程${sweepThreads !== row.threads ? '（单独运行）' : ''}、执行提供程序 ` +
        `${row.provider} 下测量，${row.queries} 次查询`,
      en:
        `measured at batch ${row.batch}, threads ${row.threads}` +
        `${sweepThreads !== row.threads ? ' (dedicated run)' : ''}, provider ${row.provider}, ${row.queries} ` +
        `queries`,
    },
    timingEvidence(row, key as TimedKey, ctx.seed, ctx.level),
  );
}
