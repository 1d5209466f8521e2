/**
 * `summary.json`, the bundle's one machine-readable page (schema: `templates/summary.schema.json`): per clause
 * the verdict, the coverage of chapter 5's sub-items, findings by severity, claim decisions and the paths of
 * its notebook, result and figures. The manifest hashes it like every other file. `ptmc run --fail-on` reads it.
 */
import { join } from 'node:path';
import type { ClauseResult, Verdict } from '../results/types.js';
import { writeFileAtomic } from '../util/fs.js';
import { assertValid } from '../util/schema.js';
import type { ClauseRunRecord } from './clause-run.js';

/** The summary's file name in the bundle. */
export const SUMMARY_FILE = 'summary.json';

/** Counts of coverage rows by status (rows of `ClauseResult.coverage`, when the clause reports them). */
export interface CoverageCounts {
  met: number;
  notMet: number;
  inconclusive: number;
  missing: number;
  notApplicable: number;
}

/** One clause in the summary. */
export interface ClauseSummary {
  clause: string;
  verdict: Verdict;
  executed: boolean;
  coverage: CoverageCounts;
  findings: { major: number; minor: number; info: number };
  claims: { met: number; notMet: number; inconclusive: number };
  paths: { notebook: string; result: string; figures: string[] };
}

/** The whole summary. */
export interface BundleSummary {
  summaryVersion: 1;
  tool: { name: string; version: string };
  case: { name: string };
  modelSha256: string;
  profile: string;
  /** True when the clause notebooks came from `--notebooks DIR` rather than the package's templates. */
  customTemplates: boolean;
  startedAt: string;
  finishedAt: string;
  clauses: ClauseSummary[];
}

const COVERAGE_KEYS: Record<string, keyof CoverageCounts> = {
  met: 'met',
  'not-met': 'notMet',
  inconclusive: 'inconclusive',
  missing: 'missing',
  'not-applicable': 'notApplicable',
};

/** The summary row of one clause run. */
export function clauseSummary(rec: ClauseRunRecord): ClauseSummary {
  const r: ClauseResult & { coverage?: { status: string }[] } = rec.result;
  const coverage: CoverageCounts = { met: 0, notMet: 0, inconclusive: 0, missing: 0, notApplicable: 0 };
  for (const row of r.coverage ?? []) {
    const k = COVERAGE_KEYS[row.status];
    if (k) coverage[k]++;
  }
  const findings = { major: 0, minor: 0, info: 0 };
  for (const f of r.findings ?? []) {
    const sev = (f as { severity?: unknown }).severity;
    if (sev === 'major' || sev === 'minor' || sev === 'info') findings[sev]++;
  }
  return {
    clause: r.clause,
    verdict: r.verdict,
    executed: rec.executed,
    coverage,
    findings,
    claims: {
      met: r.claims.filter((c) => c.met === true).length,
      notMet: r.claims.filter((c) => c.met === false).length,
      inconclusive: r.claims.filter((c) => c.met === null).length,
    },
    paths: { notebook: `notebooks/${rec.notebook}.ipynb`, result: `results/${r.clause}.json`, figures: r.figures.map((f) => f.path) },
  };
}

/**
 * Validates and writes `summary.json` into the bundle.
 * @returns the summary written
 * @throws SchemaError when it does not satisfy `templates/summary.schema.json` (nothing written)
 */
export function writeSummary(out: string, s: Omit<BundleSummary, 'summaryVersion'>): BundleSummary {
  const doc: BundleSummary = { summaryVersion: 1, ...s };
  assertValid(doc, 'summary.schema.json', SUMMARY_FILE);
  writeFileAtomic(join(out, SUMMARY_FILE), JSON.stringify(doc, null, 2) + '\n');
  return doc;
}

/** The conditions `ptmc run --fail-on` can gate on. */
export const FAIL_ON = ['fail', 'inconclusive', 'major-finding'] as const;

/** One of {@link FAIL_ON}. */
export type FailOn = (typeof FAIL_ON)[number];

/**
 * Whether a gate condition holds for a summary: `fail` — a clause failed; `inconclusive` — a clause failed or
 * is inconclusive; `major-finding` — a clause reports a major finding.
 * @returns the clauses that trip it (empty when it does not hold)
 */
export function gateClauses(s: BundleSummary, on: FailOn): string[] {
  return s.clauses
    .filter((c) =>
      on === 'fail'
        ? c.verdict === 'fail'
        : on === 'inconclusive'
          ? c.verdict === 'fail' || c.verdict === 'inconclusive'
          : c.findings.major > 0,
    )
    .map((c) => c.clause);
}
