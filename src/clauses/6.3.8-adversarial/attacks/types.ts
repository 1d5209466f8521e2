/**
 * Types shared by the black-box adversarial attacks of clause 6.3.8. An attack sees the model only
 * through an {@link AttackTarget}: a batch query that returns, per candidate, a loss (lower is more
 * adversarial; used by score-based attacks) and whether the candidate is adversarial (the only thing
 * decision-based attacks use). Inputs are flat Float32Arrays of `n × dim` values in the space the
 * target defines (6.3.8 uses the model-input space, after the case's pre-processing).
 */
import type { Bilingual } from '../../../results/types.js';

/** Perturbation norm: L∞ (max absolute change per element) or L2 (Euclidean length). */
export type Norm = 'linf' | 'l2';

/** What one query batch returns, per candidate. */
export interface QueryResult {
  /** Objective to minimise (classification: probability margin of the true class; segmentation: soft Dice). */
  loss: Float64Array;
  /** 1 when the candidate fools the model (wrong class; Dice drop beyond the success threshold). */
  adversarial: Uint8Array;
}

/** The model as an attack sees it: outputs only (black box). */
export interface AttackTarget {
  /** Elements per sample. */
  dim: number;
  /** `[channels, height, width]` for images (square windows); absent for feature vectors. */
  imageShape?: [number, number, number];
  /** Lowest valid value per element (length `dim`). */
  lower: Float32Array;
  /** Highest valid value per element (length `dim`). */
  upper: Float32Array;
  /**
   * Evaluates candidates: `x` holds `idx.length` samples (`dim` values each); `idx[k]` is the index of
   * the original sample candidate `k` attacks (labels, masks). Each candidate is one model query.
   */
  query(x: Float32Array, idx: Int32Array): Promise<QueryResult>;
}

/** Budget and randomness of one attack run. */
export interface AttackOptions {
  norm: Norm;
  /**
   * Perturbation budget in the target's units (score-based attacks stay within it; decision-based ones minimise the
   * distance and are judged against it).
   */
  epsilon: number;
  /** Maximum model queries per sample (the initial query included). */
  maxQueries: number;
  seed: number;
}

/** Outcome of an attack on `n` samples. */
export interface AttackResult {
  /** Final candidates, `n × dim`. */
  xAdv: Float32Array;
  /** 1 when the final candidate is adversarial (for decision-based attacks: at any distance). */
  adversarial: Uint8Array;
  /** Norm of the final perturbation per sample (`Infinity` when a decision-based attack found no adversarial point). */
  distance: Float64Array;
  /** Final loss per sample. */
  loss: Float64Array;
  /** Model queries spent per sample. */
  queries: Int32Array;
}

/** An attack of the registry. */
export interface AttackDefinition {
  /** Registry name, e.g. `square`. */
  name: string;
  /** Other names accepted in claims and parameters (e.g. `random-search` for Square Attack). */
  aliases: string[];
  /** `score` attacks use the loss; `decision` attacks only the adversarial flag. */
  kind: 'score' | 'decision';
  norms: Norm[];
  title: Bilingual;
  /** The paper that defines it. */
  reference: string;
  /**
   * Runs the attack.
   * @param target the model as a black box
   * @param x0 clean samples, `n × target.dim`
   * @param opts norm, budget, query limit, seed
   */
  run(target: AttackTarget, x0: Float32Array, opts: AttackOptions): Promise<AttackResult>;
}
