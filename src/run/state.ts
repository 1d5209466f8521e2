/**
 * The state of an unfinished `ptmc run` (`run-state.json` beside `INCOMPLETE`): the options it was
 * started with and, per finished clause, the hashes of everything its result was made from (case,
 * model, notebook, parameters) and of the files it wrote. `ptmc run --resume DIR` re-uses a clause
 * whose recorded hashes still match and re-runs the others. Both files are removed before the
 * manifest is written; the manifest keeps the options and the per-clause input hashes (`run`).
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../evidence/manifest.js';
import { hashFile, hashFiles, listFiles, sha256Hex } from '../evidence/hash.js';
import { InputError } from '../util/errors.js';
import { writeFileAtomic } from '../util/fs.js';
import type { ClauseInfo } from '../results/clauses.js';

/** File name of the run state inside an unfinished bundle. */
export const RUN_STATE_FILE = 'run-state.json';

/** SHA-256 of what one clause's result was made from. */
export interface ClauseInputs {
  /** Every file of the case folder (paths and contents). */
  case: string;
  /** The model file. */
  model: string;
  /** The template notebook. */
  notebook: string;
  /** The injected parameters, canonical JSON, without the two locations `casePath` and `outDir`. */
  parameters: string;
}

/** One finished clause in the run state. */
export interface ClauseState {
  inputs: ClauseInputs;
  /** True when the notebook ran to the end and wrote a valid result (only those are re-used). */
  executed: boolean;
  durationMs: number;
  error?: string;
  /** SHA-256 of every file the clause left in the bundle (notebook, result, figures), by bundle path. */
  files: Record<string, string>;
}

/** The options a run is resumed with (everything that shapes the results; never a key). */
export interface RecordedRunOptions {
  caseDir: string;
  only?: string[];
  ep: string;
  lang: string;
  timeoutSec?: number;
  notebooksDir?: string;
  seed?: number;
  allowProviderCommands: boolean;
  noSandbox: boolean;
  profile: string;
}

/** `run-state.json`. */
export interface RunState {
  stateVersion: 1;
  startedAt: string;
  options: RecordedRunOptions;
  clauses: Record<string, ClauseState>;
}

/**
 * SHA-256 over every file of the case folder (relative path and content hash, sorted).
 * @param dir the case folder
 */
export async function caseDigest(dir: string): Promise<string> {
  const entries = await hashFiles(dir, listFiles(dir));
  return sha256Hex(entries.map((e) => `${e.path}\t${e.sha256}`).join('\n'));
}

/**
 * The input hashes of one clause.
 * @param caseHash {@link caseDigest} of the case
 * @param modelSha256 the model's SHA-256
 * @param notebook the template notebook
 * @param parameters the injected parameters
 */
export async function clauseInputs(
  caseHash: string,
  modelSha256: string,
  notebook: string,
  parameters: Record<string, unknown>,
): Promise<ClauseInputs> {
  const { casePath: _c, outDir: _o, ...rest } = parameters;
  return { case: caseHash, model: modelSha256, notebook: (await hashFile(notebook)).sha256, parameters: sha256Hex(canonicalJson(rest)) };
}

/** The bundle paths a clause writes: its notebook, its result and its figures (`figures/<clause>-*`). */
export function clauseFiles(out: string, info: ClauseInfo): string[] {
  const files = [`notebooks/${info.notebook}.ipynb`, `results/${info.clause}.json`];
  const figs = join(out, 'figures');
  if (existsSync(figs)) for (const f of readdirSync(figs).sort()) if (f.startsWith(`${info.clause}-`)) files.push(`figures/${f}`);
  return files.filter((f) => existsSync(join(out, f)));
}

/** Removes what an earlier, interrupted attempt of a clause left (before it runs again). */
export function removeClauseFiles(out: string, info: ClauseInfo): void {
  for (const f of clauseFiles(out, info)) rmSync(join(out, f), { force: true });
}

/** Hashes of the files a clause left (see {@link clauseFiles}). */
export async function hashClauseFiles(out: string, info: ClauseInfo): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const f of clauseFiles(out, info)) files[f] = (await hashFile(join(out, f))).sha256;
  return files;
}

/**
 * Whether a clause of the state can be re-used: it executed, its inputs are the same, and the
 * files it wrote are still there, unchanged (and no other file of the clause appeared).
 */
export async function reusable(out: string, info: ClauseInfo, st: ClauseState | undefined, inputs: ClauseInputs): Promise<boolean> {
  if (!st?.executed || canonicalJson(st.inputs) !== canonicalJson(inputs)) return false;
  return canonicalJson(await hashClauseFiles(out, info)) === canonicalJson(st.files);
}

/** Writes the state (atomically). */
export function writeRunState(out: string, state: RunState): void {
  writeFileAtomic(join(out, RUN_STATE_FILE), JSON.stringify(state, null, 1) + '\n');
}

/**
 * Reads the state of an unfinished bundle for `--resume`.
 * @param out the bundle folder
 * @param incompleteFile name of the INCOMPLETE note
 * @throws InputError (exit 2) when the folder is missing, already finished (has a manifest), or has no readable state
 */
export function readRunState(out: string, incompleteFile: string): RunState {
  const remedy = 'give the folder of an interrupted ptmc run (it holds INCOMPLETE and run-state.json), or start a new run with --out';
  if (!existsSync(out)) throw new InputError('the folder to resume does not exist', { file: out, field: '--resume', remedy });
  if (existsSync(join(out, 'manifest.json')))
    throw new InputError('the bundle is finished (it has a manifest); there is nothing to resume', {
      file: out,
      field: '--resume',
      remedy,
    });
  if (!existsSync(join(out, incompleteFile)) || !existsSync(join(out, RUN_STATE_FILE)))
    throw new InputError('the folder is not an interrupted ptmc run (no INCOMPLETE note or run-state.json)', {
      file: out,
      field: '--resume',
      remedy,
    });
  let s: RunState;
  try {
    s = JSON.parse(readFileSync(join(out, RUN_STATE_FILE), 'utf8')) as RunState;
  } catch (e) {
    throw new InputError(`run-state.json is not valid JSON: ${(e as Error).message}`, { file: join(out, RUN_STATE_FILE), remedy });
  }
  if (!s || s.stateVersion !== 1 || typeof s.options?.caseDir !== 'string' || typeof s.clauses !== 'object' || s.clauses === null)
    throw new InputError('run-state.json is not a run state of this version', {
      file: join(out, RUN_STATE_FILE),
      field: '/stateVersion',
      remedy,
    });
  return s;
}
