/**
 * The one ClauseResult builder of the ten clauses: {@link startClause} records the start time, the seed,
 * the execution provider and the claims of the clause; {@link buildClauseResult} adds the verdict (from
 * the claims unless the clause decides otherwise), the title, the model hash and the finish time.
 */
import { join } from 'node:path';
import { caseSeed, decisionLevel } from '../case/load.js';
import { defaultCovers } from '../case/requirements.js';
import type { Claim, LoadedCase } from '../case/types.js';
import { saveFigure, type LocalizedFigure } from '../figures/render.js';
import type { EpChoice } from '../model/types.js';
import { clauseInfo, type ClauseInfo } from '../results/clauses.js';
import type {
  Bilingual,
  ClaimCheck,
  ClauseId,
  ClauseResult,
  CoverageRow,
  EnvironmentInfo,
  Finding,
  Measurement,
  ResultTable,
  Verdict,
} from '../results/types.js';
import { EvaluationError } from '../util/errors.js';
import { writeFileAtomic } from '../util/fs.js';
import { assertValid } from '../util/schema.js';
import { applyContradictions, coverageRows, missingOptionalFindings, missingText, type NotApplicable } from './coverage.js';
import { undecided, verdictFromClaims } from './judge.js';

/** A figure an evaluation produced, before it is saved as SVG. */
export interface ClauseFigure {
  /** File-name part: the file is `figures/<clause>-<name>.svg`. */
  name: string;
  title: Bilingual;
  /**
   * The figure, best as a builder `(lang) => figure` whose every text comes in `zh`, `en` or both: notebooks
   * and the HTML report show it with both languages, the PDF of each language its own (see `saveFigure`).
   */
  figure: LocalizedFigure;
  width?: number;
  height?: number;
}

/** What a clause evaluation returns: the result (figures not yet saved) and its figures. */
export interface ClauseEvaluation {
  result: ClauseResult;
  figures: ClauseFigure[];
}

/**
 * Saves an evaluation's figures under `${outDir}/figures/`, records them in the result and writes
 * `${outDir}/results/<clause>.json` (validated against the schema).
 * @returns the ClauseResult as written
 * @throws SchemaError when the result is not valid (nothing written)
 * @example
 * const written = await saveClauseEvaluation(outDir, await evaluateEfficiency(c, opts));
 */
export async function saveClauseEvaluation(outDir: string, ev: ClauseEvaluation): Promise<ClauseResult> {
  const refs = [];
  for (const f of ev.figures) {
    refs.push(await saveFigure(outDir, ev.result.clause, f.name, f.figure, { width: f.width, height: f.height, title: f.title }));
  }
  const result: ClauseResult = { ...ev.result, figures: [...ev.result.figures, ...refs] };
  writeClauseResult(outDir, result);
  return result;
}

/** The clause's bilingual title from the registry. */
export function clauseTitle(clause: ClauseId): Bilingual {
  return registered(clause).title;
}

function registered(clause: ClauseId): ClauseInfo {
  const info = clauseInfo(clause);
  if (!info) throw new EvaluationError(`unknown clause ${clause}`, { clause, remedy: 'use a clause id of CLAUSES (6.2, 6.3.1 … 6.3.9)' });
  return info;
}

/** A clause evaluation under way: what {@link startClause} fixed at its start. */
export interface ClauseRun {
  clause: ClauseId;
  info: ClauseInfo;
  /** ISO time the evaluation started. */
  startedAt: string;
  /** The seed of the evaluation: the option, else the case's default seed, else 42. */
  seed: number;
  /** The execution provider asked for (default `auto`). */
  ep: EpChoice;
  /** The case's claims on the chapter-5 clause this clause judges (each with `covers`). */
  claims: Claim[];
  /** Sub-items the claims document declares not applicable. */
  notApplicable: NotApplicable[];
  /** The confidence level claims are decided at (case `decision.level`, default 0.95). */
  level: number;
  modelSha256: string;
}

/**
 * Starts a clause evaluation.
 * @param clause the clause id
 * @param c the loaded case (`undefined` for 6.2 on a description file alone: no claims, no model hash yet)
 * @param opts the evaluation's `seed` and `ep` options, when given
 * @example
 * const run = startClause('6.3.6', c, opts); run.claims.length;
 */
export function startClause(clause: ClauseId, c: LoadedCase | undefined, opts: { seed?: number; ep?: EpChoice } = {}): ClauseRun {
  const info = registered(clause);
  return {
    clause,
    info,
    startedAt: new Date().toISOString(),
    seed: c ? caseSeed(c, opts.seed) : (opts.seed ?? 42),
    ep: opts.ep ?? 'auto',
    // loadCase() sets `covers`; a case assembled otherwise gets the default from the metric here
    claims: c
      ? c.claims.claims.filter((k) => k.clause === info.judges).map((k) => (k.covers ? k : { ...k, covers: defaultCovers(k) }))
      : [],
    notApplicable: c?.claims.notApplicable ?? [],
    level: decisionLevel(c),
    modelSha256: c?.modelSha256 ?? '',
  };
}

/** The parts of a ClauseResult a clause measured and decided. */
export interface ClauseResultParts {
  claims: ClaimCheck[];
  /** The verdict when the clause decides it otherwise than from its claims (with the reason). */
  decision?: { verdict: Verdict; reason: Bilingual };
  /** The rationale in both languages, given the reason of the verdict (in both languages). */
  rationale: (reason: Bilingual) => Bilingual;
  measurements?: Measurement[];
  tables?: ResultTable[];
  settings: Record<string, unknown>;
  environment: EnvironmentInfo;
  /** What an assessor flags beyond the claims; a major one may name claims it `contradicts`. */
  findings?: Finding[];
  /** The coverage rows when the clause computes its own (6.2: chapter-4 items); else from the requirement map. */
  coverage?: CoverageRow[];
  /**
   * Evidence budgets below the clause's minimum: the claims named (all of the clause's when `claims` is
   * absent) become inconclusive "evidence budget below minimum: <text>", and each adds a minor finding.
   */
  shortfalls?: Shortfall[];
  modelSha256?: string;
}

/** An evidence budget under the clause's minimum. */
export interface Shortfall {
  /** Finding id, e.g. `budget-attack`. */
  id: string;
  /** The sub-item concerned. */
  item: string;
  /** What is short and how to raise it: "6 attack samples < 20, raise with -p samples=20". */
  text: Bilingual;
  measured: unknown;
  /** Claim ids affected (default: every claim of the clause). */
  claims?: string[];
}

/**
 * The ClauseResult of a clause run: claims with their sub-item, evidence budgets and contradicting
 * findings applied (see src/clauses/coverage.ts), requirement coverage, the verdict (a `shall` sub-item
 * without a claim fails the clause, the item named; otherwise from the claims, see
 * {@link verdictFromClaims}, unless `parts.decision` is given), title, model hash, start and finish times.
 * @example
 * const result = buildClauseResult(run, { claims, rationale: (r) => ({ zh: `${r.zh}。`, en: `${r.en}.` }), settings, environment });
 */
export function buildClauseResult(run: ClauseRun, parts: ClauseResultParts): ClauseResult {
  const covers = new Map(run.claims.map((k) => [k.id, k.covers]));
  let claims = parts.claims.map((c) => (c.covers || !covers.get(c.id) ? c : { ...c, covers: covers.get(c.id) }));
  const findings: Finding[] = [...(parts.findings ?? [])];
  for (const sf of parts.shortfalls ?? []) {
    const affected = sf.claims ?? claims.map((c) => c.id);
    const why = { zh: `证据量低于最低要求：${sf.text.zh}`, en: `evidence budget below minimum: ${sf.text.en}` };
    claims = claims.map((c) => (affected.includes(c.id) ? undecided(c, why) : c));
    findings.push({
      id: sf.id,
      severity: 'minor',
      item: sf.item,
      text: { zh: `证据量低于最低要求：${sf.text.zh}`, en: `evidence budget below minimum: ${sf.text.en}` },
      measured: sf.measured,
    });
  }
  claims = applyContradictions(claims, findings);
  const coverage = parts.coverage ?? coverageRows(run.clause, claims, run.notApplicable, run.claims);
  if (!parts.coverage) findings.push(...missingOptionalFindings(coverage));
  const missing = coverage.filter((r) => r.strength === 'shall' && r.status === 'missing').map((r) => missingText(r.item));
  const decided = parts.decision ?? verdictFromClaims(claims);
  let verdict = decided.verdict;
  let rationale = parts.rationale(decided.reason);
  if (missing.length) {
    verdict = 'fail';
    const en = missing.map((m) => m.en).join('; ');
    const zh = missing.map((m) => m.zh).join('；');
    rationale = { zh: `${zh}。${rationale.zh}`, en: `${en}. ${rationale.en}` };
  }
  return {
    clause: run.clause,
    title: run.info.title,
    verdict,
    rationale,
    claims,
    coverage,
    findings,
    measurements: parts.measurements ?? [],
    tables: parts.tables ?? [],
    figures: [],
    settings: parts.settings,
    modelSha256: parts.modelSha256 ?? run.modelSha256,
    environment: parts.environment,
    startedAt: run.startedAt,
    finishedAt: new Date().toISOString(),
  };
}

/**
 * A result table from row objects: the columns are the keys of the first row (in order).
 * @example
 * tableFromRows('latency', { zh: '延迟', en: 'Latency' }, [{ batch: 1, p50: 2.1 }]);
 */
export function tableFromRows(name: string, title: Bilingual, rows: Record<string, unknown>[]): ResultTable {
  const columns = rows.length ? Object.keys(rows[0]!) : [];
  return { name, title, columns, rows: rows.map((r) => columns.map((c) => r[c] ?? null)) };
}

/**
 * Validates a ClauseResult against `templates/clause-result.schema.json` and writes it to
 * `${outDir}/results/<clause>.json`.
 * @returns the path written
 * @throws SchemaError when the result does not satisfy the schema (nothing is written)
 * @example
 * writeClauseResult('evidence/run1', result); // evidence/run1/results/6.3.6.json
 */
export function writeClauseResult(outDir: string, result: ClauseResult): string {
  const path = join(outDir, 'results', `${result.clause}.json`);
  assertValid(result, 'clause-result.schema.json', path);
  writeFileAtomic(path, JSON.stringify(result, null, 2) + '\n');
  return path;
}
