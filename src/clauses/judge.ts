/**
 * Claim decisions (DESIGN.md, "Decision rules"): a claim is met when the confidence interval of its
 * estimate clears the threshold, not met when the interval cannot reach it, otherwise inconclusive
 * (`met: null`, "insufficient evidence", with the sample size that would decide it at the observed
 * spread). Deterministic quantities are decided on their exact value (rule `exact`); a value known only
 * as a lower bound never satisfies `<=`/`<` (rule `lower-bound`).
 */
import type { Bilingual, ClaimCheck, ClaimEvidence, ConfidenceInterval, EvidenceRule, Verdict } from '../results/types.js';
import type { Claim } from '../case/types.js';

/** What a clause knows about the estimate behind a claim. */
export interface EvidenceInput {
  /** Samples or repeated measurements behind the estimate. */
  n?: number | null;
  /** The interval of the estimate (rule `ci`). */
  ci?: ConfidenceInterval | null;
  /** Default: `ci` when an interval is given, else `exact`. */
  rule?: EvidenceRule;
}

/** The decision of an interval `[low, high]` against a claim: true, false, or null (undecided). */
function decide(claim: Claim, low: number, high: number): boolean | null {
  const tol = claim.tolerance ?? 0;
  switch (claim.comparator) {
    case '>=':
      return low >= claim.value - tol ? true : high < claim.value - tol ? false : null;
    case '>':
      return low > claim.value - tol ? true : high <= claim.value - tol ? false : null;
    case '<=':
      return high <= claim.value + tol ? true : low > claim.value + tol ? false : null;
    case '<':
      return high < claim.value + tol ? true : low >= claim.value + tol ? false : null;
    case '==':
    case 'within':
      if (low >= claim.value - tol && high <= claim.value + tol) return true;
      return high < claim.value - tol || low > claim.value + tol ? false : null;
  }
}

/** The threshold of a one-sided claim (the nearer bound of a two-sided one). */
function threshold(claim: Claim, estimate: number): number {
  const tol = claim.tolerance ?? 0;
  if (claim.comparator === '>=' || claim.comparator === '>') return claim.value - tol;
  if (claim.comparator === '<=' || claim.comparator === '<') return claim.value + tol;
  const lo = claim.value - tol;
  const hi = claim.value + tol;
  return Math.abs(estimate - lo) < Math.abs(estimate - hi) ? lo : hi;
}

/**
 * The sample size that would decide an undecided interval at the observed spread (normal approximation:
 * the half-width shrinks with √n, so n′ ≈ n · (half-width / |estimate − threshold|)²); `null` when the
 * estimate sits on the threshold (no sample size decides it) or `n` is unknown.
 * @example
 * samplesNeeded(40, 0.86, { low: 0.84, high: 0.88, method: 'wilson', level: 0.95 }, 0.85); // 160
 */
export function samplesNeeded(
  n: number | null | undefined,
  estimate: number,
  ci: ConfidenceInterval,
  thresholdValue: number,
): number | null {
  const delta = Math.abs(estimate - thresholdValue);
  if (!n || !(delta > 0)) return null;
  const half = estimate > thresholdValue ? estimate - ci.low : ci.high - estimate;
  return Math.ceil(n * (half / delta) ** 2);
}

/**
 * Judges one claim against a measured value and the evidence behind it.
 * `<=`, `<`, `>=`, `>`: the comparison (threshold moved by the tolerance); `==` and `within`: the
 * interval inside `value ± tolerance`. With rule `ci` the interval decides (see the module comment);
 * with `exact` the value itself; with `lower-bound` the value is a lower bound of the truth; a missing
 * or non-finite measurement gives `met: null` (rule `none`) with a note.
 *
 * @param claim the provider's claim
 * @param measured the point estimate under the claim's conditions (`undefined` when not measured)
 * @param note optional note (e.g. the conditions actually used)
 * @param evidence the sample count, the interval and the rule (default: `ci` with an interval, else `exact`)
 * @example
 * judgeClaim({ id: 'c1', comparator: '>=', value: 0.85, … }, 0.9, undefined, { n: 40, ci: { low: 0.87, high: 0.93, … } }).met; // true
 */
export function judgeClaim(
  claim: Claim,
  measured: number | undefined | null,
  note?: string | Bilingual,
  evidence: EvidenceInput = {},
): ClaimCheck {
  const expected =
    `${claim.comparator} ${claim.value}${claim.tolerance !== undefined ? ` ± ${claim.tolerance}` : ''}` +
    `${claim.unit ? ` ${claim.unit}` : ''}`;
  const base = { id: claim.id, ...(claim.covers ? { covers: claim.covers } : {}), statement: claim.statement, expected };
  const n = evidence.n ?? null;
  if (measured === undefined || measured === null || !Number.isFinite(measured) || evidence.rule === 'none') {
    const given = bilingualNote(note) ?? { zh: '未在声称的条件下测量', en: 'not measured under the claimed conditions' };
    return {
      ...base,
      measured: measured ?? null,
      met: null,
      note: given.en,
      noteZh: given.zh,
      evidence: {
        n,
        estimate: measured !== undefined && measured !== null && Number.isFinite(measured) ? measured : null,
        ci: null,
        rule: 'none',
      },
    };
  }
  const ci = evidence.ci && Number.isFinite(evidence.ci.low) && Number.isFinite(evidence.ci.high) ? evidence.ci : null;
  const rule: EvidenceRule = evidence.rule ?? (ci ? 'ci' : 'exact');
  let met: boolean | null;
  let why: Bilingual | undefined;
  const ev: ClaimEvidence = { n, estimate: measured, ci: rule === 'ci' ? ci : null, rule };
  if (rule === 'ci' && ci) {
    met = decide(claim, ci.low, ci.high);
    if (met === null) {
      const t = threshold(claim, measured);
      ev.nNeeded = samplesNeeded(n, measured, ci, t);
      const pct = `${Math.round(ci.level * 1000) / 10} %`;
      const iv = `[${fmt(ci.low)}, ${fmt(ci.high)}]`;
      const tail: Bilingual =
        ev.nNeeded === null
          ? n && measured === t
            ? { zh: '按当前离散程度无法判定（估计值等于阈值）', en: 'cannot be decided at this spread (the estimate equals the threshold)' }
            : { zh: '需要更多样本', en: 'more samples are needed' }
          : {
              zh: `按当前离散程度约需 ${ev.nNeeded} 个样本（现有 ${n} 个）才能判定`,
              en: `about ${ev.nNeeded} samples (now ${n}) would decide it at the observed spread`,
            };
      why = {
        zh: `证据不足：${pct} 置信区间 ${iv} 包含阈值 ${fmt(t)}；${tail.zh}`,
        en: `insufficient evidence: the ${pct} interval ${iv} contains the threshold ${fmt(t)}; ${tail.en}`,
      };
    }
  } else if (rule === 'lower-bound') {
    const lowerOnly = claim.comparator === '>=' || claim.comparator === '>';
    const d = decide(claim, measured, Infinity);
    met = lowerOnly ? (d === true ? true : null) : d === false ? false : null;
    if (met === null)
      why = {
        zh: '实测值仅为下界，不能证明声称成立',
        en: 'the measured value is only a lower bound, which cannot show that the claim holds',
      };
  } else {
    met = decide(claim, measured, measured);
  }
  const check: ClaimCheck = { ...base, measured, met, evidence: ev };
  const notes = [why, bilingualNote(note)].filter((x): x is Bilingual => Boolean(x));
  if (notes.length) {
    check.note = notes.map((x) => x.en).join('; ');
    check.noteZh = notes.map((x) => x.zh).join('；');
  }
  return check;
}

/** A note as `{zh, en}`; a plain string is English (the zh side keeps it, as older results did). */
export function bilingualNote(note: string | Bilingual | undefined): Bilingual | undefined {
  if (note === undefined || note === '') return undefined;
  return typeof note === 'string' ? { zh: note, en: note } : note;
}

/** The note of a check in both languages (`noteZh` beside the English `note`); `undefined` without a note. */
export function checkNote(check: ClaimCheck): Bilingual | undefined {
  if (!check.note) return undefined;
  return { zh: check.noteZh ?? check.note, en: check.note };
}

/**
 * A check with `text` added to its note (after the existing note, or before it with `first`).
 * @example
 * withNote(check, { zh: '微调前已满足', en: 'met before fine-tuning' });
 */
export function withNote(check: ClaimCheck, text: Bilingual, first = false): ClaimCheck {
  const old = checkNote(check);
  if (!old) return { ...check, note: text.en, noteZh: text.zh };
  const [a, b] = first ? [text, old] : [old, text];
  return { ...check, note: `${a.en}; ${b.en}`, noteZh: `${a.zh}；${b.zh}` };
}

function fmt(v: number): string {
  return Math.abs(v) >= 1000 || v === Math.round(v) ? String(Math.round(v * 1000) / 1000) : v.toPrecision(4);
}

/**
 * A claim check made inconclusive: a decided check becomes `met: null` with the reason first in its note
 * (evidence budget below the clause's minimum, a finding that contradicts the claim's conditions).
 * An undecided or unmeasured check keeps its own note after the reason.
 * @example
 * undecided(check, 'evidence budget below minimum: 6 attack samples < 20, raise with -p samples=20');
 */
export function undecided(check: ClaimCheck, reason: string | Bilingual): ClaimCheck {
  return { ...withNote(check, bilingualNote(reason)!, true), met: null };
}

/**
 * The clause verdict from its claim checks: any claim not met → `fail`; at least one met and none
 * unjudged → `pass`; no claims, or some not judged → `inconclusive` (never a silent pass).
 * Requirement coverage (a shall sub-item without a claim) is decided on top of this by `buildClauseResult`.
 * @returns the verdict and its reason in both languages
 */
export function verdictFromClaims(checks: ClaimCheck[]): { verdict: Verdict; reason: Bilingual } {
  if (checks.length === 0)
    return {
      verdict: 'inconclusive',
      reason: {
        zh: '提供方未对该条款作出任何声称，没有可据以判定的依据',
        en: 'the provider made no claim for this clause, so there is nothing to judge against',
      },
    };
  const failed = checks.filter((c) => c.met === false);
  if (failed.length) {
    const ids = failed.map((c) => c.id).join(', ');
    return { verdict: 'fail', reason: { zh: `声称不满足：${ids}`, en: `claim(s) not met: ${ids}` } };
  }
  const unjudged = checks.filter((c) => c.met === null);
  if (unjudged.length) {
    const notes = unjudged.map((c) => ({ id: c.id, note: checkNote(c) ?? { zh: '未测量', en: 'not measured' } }));
    return {
      verdict: 'inconclusive',
      reason: {
        zh: `声称无法判定：${notes.map((x) => `${x.id}（${x.note.zh}）`).join('，')}`,
        en: `claim(s) could not be judged: ${notes.map((x) => `${x.id} (${x.note.en})`).join(', ')}`,
      },
    };
  }
  return { verdict: 'pass', reason: { zh: `全部 ${checks.length} 项声称均满足`, en: `all ${checks.length} claim(s) met` } };
}
