import type { Modality } from '../../../case/types.js';
import { InputError } from '../../../util/errors.js';
import { Rng } from '../../../util/random.js';
import { doseReduction, ringArtefact, streakArtefact } from './ct.js';
import {
  brightness,
  contrast,
  gaussianBlur,
  gaussianNoise,
  impulseNoise,
  jpeg,
  motionBlurCorruption,
  pixelateCorruption,
  shotNoise,
} from './image.js';
import { gaussianPerturbation, missingValues, signalNoise } from './tabular.js';
import type { Corruption, CorruptionContext } from './types.js';

/** The explicit registry of corruptions (6.3.6), in report order. */
export const CORRUPTIONS: readonly Corruption[] = [
  gaussianNoise,
  shotNoise,
  impulseNoise,
  gaussianBlur,
  motionBlurCorruption,
  contrast,
  brightness,
  pixelateCorruption,
  jpeg,
  ringArtefact,
  streakArtefact,
  doseReduction,
  gaussianPerturbation,
  missingValues,
  signalNoise,
];

/**
 * The corruptions that apply to a modality.
 * @example
 * corruptionsFor('ct').map((c) => c.name); // ['gaussian-noise', …, 'dose-reduction']
 */
export function corruptionsFor(modality: Modality): Corruption[] {
  return CORRUPTIONS.filter((c) => c.modalities.includes(modality));
}

/**
 * The random-noise corruption of a modality, for exploration cells that work on any case: `gaussian-noise` where the
 * modality has it, else its first corruption whose name says noise, else its first corruption; undefined when the
 * modality has none (text).
 * @example
 * noiseCorruptionFor('ct'); // 'gaussian-noise'
 * noiseCorruptionFor('signal'); // 'additive-noise'
 */
export function noiseCorruptionFor(modality: Modality): string | undefined {
  const names = corruptionsFor(modality).map((k) => k.name);
  return names.find((n) => n === 'gaussian-noise') ?? names.find((n) => /noise/.test(n)) ?? names[0];
}

/**
 * Looks a corruption up by name for a modality.
 * @throws InputError naming the known corruptions when there is none of that name
 */
export function getCorruption(name: string, modality: Modality): Corruption {
  const c = corruptionsFor(modality).find((k) => k.name === name);
  if (!c)
    throw new InputError(`unknown corruption "${name}" for modality ${modality}`, {
      field: 'corruptions',
      remedy: `use one of ${corruptionsFor(modality)
        .map((k) => k.name)
        .join(', ')}`,
    });
  return c;
}

/**
 * Applies a corruption at a severity (0 = identity, 1…5) with a seed derived from `seed`, the
 * corruption and the severity, so every (corruption, severity) cell is reproducible on its own.
 */
export function corrupt(
  c: Corruption,
  x: Float32Array,
  shape: readonly number[],
  severity: number,
  seed: number,
  ctx: CorruptionContext,
): Float32Array {
  if (!Number.isInteger(severity) || severity < 0 || severity > c.params.length)
    throw new InputError(`severity ${severity} outside 0…${c.params.length}`, { field: 'severity' });
  if (severity === 0) return Float32Array.from(x);
  const idx = CORRUPTIONS.indexOf(c);
  return c.apply(x, shape, c.params[severity - 1]!, new Rng((seed * 1000003 + idx * 101 + severity) >>> 0), ctx);
}

/** The corruption context measured on clean data: value range and per-feature mean/std (tabular). */
export function corruptionContext(x: Float32Array, shape: readonly number[], modality: Modality): CorruptionContext {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of x) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const ctx: CorruptionContext = { range: modality === 'ct' ? [Math.max(lo, -1024), Math.min(hi, 3071)] : [lo, hi] };
  if (modality === 'tabular') {
    const f = shape.slice(1).reduce((a, b) => a * b, 1);
    const n = x.length / f;
    const mean = new Float32Array(f);
    const sq = new Float32Array(f);
    for (let i = 0; i < x.length; i++) {
      mean[i % f]! += x[i]! / n;
      sq[i % f]! += (x[i]! * x[i]!) / n;
    }
    ctx.featureMean = mean;
    ctx.featureStd = mean.map((m, j) => Math.sqrt(Math.max(0, sq[j]! - m * m)));
  }
  return ctx;
}
