/**
 * The headless notebook executor (papermill-style): injects parameters, runs every code cell
 * through a Jupyter kernel, records outputs as nbclient does, and saves the output notebook
 * atomically after every cell.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { InputError } from '../util/errors.js';
import { findKernelSpec, type FoundKernelSpec } from '../jupyter/kernelspec.js';
import { KernelDiedError } from './client.js';
import { cellTags, joinSource, readNotebook, writeNotebook, type CodeCell, type Notebook } from './nbformat.js';
import { injectParameters } from './parameters.js';
import { stderrProgress, type ProgressEvent } from './progress.js';
import { KernelSession } from './kernel-session.js';
import { CellRecorder, type DisplayIndex } from './outputs.js';
import {
  addErrorBanner,
  defaultParameters,
  finishCell,
  pendingCell,
  removeErrorBanners,
  runMetadata,
  toolVersion,
  type CellPapermill,
  type NotebookPapermill,
} from './metadata.js';

/** Options of {@link executeNotebook}. */
export interface ExecuteOptions {
  /** The notebook to run. */
  input: string;
  /** Where to write the executed notebook (saved after every cell). */
  output: string;
  /** Parameters injected as `const NAME = <JSON literal>;` after the `parameters` cell. */
  parameters?: Record<string, unknown>;
  /** Per-cell time limit in seconds (default: none). */
  timeoutSec?: number;
  /** Time the kernel may take to start, in seconds (default 60). */
  startTimeoutSec?: number;
  /** Keep going after a cell error (default false). */
  allowErrors?: boolean;
  /** Working folder of the kernel (default: the input notebook's folder). */
  cwd?: string;
  /** Kernel name (default: the notebook's `metadata.kernelspec.name` when installed, else `ptm-typescript`). */
  kernelName?: string;
  /** `true`: progress on stderr; a function: receives the events; default none. */
  progress?: boolean | ((ev: ProgressEvent) => void);
  /**
   * Heartbeat silence (s) after which the kernel counts as dead, whatever its process does; 0 turns
   * the heartbeat off. Default: heartbeat silence only triggers a check that the kernel process
   * exists (its exit is detected at once either way).
   */
  heartbeatTimeoutSec?: number;
}

/** Where and why a run failed. `cell` is the index in the executed notebook (-1: not a cell's fault). */
export interface ExecutionFailure {
  cell: number;
  ename: string;
  evalue: string;
}

/** Result of {@link executeNotebook}. */
export interface ExecuteResult {
  /** The executed notebook (as saved). */
  notebook: Notebook;
  /** True when no cell failed (or errors were allowed), no timeout, and the kernel survived. */
  ok: boolean;
  /** The failure that stopped the run. */
  error?: ExecutionFailure;
  /** Wall time of the whole run, kernel start included (ms). */
  durationMs: number;
  /** Warnings (parameters, kernel choice). */
  warnings: string[];
}

/** Time a kernel gets after an interrupt to answer before the run moves on (ms). */
const INTERRUPT_GRACE_MS = 5000;
/** Time to wait for `status: idle` after `execute_reply` (ms), as nbclient's iopub timeout. */
const IDLE_GRACE_MS = 4000;

function resolveKernel(nb: Notebook, name: string | undefined, warnings: string[]): FoundKernelSpec {
  if (name) return findKernelSpec(name);
  const own = nb.metadata.kernelspec?.name;
  if (typeof own === 'string' && own) {
    try {
      return findKernelSpec(own);
    } catch {
      warnings.push(`the notebook's kernel "${own}" is not installed: using ptm-typescript`);
    }
  }
  return findKernelSpec();
}

type CellStatus = 'ok' | 'error' | 'timeout' | 'dead';

function timer(ms: number | undefined): { promise: Promise<'timeout'>; cancel(): void } {
  let t: NodeJS.Timeout | undefined;
  const promise = new Promise<'timeout'>((r) => {
    if (ms !== undefined) t = setTimeout(() => r('timeout'), ms);
  });
  return { promise, cancel: () => clearTimeout(t) };
}

async function runCell(
  s: KernelSession,
  cell: CodeCell,
  displays: DisplayIndex,
  timeoutMs: number | undefined,
): Promise<{ status: CellStatus; rec: CellRecorder }> {
  const rec = new CellRecorder(cell, displays);
  if (s.deathReason) {
    rec.addError('DeadKernelError', s.deathReason.message);
    return { status: 'dead', rec };
  }
  let idle!: () => void;
  const idleP = new Promise<void>((r) => (idle = r));
  let msgId = '';
  const died = s.died.then(() => 'dead' as const);
  try {
    msgId = await s.client.send('shell', 'execute_request', {
      code: joinSource(cell.source),
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    s.client.onIopubFor(msgId, (m) => {
      rec.handle(m);
      if (rec.idle) idle();
    });
    const replyP = s.client.reply(msgId).then((m) => {
      rec.handleReply(m);
      return m;
    });
    const limit = timer(timeoutMs);
    const first = await Promise.race([replyP.catch(() => 'dead' as const), limit.promise, died]);
    limit.cancel();
    if (first === 'dead') {
      rec.addError('DeadKernelError', (s.deathReason ?? new KernelDiedError('the kernel died')).message);
      return { status: 'dead', rec };
    }
    if (first === 'timeout') {
      await s.interrupt();
      const grace = timer(INTERRUPT_GRACE_MS);
      const idleAfter = timer(IDLE_GRACE_MS);
      await Promise.race([replyP.then(() => Promise.race([idleP, idleAfter.promise])).catch(() => undefined), grace.promise, died]);
      grace.cancel();
      idleAfter.cancel();
      rec.addError('CellTimeoutError', `the cell did not finish within ${timeoutMs! / 1000} s and was interrupted (--timeout)`);
      return { status: 'timeout', rec };
    }
    const idleWait = timer(IDLE_GRACE_MS);
    await Promise.race([idleP, idleWait.promise, died]);
    idleWait.cancel();
    const content = first.content as { status?: string; ename?: string; evalue?: string };
    if (content.status === 'error' && !rec.firstError()) rec.addError(String(content.ename ?? 'Error'), String(content.evalue ?? ''));
    return { status: content.status === 'error' || rec.firstError() ? 'error' : 'ok', rec };
  } finally {
    if (msgId) s.client.offIopub(msgId);
  }
}

function checkInput(opts: ExecuteOptions): { input: string; output: string; cwd: string } {
  if (!opts.input) throw new InputError('no input notebook given', { remedy: 'ptmc execute IN.ipynb -o OUT.ipynb' });
  if (!opts.output) throw new InputError('no output notebook given', { field: '-o', remedy: 'give the output path with -o OUT.ipynb' });
  const input = resolve(opts.input);
  const output = resolve(opts.output);
  const cwd = resolve(opts.cwd ?? dirname(input));
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw new InputError(`working folder ${opts.cwd ?? cwd} does not exist`, {
      field: '--cwd',
      remedy: 'give an existing folder with --cwd',
    });
  }
  if (existsSync(output) && statSync(output).isDirectory()) {
    throw new InputError(`output ${opts.output} is a folder`, { field: '-o', remedy: 'give a file path, e.g. -o out/executed.ipynb' });
  }
  return { input, output, cwd };
}

/**
 * Executes a notebook through a Jupyter kernel, papermill-style, and saves it after every cell.
 * A cell error, a timeout or a dead kernel resolve with `ok: false` (the notebook is saved with the
 * error output and an error banner cell tagged `ptmc-error` at the top).
 * @param opts input, output, parameters, limits, kernel and progress
 * @returns the executed notebook, whether it succeeded, the failure, and the duration
 * @throws InputError on bad input (missing or invalid notebook, unknown kernel, bad parameter
 *   names or values, missing --cwd); nothing is written at the output path then
 * @example
 * const r = await executeNotebook({ input: 'notebooks/6.3.6-robustness.ipynb', output: 'out/6.3.6.ipynb',
 *   parameters: { casePath: 'examples/ct', outDir: 'out' }, timeoutSec: 600 });
 * if (!r.ok) console.error(`cell ${r.error!.cell}: ${r.error!.ename}: ${r.error!.evalue}`);
 */
export async function executeNotebook(opts: ExecuteOptions): Promise<ExecuteResult> {
  const t0 = Date.now();
  const startedAt = new Date(t0).toISOString();
  const { input, output, cwd } = checkInput(opts);
  const nb = readNotebook(opts.input);
  const warnings: string[] = [];
  const params = opts.parameters ?? {};
  removeErrorBanners(nb);
  const paramCell = nb.cells.find((c) => c.cell_type === 'code' && cellTags(c).includes('parameters'));
  const defaults = paramCell ? defaultParameters(joinSource(paramCell.source)) : {};
  const spec = resolveKernel(nb, opts.kernelName, warnings);
  if (Object.keys(params).length > 0) warnings.push(...injectParameters(nb, params, spec.spec.language).warnings);
  const emit =
    typeof opts.progress === 'function'
      ? opts.progress
      : opts.progress
        ? stderrProgress(process.stderr, `ptmc execute ${basename(input)}`)
        : () => {};
  for (const w of warnings) emit({ kind: 'warning', message: w });
  for (const c of nb.cells) {
    if (c.cell_type !== 'code') continue;
    c.outputs = [];
    c.execution_count = null;
    delete c.metadata.execution;
  }
  for (const c of nb.cells) c.metadata.papermill = pendingCell();
  nb.metadata.kernelspec = { name: spec.name, display_name: spec.spec.display_name, language: spec.spec.language };
  const meta = runMetadata({ startedAt, input, output, parameters: params, kernel: spec, warnings });
  nb.metadata.ptmc = meta;
  const pm: NotebookPapermill = {
    parameters: params,
    default_parameters: defaults,
    input_path: input,
    output_path: output,
    start_time: startedAt,
    end_time: null,
    duration: null,
    exception: null,
    environment_variables: {},
    version: `ptm-conformity ${toolVersion()}`,
  };
  nb.metadata.papermill = pm;

  let session: KernelSession | undefined;
  const finish = (error?: ExecutionFailure): ExecuteResult => {
    const bad = session?.client.invalidMessages ?? 0;
    if (bad > 0) {
      const detail = session!.client.lastInvalid?.message;
      const w = `${bad} message(s) from the kernel failed signature verification and were ignored (${detail})`;
      warnings.push(w);
      emit({ kind: 'warning', message: w });
    }
    const end = Date.now();
    meta.end = new Date(end).toISOString();
    meta.duration = (end - t0) / 1000;
    pm.end_time = meta.end;
    pm.duration = meta.duration;
    pm.exception = error ? true : null;
    meta.exception = error
      ? { cell: error.cell, cell_id: nb.cells[error.cell]?.id ?? null, ename: error.ename, evalue: error.evalue }
      : null;
    if (error) addErrorBanner(nb, error);
    writeNotebook(output, nb);
    emit({ kind: 'end', ok: !error, ms: end - t0 });
    return { notebook: nb, ok: !error, error, durationMs: end - t0, warnings };
  };

  try {
    session = await KernelSession.start(spec, {
      cwd,
      startTimeoutMs: (opts.startTimeoutSec ?? 60) * 1000,
      heartbeatDeadMs: opts.heartbeatTimeoutSec === undefined ? undefined : opts.heartbeatTimeoutSec * 1000,
    });
  } catch (e) {
    return finish({ cell: -1, ename: (e as Error).name, evalue: (e as Error).message });
  }
  try {
    emit({ kind: 'kernel-ready', kernel: spec.name, pid: session.proc.pid, ms: Date.now() - t0 });
    const li = session.kernelInfo.language_info;
    if (li && typeof li === 'object' && typeof (li as { name?: unknown }).name === 'string') {
      nb.metadata.language_info = li as { name: string };
      meta.language_version = String((li as { version?: unknown }).version ?? '') || null;
      if (/typescript/i.test((li as { name: string }).name)) meta.typescript = meta.language_version;
    }
    writeNotebook(output, nb);
    const displays: DisplayIndex = new Map();
    const code = nb.cells.map((c, i) => ({ c, i })).filter(({ c }) => c.cell_type === 'code' && joinSource(c.source).trim() !== '');
    let done = 0;
    for (const { c, i } of code) {
      const cell = c as CodeCell;
      emit({ kind: 'cell-start', index: i, done, total: code.length });
      const tc = Date.now();
      const pmc = cell.metadata.papermill as CellPapermill;
      pmc.status = 'running';
      pmc.start_time = new Date(tc).toISOString();
      const timeoutMs = opts.timeoutSec !== undefined && opts.timeoutSec > 0 ? opts.timeoutSec * 1000 : undefined;
      const { status, rec } = await runCell(session, cell, displays, timeoutMs);
      done++;
      emit({ kind: 'cell-end', index: i, done, total: code.length, status, ms: Date.now() - tc });
      const err = status === 'ok' || status === 'error' ? rec.firstError() : rec.lastError();
      const tolerated = status === 'error' && (opts.allowErrors || cellTags(cell).includes('raises-exception'));
      finishCell(pmc, tc, status !== 'ok');
      if (status !== 'ok' && !tolerated) {
        return finish({ cell: i, ename: err?.ename ?? status, evalue: err?.evalue ?? '' });
      }
      writeNotebook(output, nb);
    }
    return finish();
  } finally {
    await session.shutdown(1000);
  }
}
