/** Row types of clause 6.3.6's tables (shared by evaluate.ts and figures.ts). */

/** Metric at one (corruption, severity). */
export interface SeverityRow {
  corruption: string;
  severity: number;
  params: string;
  metric: string;
  value: number;
  low: number;
  high: number;
}

/** Corruption errors of one corruption over the severities run. */
export interface CorruptionErrorRow {
  corruption: string;
  /** Mean over severities of (1 − metric), or Σ E / Σ E_ref with a reference. */
  corruptionError: number;
  /**
   * Mean over severities of (metric_clean − metric), or Σ (E − E_clean) / Σ (E_ref − E_ref,clean)… with a reference:
   * Σ(E − E_clean)/Σ E_ref.
   */
  relativeCorruptionError: number;
  normalised: boolean;
}
