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

/** One provider claim judged against what was measured. */
export interface ClaimCheck {
  id: string;
  statement: string | Bilingual;
  expected: unknown;
  measured: unknown;
  /** `null` when the claim could not be judged. */
  met: boolean | null;
  note?: string;
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
  fallbacks?: { provider: string; reason: string }[];
  gpu?: string;
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
  /** Itemised checks (6.2: one per chapter-4 item). */
  findings?: Record<string, unknown>[];
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
