import type { Modality } from '../../../case/types.js';
import type { Rng } from '../../../util/random.js';

/** What a corruption may know about the data it corrupts (measured on the clean set). */
export interface CorruptionContext {
  /** Raw value range of the clean data (e.g. [-1000, 1000] HU): noise and shifts scale with it. */
  range: [number, number];
  /** Tabular: per-feature mean and standard deviation of the clean data. */
  featureMean?: Float32Array;
  featureStd?: Float32Array;
}

/**
 * One corruption of 6.3.6 with five severities. `params[s - 1]` are the recorded parameters of
 * severity s (1…5); severity 0 is the identity.
 */
export interface Corruption {
  /** kebab-case name used in claims, e.g. `gaussian-noise`. */
  name: string;
  title: { zh: string; en: string };
  modalities: readonly Modality[];
  /** The parameters of severities 1…5, recorded in the evidence. */
  params: readonly Record<string, number>[];
  /**
   * Corrupts `x` (raw values, N first, C order) at one severity and returns a new array.
   * For images the last two dimensions are height and width.
   */
  apply(x: Float32Array, shape: readonly number[], p: Record<string, number>, rng: Rng, ctx: CorruptionContext): Float32Array;
}
