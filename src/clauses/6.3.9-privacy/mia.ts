/**
 * Clause 6.3.9 (5.2.9 a): membership inference. Given the model's outputs on samples known to be in
 * the training set (members) and on held-out samples (non-members), an attacker scores each sample;
 * the better the scores separate the two, the more the model leaks about its training data.
 *
 * - Loss-threshold attack (Yeom, Giacomelli, Fredrikson & Jha, "Privacy risk in machine learning:
 *   analyzing the connection to overfitting", CSF 2018): score = −loss (members have lower loss);
 *   classification: cross-entropy −ln p_y; segmentation: mean per-pixel binary cross-entropy.
 * - Confidence attack (Salem et al., "ML-Leaks", NDSS 2019, threshold variant): score = the model's
 *   confidence, without labels; classification: max class probability; segmentation: mean over
 *   pixels of max(p, 1 − p).
 * Every threshold is swept: ROC, AUC, TPR at FPR ≤ 0.1 % and ≤ 1 % (the resolution of FPR is
 * 1/non-members: with fewer than 1000 non-members "TPR at 0.1 % FPR" is the TPR at FPR 0), and the
 * membership advantage max(TPR − FPR) (Yeom et al.'s advantage at the best threshold).
 */
import type { Prediction } from '../../case/predict.js';
import type { Dataset } from '../../data/types.js';
import { rocAucScore, rocCurvePoints } from '../../metrics/ranking.js';
import { Rng } from '../../util/random.js';

const EPS = 1e-7;

/** Per-sample attack features: loss and confidence. */
export interface MembershipFeatures {
  loss: Float64Array;
  confidence: Float64Array;
}

/**
 * Loss and confidence per sample from a prediction on a labelled data set.
 * @param pred the model's prediction on `ds`
 * @param ds the data set (labels for classification, masks for segmentation)
 * @example
 * const f = membershipFeatures(await cm.predict(ds.x, ds.shape), ds);
 */
export function membershipFeatures(pred: Prediction, ds: Dataset): MembershipFeatures {
  const n = ds.ids.length;
  const loss = new Float64Array(n),
    confidence = new Float64Array(n);
  if (pred.masks) {
    const hw = pred.probs.length / n;
    for (let s = 0; s < n; s++) {
      let l = 0,
        cf = 0;
      for (let i = s * hw; i < (s + 1) * hw; i++) {
        const p = Math.min(1 - EPS, Math.max(EPS, pred.probs[i]!));
        l -= ds.masks![i] ? Math.log(p) : Math.log(1 - p);
        cf += Math.max(p, 1 - p);
      }
      loss[s] = l / hw;
      confidence[s] = cf / hw;
    }
    return { loss, confidence };
  }
  const c = pred.numClasses;
  for (let s = 0; s < n; s++) {
    const row = pred.probs.subarray(s * c, (s + 1) * c);
    loss[s] = -Math.log(Math.max(EPS, row[ds.y![s]!]!));
    confidence[s] = Math.max(...row);
  }
  return { loss, confidence };
}

/** Outcome of one membership attack. */
export interface MembershipAttackResult {
  attack: 'loss' | 'confidence';
  members: number;
  nonMembers: number;
  auc: number;
  /** TPR at FPR ≤ 0.001. */
  tprAt01Fpr: number;
  /** TPR at FPR ≤ 0.01. */
  tprAt1Fpr: number;
  /** max over thresholds of TPR − FPR. */
  advantage: number;
  fpr: number[];
  tpr: number[];
}

/**
 * Scores an attack: `isMember` 1/0 per sample, `score` higher = more likely a member.
 * @example
 * membershipAttack('loss', Uint8Array.of(1, 1, 0, 0), [-0.1, -0.2, -0.9, -1.2]).auc; // 1
 */
export function membershipAttack(attack: 'loss' | 'confidence', isMember: Uint8Array, score: ArrayLike<number>): MembershipAttackResult {
  const roc = rocCurvePoints(isMember, score);
  const at = (a: number) => roc.tpr.reduce((m, t, i) => (roc.fpr[i]! <= a + 1e-12 ? Math.max(m, t) : m), 0);
  const advantage = roc.tpr.reduce((m, t, i) => Math.max(m, t - roc.fpr[i]!), 0);
  const members = isMember.reduce((a, b) => a + b, 0);
  return {
    attack,
    members,
    nonMembers: isMember.length - members,
    auc: rocAucScore(isMember, score),
    tprAt01Fpr: at(0.001),
    tprAt1Fpr: at(0.01),
    advantage,
    fpr: roc.fpr,
    tpr: roc.tpr,
  };
}

/**
 * A balanced, seeded choice of members and non-members: `min(nMembers, nNonMembers, perSide)` each.
 * @returns indices into the member and non-member sets
 * @example
 * balancedMembership(280, 120, 50, 42); // 50 + 50 indices
 */
export function balancedMembership(
  nMembers: number,
  nNonMembers: number,
  perSide: number,
  seed: number,
): { members: Int32Array; nonMembers: Int32Array } {
  const k = Math.min(nMembers, nNonMembers, perSide);
  const rng = new Rng(seed);
  const members = rng.permutation(nMembers).slice(0, k).sort();
  const nonMembers = rng.permutation(nNonMembers).slice(0, k).sort();
  return { members, nonMembers };
}
