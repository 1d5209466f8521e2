import { loadavg } from 'node:os';
/**
 * Latency measurement in the MLPerf style: warm-up runs excluded, then at least `minQueries`
 * queries AND at least `minDurationMs` of measurement (whichever is later), capped by `maxQueries`.
 */
export interface TimingOptions {
  /** Warm-up runs, not measured (default 3). */
  warmup?: number;
  /** Minimum measured queries (default 20). */
  minQueries?: number;
  /** Minimum measured duration in ms (default 500). */
  minDurationMs?: number;
  /** Upper bound on measured queries (default 10 000). */
  maxQueries?: number;
}

/** Latency samples and summary of one timed configuration. */
export interface TimingResult {
  /** Per-query latency in ms, in run order. */
  samplesMs: number[];
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  /** Sum of measured latencies in ms. */
  totalMs: number;
  settings: Required<TimingOptions>;
  /** 1-minute load average just before and just after the timed block (os.loadavg). */
  load: { before: number; after: number };
}

/**
 * Percentile by linear interpolation between closest ranks (numpy's default `linear` method).
 * @param sorted ascending values
 * @param p percentile in [0, 100]
 * @example
 * percentile([1, 2, 3, 4], 50); // 2.5
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = ((n - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Times an async query repeatedly.
 * @param query one inference (or any unit of work)
 * @returns latency samples (ms) with p50/p90/p99
 * @example
 * const t = await timeQueries(() => session.run(feeds), { warmup: 2, minQueries: 30 });
 */
export async function timeQueries(query: () => Promise<unknown>, opts: TimingOptions = {}): Promise<TimingResult> {
  const settings = {
    warmup: opts.warmup ?? 3,
    minQueries: opts.minQueries ?? 20,
    minDurationMs: opts.minDurationMs ?? 500,
    maxQueries: opts.maxQueries ?? 10_000,
  };
  const loadBefore = loadavg()[0]!;
  for (let i = 0; i < settings.warmup; i++) await query();
  const samples: number[] = [];
  const begin = performance.now();
  while (
    samples.length < settings.maxQueries &&
    (samples.length < settings.minQueries || performance.now() - begin < settings.minDurationMs)
  ) {
    const t0 = performance.now();
    await query();
    samples.push(performance.now() - t0);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const totalMs = samples.reduce((a, b) => a + b, 0);
  return {
    samplesMs: samples,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    mean: totalMs / samples.length,
    totalMs,
    settings,
    load: { before: loadBefore, after: loadavg()[0]! },
  };
}
