import { requirementsJudgedBy } from '../case/requirements.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectEnvironment } from '../util/environment.js';
import { ExecutionError, PtmcError } from '../util/errors.js';
import { executeNotebook } from '../notebook/executor.js';
import type { ClauseInfo } from '../results/clauses.js';
import type { ClauseResult } from '../results/types.js';
import { assertValid } from '../util/schema.js';
import { writeClauseResult } from '../clauses/clause.js';

/** Everything one clause notebook is run with. */
export interface ClauseRunInput {
  info: ClauseInfo;
  /** The template notebook. */
  input: string;
  /** Bundle folder (absolute). */
  out: string;
  /** Parameters injected into the notebook (`casePath`, `outDir`, `ep`, `lang`, `seed`). */
  parameters: Record<string, unknown>;
  /** Per-cell time limit in seconds. */
  timeoutSec?: number;
  /** Working folder of the kernel. */
  cwd: string;
  /** SHA-256 of the case's model (for an inconclusive result). */
  modelSha256: string;
  /** Cell progress. */
  onCell?: (done: number, cells: number) => void;
}

/** How one clause went. */
export interface ClauseRunRecord {
  clause: string;
  notebook: string;
  /** True when the notebook ran to the end and wrote a valid result. */
  executed: boolean;
  verdict: ClauseResult['verdict'];
  durationMs: number;
  /** Why it failed (`ename: evalue (cell N)`, on one line), when it did. */
  error?: string;
  /** The clause's result as written to `results/<clause>.json` (validated once, here). */
  result: ClauseResult;
}

/** Raised inside {@link runClause} when the notebook ran but left no usable result. */
class MissingResult extends ExecutionError {}

/**
 * The "inconclusive — execution failed" result of a clause whose notebook failed, timed out or
 * wrote no valid result.
 * @param info the clause
 * @param failure what went wrong (cell index when known)
 * @param ctx model hash, parameters and times to record
 */
export function executionFailedResult(
  info: ClauseInfo,
  failure: { ename: string; evalue: string; cell?: number },
  ctx: { modelSha256: string; settings: Record<string, unknown>; startedAt: string; finishedAt: string; requestedProvider?: string },
): ClauseResult {
  const at = failure.cell !== undefined && failure.cell >= 0 ? failure.cell : undefined;
  const where = at !== undefined ? ` (cell ${at})` : '';
  const r: ClauseResult = {
    clause: info.clause,
    title: info.title,
    verdict: 'inconclusive',
    // the error itself is quoted as the kernel reported it
    rationale: {
      zh: `笔记本执行失败：${failure.ename}: ${failure.evalue}${at !== undefined ? `（单元格 ${at}）` : ''}`,
      en: `execution failed: ${failure.ename}: ${failure.evalue}${where}`,
    },
    claims: [],
    // not judged: every sub-item of the clause is inconclusive, whatever the claims
    coverage: requirementsJudgedBy(info.clause).map((q) => ({ item: q.item, strength: q.strength, claims: [], status: 'inconclusive' })),
    findings: [],
    measurements: [],
    tables: [],
    figures: [],
    settings: ctx.settings,
    modelSha256: ctx.modelSha256,
    environment: collectEnvironment({ executionProvider: 'none (not executed to the end)', requestedProvider: ctx.requestedProvider }),
    startedAt: ctx.startedAt,
    finishedAt: ctx.finishedAt,
    error: { ename: failure.ename, evalue: failure.evalue },
  };
  if (failure.cell !== undefined && failure.cell >= 0) r.error!.cell = failure.cell;
  return r;
}

/**
 * Executes one clause notebook into the bundle (`notebooks/<clause>-<name>.ipynb`) and checks
 * that it wrote a valid `results/<clause>.json`. A cell error, a timeout, a dead kernel, an
 * executor error or a missing/invalid result all give an "inconclusive — execution failed"
 * result instead; this function never throws for a failing notebook.
 * @returns the record of the run
 */
export async function runClause(c: ClauseRunInput): Promise<ClauseRunRecord> {
  const t0 = Date.now();
  const startedAt = new Date(t0).toISOString();
  const output = join(c.out, 'notebooks', `${c.info.notebook}.ipynb`);
  const resultFile = join(c.out, 'results', `${c.info.clause}.json`);
  let failure: { ename: string; evalue: string; cell?: number } | undefined;
  try {
    const r = await executeNotebook({
      input: c.input,
      output,
      parameters: c.parameters,
      timeoutSec: c.timeoutSec,
      cwd: c.cwd,
      progress: (ev) => {
        if (ev.kind === 'cell-end') c.onCell?.(ev.done, ev.total);
      },
    });
    if (!r.ok) failure = r.error ?? { ename: 'ExecutionError', evalue: 'the notebook did not run to the end', cell: -1 };
    else {
      if (!existsSync(resultFile)) throw new MissingResult(`the notebook did not write results/${c.info.clause}.json`);
      let doc: unknown;
      try {
        doc = JSON.parse(readFileSync(resultFile, 'utf8'));
      } catch (e) {
        throw new MissingResult(`results/${c.info.clause}.json is not valid JSON: ${(e as Error).message}`);
      }
      assertValid(doc, 'clause-result.schema.json', `results/${c.info.clause}.json`);
      const result = doc as ClauseResult;
      if (result.clause !== c.info.clause)
        throw new MissingResult(`results/${c.info.clause}.json is the result of clause ${result.clause}`);
      return {
        clause: c.info.clause,
        notebook: c.info.notebook,
        executed: true,
        verdict: result.verdict,
        durationMs: Date.now() - t0,
        result,
      };
    }
  } catch (e) {
    const name = e instanceof PtmcError ? e.name : ((e as Error)?.name ?? 'Error');
    failure = { ename: name, evalue: (e as Error)?.message ?? String(e) };
  }
  const res = executionFailedResult(c.info, failure!, {
    modelSha256: c.modelSha256,
    settings: { notebook: `${c.info.notebook}.ipynb`, parameters: c.parameters, timeoutSec: c.timeoutSec ?? null },
    startedAt,
    finishedAt: new Date().toISOString(),
    requestedProvider: typeof c.parameters.ep === 'string' ? c.parameters.ep : undefined,
  });
  writeClauseResult(c.out, res);
  const where = failure!.cell !== undefined && failure!.cell >= 0 ? ` (cell ${failure!.cell})` : '';
  const oneLine = `${failure!.ename}: ${failure!.evalue}${where}`.replace(/\s+/g, ' ');
  return {
    clause: c.info.clause,
    notebook: c.info.notebook,
    executed: false,
    verdict: 'inconclusive',
    durationMs: Date.now() - t0,
    error: oneLine,
    result: res,
  };
}
