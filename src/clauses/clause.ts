import { saveFigure, type PlotlyFigure } from '../figures/render.js';
import { clauseInfo } from '../results/clauses.js';
import type { Bilingual, ClauseId, ClauseResult, ResultTable } from '../results/types.js';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/fs.js';
import { assertValid } from '../util/schema.js';

/** A figure an evaluation produced, before it is saved as SVG. */
export interface ClauseFigure {
  /** File-name part: the file is `figures/<clause>-<name>.svg`. */
  name: string;
  title: Bilingual;
  figure: PlotlyFigure;
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
  const info = clauseInfo(clause);
  if (!info) throw new Error(`unknown clause ${clause}`);
  return info.title;
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
