import { castFloat32, isCastable } from '../../model/cast.js';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ModelSession } from '../../model/types.js';
import { EvaluationError } from '../../util/errors.js';
import { syntheticInput } from './inputs.js';
import { timeQueries, type TimingOptions, type TimingResult } from './timing.js';

/** Latency and throughput of one configuration. */
export interface LatencyRow {
  batch: number;
  threads: number | 'default';
  provider: string;
  queries: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Samples per second = batch × queries / measured seconds. */
  throughputPerSec: number;
  timing: TimingResult;
}

/**
 * Times `session` at one batch size on seeded synthetic input.
 * @param shape the full input shape (batch first)
 * @example
 * const row = await timeBatch(session, 'input', [1, 1, 64, 64], { minQueries: 30 }, 42);
 */
export async function timeBatch(
  session: ModelSession,
  inputName: string,
  shape: number[],
  timing: TimingOptions,
  seed: number,
  threads: number | 'default' = 'default',
): Promise<LatencyRow> {
  const x = syntheticInput(shape, seed);
  // a uint8 / int64 / float16 data input gets the synthetic data cast as every clause's inference does
  const type = session.inputs.find((i) => i.name === inputName)?.type ?? 'float32';
  const dtype = isCastable(type) ? type : 'float32';
  const feeds = { [inputName]: new ort.Tensor(dtype, castFloat32(x, dtype), shape) };
  const t = await timeQueries(() => session.run(feeds), timing);
  const batch = shape[0]!;
  return {
    batch,
    threads,
    provider: session.provider,
    queries: t.samplesMs.length,
    p50Ms: t.p50,
    p90Ms: t.p90,
    p99Ms: t.p99,
    meanMs: t.mean,
    throughputPerSec: (batch * t.samplesMs.length) / (t.totalMs / 1000),
    timing: t,
  };
}

/** Peak resident memory of a fresh process that opens the model and runs it. */
export interface MemoryProbe {
  /** Peak RSS after loading onnxruntime, before the session (MiB). */
  baselineMB: number;
  /** Peak RSS after session creation and 3 inferences (MiB). */
  peakMB: number;
  /** peakMB − baselineMB: what the model and its session added. */
  modelPeakMB: number;
  provider: string;
}

/**
 * Measures peak memory in a child Node process (so nothing else of the caller is counted).
 * @param shape input shape of the probe runs
 * @param caseDir the case, whose io.constants/io.state (and adapter) feed the model's other inputs
 * @throws Error when the probe fails (its stderr is in the message)
 */
export function probeMemory(
  modelPath: string,
  inputName: string,
  shape: number[],
  ep: string,
  threads?: number,
  caseDir?: string,
): Promise<MemoryProbe> {
  const script = join(__dirname, 'memory-probe.js');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [script, modelPath, inputName, JSON.stringify(shape), ep, threads ? String(threads) : '', caseDir ?? ''],
      { timeout: 120_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new EvaluationError(`memory probe failed: ${stderr || err.message}`, { clause: '6.3.4', cause: err }));
        const r = JSON.parse(stdout.trim().split('\n').pop()!) as { baselineKB: number; peakKB: number; provider: string };
        const mb = (kb: number) => kb / 1024;
        resolve({ baselineMB: mb(r.baselineKB), peakMB: mb(r.peakKB), modelPeakMB: mb(r.peakKB - r.baselineKB), provider: r.provider });
      },
    );
  });
}
