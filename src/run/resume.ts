/**
 * `ptmc run --resume DIR`: the options a run records (for the resume and for `ptmc verify --rerun`),
 * the options of a resumed run, and the record of a re-used clause.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EpChoice } from '../model/types.js';
import type { ReportLang } from '../report/strings.js';
import type { ClauseInfo } from '../results/clauses.js';
import type { ClauseResult } from '../results/types.js';
import { UsageError } from '../util/errors.js';
import type { ClauseRunRecord } from './clause-run.js';
import type { Profile } from './profiles.js';
import type { RunOptions } from './options.js';
import { RUN_STATE_FILE, type ClauseState, type RecordedRunOptions, type RunState } from './state.js';

/** The options a run records for `--resume` and `verify --rerun` (paths absolute; never a key). */
export function recordedOptions(o: RunOptions, caseDir: string): RecordedRunOptions {
  return {
    caseDir,
    ...(o.only?.length ? { only: o.only } : {}),
    ep: o.ep ?? 'auto',
    lang: o.lang ?? 'zh',
    ...(o.timeoutSec !== undefined ? { timeoutSec: o.timeoutSec } : {}),
    ...(o.notebooksDir !== undefined ? { notebooksDir: resolve(o.notebooksDir) } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    allowProviderCommands: o.allowProviderCommands ?? false,
    noSandbox: o.noSandbox ?? false,
    profile: o.profile ?? 'default',
  };
}

/** The options of a resumed run: the recorded ones, plus the few a resume may set. */
export function resumedOptions(o: RunOptions, s: RunState): RunOptions {
  const fixed = (['out', 'only', 'ep', 'lang', 'timeoutSec', 'notebooksDir', 'seed', 'profile'] as const).filter((k) => o[k] !== undefined);
  if (o.allowProviderCommands) fixed.push('allowProviderCommands' as never);
  if (o.noSandbox) fixed.push('noSandbox' as never);
  if (fixed.length)
    throw new UsageError(`--resume takes the options the run was started with; ${fixed.join(', ')} cannot be given with it`, {
      field: '--resume',
      remedy: `drop them (recorded in ${join(o.resume!, RUN_STATE_FILE)}); only --case, --sign and --fail-on go with --resume`,
    });
  const r = s.options;
  return {
    ...o,
    out: o.resume,
    caseDir: o.caseDir ?? r.caseDir,
    only: r.only,
    ep: r.ep as EpChoice,
    lang: r.lang as ReportLang,
    timeoutSec: r.timeoutSec,
    notebooksDir: r.notebooksDir,
    seed: r.seed,
    allowProviderCommands: r.allowProviderCommands,
    noSandbox: r.noSandbox,
    profile: r.profile as Profile,
  };
}

/** The record of a clause re-used from the interrupted run (its result as written then). */
export function reusedRecord(out: string, info: ClauseInfo, st: ClauseState): ClauseRunRecord {
  const result = JSON.parse(readFileSync(join(out, 'results', `${info.clause}.json`), 'utf8')) as ClauseResult;
  return { clause: info.clause, notebook: info.notebook, executed: true, verdict: result.verdict, durationMs: st.durationMs, result };
}
