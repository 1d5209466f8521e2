/**
 * Evidence for claim decisions on timed quantities: percentile-bootstrap intervals of latency
 * percentiles, mean latency and throughput over the per-query samples of one timed configuration, and
 * the load-average record (and finding) of timed blocks.
 */
import { cpus } from 'node:os';
import type { Finding } from '../../results/types.js';
import { bootstrapCI, bootstrapReplicates, percentileInterval } from '../../metrics/ci.js';
import type { EvidenceInput } from '../judge.js';
import type { LatencyRow } from './efficiency-measure.js';
import { percentile } from './timing.js';

/** The latency-row fields a claim can name. */
export type TimedKey = 'p50Ms' | 'p90Ms' | 'p99Ms' | 'meanMs' | 'throughputPerSec';

/**
 * The interval of one timed quantity of a row: a percentile bootstrap (seeded, 500 resamples) over its
 * per-query latencies; throughput = batch × queries / Σ latency of the resample.
 * @param row a timed configuration (with its samples)
 * @param key the quantity
 * @example
 * judgeClaim(claim, row.p99Ms, note, timingEvidence(row, 'p99Ms', 42, 0.95));
 */
export function timingEvidence(row: LatencyRow, key: TimedKey, seed: number, level = 0.95): EvidenceInput {
  const xs = row.timing.samplesMs;
  if (xs.length < 2) return { n: xs.length, ci: null, rule: 'none' };
  const stat = (idx: Int32Array): number => {
    if (key === 'meanMs' || key === 'throughputPerSec') {
      let sum = 0;
      for (const i of idx) sum += xs[i]!;
      return key === 'meanMs' ? sum / idx.length : (row.batch * idx.length) / (sum / 1000);
    }
    const sorted = Array.from(idx, (i) => xs[i]!).sort((a, b) => a - b);
    return percentile(sorted, key === 'p50Ms' ? 50 : key === 'p90Ms' ? 90 : 99);
  };
  return { n: xs.length, ci: bootstrapCI(stat, xs.length, { seed, iterations: 500, level }) };
}

/**
 * The interval of a speed-up (throughput of `row` ÷ throughput of `base`): the two configurations are
 * timed independently, so each is resampled on its own (seeded percentile bootstrap, 500 resamples).
 * @example
 * judgeClaim(claim, row.throughputPerSec / base.throughputPerSec, note, speedupEvidence(row, base, 42));
 */
export function speedupEvidence(row: LatencyRow, base: LatencyRow, seed: number, level = 0.95): EvidenceInput {
  const a = row.timing.samplesMs;
  const b = base.timing.samplesMs;
  if (a.length < 2 || b.length < 2) return { n: Math.min(a.length, b.length), ci: null, rule: 'none' };
  const tput = (xs: number[], batch: number) => (idx: Int32Array) => {
    let sum = 0;
    for (const i of idx) sum += xs[i]!;
    return (batch * idx.length) / sum;
  };
  const ra = bootstrapReplicates([tput(a, row.batch)], a.length, { seed, iterations: 500, level })[0]!;
  const rb = bootstrapReplicates([tput(b, base.batch)], b.length, { seed: seed + 1, iterations: 500, level })[0]!;
  const ratio = ra.map((v, i) => v / rb[i]!);
  return { n: Math.min(a.length, b.length), ci: percentileInterval(ratio, level) };
}

/** One load-average record of `environment.load`. */
export interface LoadRecord {
  block: string;
  before: number;
  after: number;
}

/** The load records of timed rows ("batch 8, threads 2"). */
export function loadRecords(rows: LatencyRow[]): LoadRecord[] {
  return rows.map((r) => ({
    block: `batch ${r.batch}, threads ${r.threads}, ${r.provider}`,
    before: r.timing.load.before,
    after: r.timing.load.after,
  }));
}

/**
 * A minor finding when any timed block started on a loaded machine: a 1-minute load average before the
 * block above half the logical cores (other work competed for the CPU, so the timings are pessimistic).
 * @param item the sub-item the timings evidence
 * @returns the finding, or `undefined` when the machine was quiet
 */
export function loadedMachineFinding(records: LoadRecord[], item: string, cores = cpus().length): Finding | undefined {
  const busy = records.filter((r) => r.before > cores / 2);
  if (!busy.length) return undefined;
  const max = Math.max(...busy.map((r) => r.before));
  return {
    id: 'timing-loaded-machine',
    severity: 'minor',
    item,
    text: {
      zh: `${busy.length} 个计时块开始时机器负载较高（1 分钟平均负载最高 ${max.toFixed(2)}，逻辑核 ${cores} 个），时延偏悲观`,
      en:
        `${busy.length} timed block(s) started on a loaded machine (1-minute load average up to ` +
        `${max.toFixed(2)} on ${cores} logical cores); timings are pessimistic`,
    },
    measured: { cores, blocks: busy },
  };
}
