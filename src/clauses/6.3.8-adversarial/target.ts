/**
 * Clause 6.3.8 helpers: the case model as a black-box {@link AttackTarget} in model-input space
 * (after the case's pre-processing), with the valid range the perturbations are clipped to.
 *
 * Space and range (documented choice): budgets ε are in model-input units, the units providers state
 * their claims in (standardised features for tabular models; `(HU − offset)·scale` for CT, so with
 * scale 0.0005 an ε of 0.01 is 20 HU). Valid range: for an `affine` pre-processing with `clip`, the
 * image of the clip interval (CT: [−1000, 1000] HU → [0, 1]); otherwise, per element, the min..max of
 * the evaluated data set in model space (tabular features stay within observed values); or the
 * `bounds` given by the caller.
 */
import type { AttackTarget, QueryResult } from './attacks/types.js';
import type { CaseModel } from '../../case/predict.js';
import type { LoadedCase } from '../../case/types.js';
import type { Bilingual } from '../../results/types.js';

/** Ground truth and clean results the target judges candidates against. */
export interface TargetTruth {
  /** Classification: true class per original sample. */
  y?: Int32Array;
  /** Segmentation: ground-truth masks (n × H × W, 0/1). */
  masks?: Uint8Array;
  /** Segmentation: clean hard Dice per original sample. */
  cleanDice?: Float64Array;
  /** Segmentation: a candidate is adversarial when its Dice ≤ clean Dice − successDrop. */
  successDrop?: number;
}

/**
 * The valid range per element in model space (see the module comment).
 * @param c the case
 * @param xm model-space data (`n × dim`) used for data-derived bounds
 * @param dim elements per sample
 * @param bounds explicit scalar bounds (model space), overriding the rest
 * @returns lower/upper arrays and how they were chosen
 */
export function validRange(
  c: LoadedCase,
  xm: Float32Array,
  dim: number,
  bounds?: [number, number],
): { lower: Float32Array; upper: Float32Array; source: Bilingual } {
  const lower = new Float32Array(dim),
    upper = new Float32Array(dim);
  const p = c.spec.io.preprocess;
  if (bounds) {
    lower.fill(bounds[0]);
    upper.fill(bounds[1]);
    const b = `[${bounds[0]}, ${bounds[1]}]`;
    return { lower, upper, source: { zh: `给定的边界 ${b}（模型空间）`, en: `given bounds ${b} (model space)` } };
  }
  if (p?.kind === 'affine' && p.clip) {
    const a = (p.clip[0] - p.offset) * p.scale,
      b = (p.clip[1] - p.offset) * p.scale;
    lower.fill(Math.min(a, b));
    upper.fill(Math.max(a, b));
    return {
      lower,
      upper,
      source: {
        zh: `预处理截断区间 [${p.clip[0]}, ${p.clip[1]}] 映射到模型空间 [${Math.min(a, b)}, ${Math.max(a, b)}]`,
        en: `pre-processing clip [${p.clip[0]}, ${p.clip[1]}] mapped to model space [${Math.min(a, b)}, ${Math.max(a, b)}]`,
      },
    };
  }
  lower.fill(Infinity);
  upper.fill(-Infinity);
  for (let i = 0; i < xm.length; i++) {
    const j = i % dim;
    if (xm[i]! < lower[j]!) lower[j] = xm[i]!;
    if (xm[i]! > upper[j]!) upper[j] = xm[i]!;
  }
  return {
    lower,
    upper,
    source: { zh: '被评估数据集在模型空间中逐元素的最小值至最大值', en: 'per-element min..max of the evaluated data set in model space' },
  };
}

/** Soft Dice of probabilities `p` against a 0/1 mask `g` (1 when both are empty). */
export function softDice(p: Float32Array, po: number, g: Uint8Array, go: number, len: number): number {
  let inter = 0,
    sp = 0,
    sg = 0;
  for (let i = 0; i < len; i++) {
    inter += p[po + i]! * g[go + i]!;
    sp += p[po + i]!;
    sg += g[go + i]!;
  }
  return sp + sg === 0 ? 1 : (2 * inter) / (sp + sg);
}

/** Hard Dice of mask `m` against mask `g` (1 when both are empty). */
export function hardDice(m: Uint8Array, mo: number, g: Uint8Array, go: number, len: number): number {
  let inter = 0,
    s = 0;
  for (let i = 0; i < len; i++) {
    inter += m[mo + i]! & g[go + i]!;
    s += m[mo + i]! + g[go + i]!;
  }
  return s === 0 ? 1 : (2 * inter) / s;
}

/**
 * The case model as an attack target. Classification loss: probability margin `p_y − max_{k≠y} p_k`
 * (adversarial when the decided class differs from `y`); segmentation loss: soft Dice against the
 * ground-truth mask (adversarial when hard Dice ≤ clean Dice − successDrop).
 * @param c the case
 * @param cm the opened case model
 * @param modelShape model input shape of one batch (batch dim ignored)
 * @param range valid range from {@link validRange}
 * @param truth labels or masks of the original samples
 * @param batchSize inference batch size
 * @example
 * const t = caseAttackTarget(c, cm, [n, 30], validRange(c, xm, 30), { y: ds.y }, 64);
 */
export function caseAttackTarget(
  c: LoadedCase,
  cm: CaseModel,
  modelShape: number[],
  range: { lower: Float32Array; upper: Float32Array },
  truth: TargetTruth,
  batchSize: number,
): AttackTarget {
  const per = modelShape.slice(1);
  const dim = per.reduce((a, b) => a * b, 1);
  const seg = c.spec.task === 'segmentation';
  return {
    dim,
    imageShape: per.length === 3 ? (per as [number, number, number]) : per.length === 2 ? [1, per[0]!, per[1]!] : undefined,
    lower: range.lower,
    upper: range.upper,
    async query(x: Float32Array, idx: Int32Array): Promise<QueryResult> {
      const k = idx.length;
      const pred = await cm.predictModelSpace(x, [k, ...per], { batchSize });
      const loss = new Float64Array(k),
        adversarial = new Uint8Array(k);
      if (seg) {
        const hw = pred.probs.length / k;
        for (let j = 0; j < k; j++) {
          const s = idx[j]!;
          loss[j] = softDice(pred.probs, j * hw, truth.masks!, s * hw, hw);
          const d = hardDice(pred.masks!, j * hw, truth.masks!, s * hw, hw);
          adversarial[j] = d <= truth.cleanDice![s]! - (truth.successDrop ?? 0.1) ? 1 : 0;
        }
      } else {
        const nc = pred.numClasses;
        for (let j = 0; j < k; j++) {
          const y = truth.y![idx[j]!]!;
          let other = -Infinity;
          for (let q = 0; q < nc; q++) if (q !== y) other = Math.max(other, pred.probs[j * nc + q]!);
          loss[j] = pred.probs[j * nc + y]! - other;
          adversarial[j] = pred.labels![j] !== y ? 1 : 0;
        }
      }
      return { loss, adversarial };
    },
  };
}
