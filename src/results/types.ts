/** Types of the ClauseResult contract (DESIGN.md; schema: templates/clause-result.schema.json). */

/** The languages of reports and notebooks. */
export const LANGS = ['zh', 'en'] as const;

/** One of {@link LANGS}. */
export type Lang = (typeof LANGS)[number];

/** A text in both report languages. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** Outcome of one clause. */
export type Verdict = 'pass' | 'fail' | 'inconclusive' | 'not-applicable';

/** A confidence interval. */
export interface ConfidenceInterval {
  low: number;
  high: number;
  /** e.g. `wilson`, `bootstrap-percentile`. */
  method: string;
  /** e.g. 0.95. */
  level: number;
}

/**
 * How a claim was decided: `ci` on the confidence interval of an estimate; `exact` on a deterministic
 * quantity (MACs, parameters, bytes, max |Δ|, counts); `lower-bound` on a value known only as a lower
 * bound (it never satisfies `<=`/`<`); `none` when nothing was measured.
 */
export type EvidenceRule = 'ci' | 'exact' | 'lower-bound' | 'none';

/** The evidence a claim was decided on. */
export interface ClaimEvidence {
  /** Samples (or repeated measurements) behind the estimate; `null` when not applicable. */
  n: number | null;
  /** The point estimate (`null` when not measured). */
  estimate: number | null;
  /** The interval decided on (rule `ci`), else `null`. */
  ci: ConfidenceInterval | null;
  rule: EvidenceRule;
  /** With an undecided interval: the sample size that would decide it at the observed spread (`null`: cannot be decided). */
  nNeeded?: number | null;
  /** Set when a clause rule, not the interval, decided the claim (e.g. "training diverged"): the rule. */
  override?: string;
}

/** One provider claim judged against what was measured. */
export interface ClaimCheck {
  id: string;
  /** The chapter-5 sub-item the claim covers, e.g. `5.2.6.i`. */
  covers?: string;
  statement: string | Bilingual;
  expected: unknown;
  measured: unknown;
  /** `null` when the claim could not be judged. */
  met: boolean | null;
  /** Why it is undecided, or how it was measured (English). */
  note?: string;
  /** The same note in Chinese (results written before it existed have `note` only). */
  noteZh?: string;
  evidence?: ClaimEvidence;
}

/** Strength of a chapter-5 sub-item in the Chinese text: 应 shall, 宜 should, 如适用 where applicable. */
export type Strength = 'shall' | 'should' | 'where-applicable';

/** Status of one chapter-5 sub-item in a clause result. */
export type CoverageStatus = 'met' | 'not-met' | 'inconclusive' | 'missing' | 'not-applicable';

/** One row of a clause's requirement coverage. */
export interface CoverageRow {
  /** The sub-item (`5.2.6.i`; for 6.2 a chapter-4 clause). */
  item: string;
  strength: Strength;
  /** Ids of the claims covering it. */
  claims: string[];
  status: CoverageStatus;
  /** The declared reason when `not-applicable`. */
  reason?: Bilingual;
}

/** Severity of a finding. */
export type FindingSeverity = 'major' | 'minor' | 'info';

/** Something an assessor flags whatever the claims say. */
export interface Finding {
  /** Stable id, e.g. `invalid-accepted`. */
  id: string;
  severity: FindingSeverity;
  /** The sub-item concerned (`5.2.6.i`; for 6.2 a chapter-4 clause). */
  item: string;
  text: Bilingual;
  /** What was measured (numbers, counts, settings). */
  measured: unknown;
  /** Claim ids whose conditions the finding contradicts (a `met` claim among them becomes inconclusive). */
  contradicts?: string[];
  /** Further item-specific fields (6.2 keeps its checks' details here). */
  [key: string]: unknown;
}

/** One measured number with its unit (`'1'` for dimensionless) and the conditions it was measured under. */
export interface Measurement {
  name: string;
  label?: Bilingual;
  value: number | string | boolean | null;
  unit: string;
  ci?: ConfidenceInterval;
  conditions?: Record<string, unknown>;
}

/** A table as plain rows (the PDF renders it; notebooks show it as a DataFrame). */
export interface ResultTable {
  name: string;
  title?: Bilingual;
  columns: string[];
  rows: unknown[][];
}

/** A figure file of the bundle. */
export interface FigureRef {
  name: string;
  title?: Bilingual;
  /** Relative to the bundle root, e.g. `figures/6.3.6-severity.svg`. */
  path: string;
  /** The interactive copy (plotly `{data, layout, config}` JSON) the HTML report draws, e.g. `figures/6.3.6-severity.plotly.json`. */
  plotly?: string;
  /**
   * The static figure with its texts in one language, for the report of that language, e.g.
   * `{ zh: 'figures/6.3.6-severity.zh.svg', en: 'figures/6.3.6-severity.en.svg' }` (`path` holds both
   * languages; a report falls back to it).
   */
  byLang?: { zh: string; en: string };
}

/** Why a requested execution provider did not run (see {@link EnvironmentInfo.fallbacks}). */
export interface ProviderFallbackInfo {
  provider: string;
  /** Plain text (English; the runtime's own error message quoted as it is). */
  reason: string;
  /** The reason in both languages (our sentence translated, the runtime's quoted message unchanged). */
  text?: Bilingual;
}

/** Where and how a result was measured. */
export interface EnvironmentInfo {
  os: string;
  cpu: string;
  cores?: number;
  memory: string;
  node: string;
  onnxruntime: string;
  /** The execution provider that actually ran (never the requested one after a fallback). */
  executionProvider: string;
  requestedProvider?: string;
  /**
   * Providers that did not run, each with why: `reason` is the plain text (English, with the runtime's own error
   * quoted as it is); `text`, where given, is the same in both languages for the report (the quoted error unchanged).
   */
  fallbacks?: ProviderFallbackInfo[];
  gpu?: string;
  /** Load averages (1 min) before and after timed work, per timed block. */
  load?: { block: string; before: number; after: number }[];
}

/** The result of one evaluation clause. */
export interface ClauseResult {
  clause: ClauseId;
  title: Bilingual;
  verdict: Verdict;
  rationale: string | Bilingual;
  claims: ClaimCheck[];
  measurements: Measurement[];
  tables: ResultTable[];
  figures: FigureRef[];
  /** One row per chapter-5 sub-item this clause judges (6.2: per chapter-4 item). */
  coverage: CoverageRow[];
  /** What an assessor flags beyond the claims (6.2: one per chapter-4 check). */
  findings: Finding[];
  /** Every parameter that shaped the result (seeds, levels, budgets). */
  settings: Record<string, unknown>;
  modelSha256: string;
  environment: EnvironmentInfo;
  startedAt: string;
  finishedAt: string;
  /** Set when the clause notebook failed to execute. */
  error?: { ename: string; evalue: string; cell?: number };
}

/** The clauses of chapter 6 that have a template notebook. */
export type ClauseId = '6.2' | '6.3.1' | '6.3.2' | '6.3.3' | '6.3.4' | '6.3.5' | '6.3.6' | '6.3.7' | '6.3.8' | '6.3.9';
