import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MANIFEST_FILE, type BundleManifest } from '../evidence/manifest.js';
import { InputError } from '../util/errors.js';
import { CLAUSES } from '../results/clauses.js';
import type { ClauseResult } from '../results/types.js';
import { assertValid } from '../util/schema.js';

/** The clause results and bundle context a report is rendered from. */
export interface ReportInput {
  /** Bundle root (figures are resolved against it). */
  root: string;
  /** Folder the results were read from. */
  resultsDir: string;
  /** Valid clause results, in report (CLAUSES) order. */
  results: ClauseResult[];
  /** Result file of each clause, relative to the root (e.g. `results/6.3.6.json`). */
  files: Record<string, string>;
  /** The bundle's manifest when present. */
  manifest?: BundleManifest;
}

/**
 * Reads and validates the clause results of a bundle. `dir` is the bundle root (it holds
 * `results/`) or its `results/` folder itself; the bundle root is then its parent.
 * @param dir bundle or results folder
 * @throws InputError when the folder is missing, holds no result, a file is not JSON, or two files give the same clause
 * @throws SchemaError when a result does not satisfy `templates/clause-result.schema.json` (file and JSON path named)
 * @example
 * loadReportInput('evidence/run1').results.map((r) => r.clause); // ['6.2', '6.3.4']
 */
export function loadReportInput(dir: string): ReportInput {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw new InputError('results folder not found', {
      file: dir,
      remedy: 'give a bundle folder (written by `ptmc run`) or its results/ folder',
    });
  }
  const hasResults = existsSync(join(abs, 'results')) && statSync(join(abs, 'results')).isDirectory();
  const resultsDir = hasResults ? join(abs, 'results') : abs;
  const root = hasResults ? abs : basename(abs) === 'results' ? dirname(abs) : abs;
  const names = readdirSync(resultsDir)
    .filter((n) => n.endsWith('.json') && n !== MANIFEST_FILE)
    .sort();
  const byClause = new Map<string, { r: ClauseResult; file: string }>();
  for (const n of names) {
    const file = join(resultsDir, n);
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new InputError(`not valid JSON: ${(e as Error).message}`, {
        file,
        remedy: 'fix the file or remove it from the results folder',
      });
    }
    assertValid(doc, 'clause-result.schema.json', file);
    const r = doc as ClauseResult;
    const prev = byClause.get(r.clause);
    if (prev) {
      throw new InputError(`two results for clause ${r.clause}`, {
        file,
        field: '/clause',
        clause: r.clause,
        remedy: `keep one of ${basename(prev.file)} and ${n}`,
      });
    }
    byClause.set(r.clause, { r, file });
  }
  if (byClause.size === 0) {
    throw new InputError('no clause result (*.json) found', {
      file: resultsDir,
      remedy: 'run the clause notebooks first (`ptmc run`), or point at the folder holding results/<clause>.json',
    });
  }
  const results: ClauseResult[] = [];
  const files: Record<string, string> = {};
  for (const c of CLAUSES) {
    const e = byClause.get(c.clause);
    if (!e) continue;
    results.push(e.r);
    files[c.clause] = e.file
      .slice(root.length + 1)
      .split('\\')
      .join('/');
  }
  const input: ReportInput = { root, resultsDir, results, files };
  const mf = join(root, MANIFEST_FILE);
  if (existsSync(mf)) {
    try {
      input.manifest = JSON.parse(readFileSync(mf, 'utf8')) as BundleManifest;
    } catch (e) {
      throw new InputError(`manifest is not valid JSON: ${(e as Error).message}`, {
        file: mf,
        remedy: 'regenerate it with `ptmc run`, or remove it',
      });
    }
  }
  return input;
}

/**
 * The report input of a run that holds its (already validated) results in memory: no file is read
 * again. The results are put in report (CLAUSES) order; each one's file is `results/<clause>.json`.
 * @param root the bundle root
 * @param results the clause results, validated when they were read or written
 */
export function reportInputFromResults(root: string, results: ClauseResult[]): ReportInput {
  const ordered = CLAUSES.map((c) => results.find((r) => r.clause === c.clause)).filter((r): r is ClauseResult => Boolean(r));
  if (ordered.length === 0) {
    throw new InputError('no clause result to report', { file: root, remedy: 'run at least one clause notebook first' });
  }
  const files = Object.fromEntries(ordered.map((r) => [r.clause, `results/${r.clause}.json`]));
  return { root: resolve(root), resultsDir: join(resolve(root), 'results'), results: ordered, files };
}
