import type { Bilingual } from '../../results/types.js';
/** Row types of clause 6.3.2's tables (shared by evaluate.ts and figures.ts). */

/** One configuration of the sweep. */
export interface ScalingRow {
  provider: string;
  mode: 'sequential' | 'parallel';
  threads: number;
  batch: number;
  p50Ms: number;
  p99Ms: number;
  throughputPerSec: number;
  /** Throughput ÷ the 1-thread throughput of the same provider, mode and batch. */
  speedup: number;
  /** speedup ÷ threads. */
  parallelEfficiency: number;
}

/** A provider that could not be used here. */
export interface UnavailableProvider {
  provider: string;
  /** Plain text (English, onnxruntime's own message quoted as it is). */
  reason: string;
  /** The reason in both languages (the quoted message unchanged). */
  text: Bilingual;
}
