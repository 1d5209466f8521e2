/**
 * The code-running half of the kernel: tslab's converter and executor (used as a dependency), with
 * a console interface that captures what tslab's executor reports — the value of the last
 * expression, a thrown exception, or TypeScript diagnostics — so the server can publish them as
 * `execute_result` and `error` messages instead of text on stderr.
 */
import { ExecutionError } from '../util/errors.js';
import { inspect as utilInspect, format } from 'node:util';
import type { Converter, CompletionInfo } from 'tslab/dist/converter';
import { expandShorthand } from './shorthand.js';
import { cellFrame, withCellScripts } from './cell-positions.js';
import type { Executor, ConsoleInterface } from 'tslab/dist/executor';

/** The outcome of running one cell. */
export type CellOutcome =
  { ok: true; hasValue: boolean; value?: unknown } | { ok: false; ename: string; evalue: string; traceback: string[] };

/** `ename` of a cell stopped by an interrupt (interrupt_request or SIGINT). */
export const INTERRUPT_ENAME = 'InterruptError';

/** `ename` of a cell that did not compile. */
export const COMPILE_ENAME = 'TSError';

/** Stack frames of the kernel's own machinery, dropped from tracebacks. */
const INTERNAL_FRAME = /node_modules[\\/](?:tslab|@tslab)[\\/]|\(node:|at node:|dist[\\/]src[\\/]kernel[\\/]/;

/**
 * Turns a thrown value into Jupyter's `ename`, `evalue` and `traceback`.
 * @param e the thrown value (an Error or anything else)
 * @param interrupted true when the cell was stopped by an interrupt
 * @returns the error fields
 * @example
 * errorFields(new RangeError('x')); // { ename: 'RangeError', evalue: 'x', traceback: ['RangeError: x', '    at <cell 3>:2:7'] }
 */
export function errorFields(e: unknown, interrupted = false): { ename: string; evalue: string; traceback: string[] } {
  if (interrupted) {
    return { ename: INTERRUPT_ENAME, evalue: 'execution interrupted', traceback: [`${INTERRUPT_ENAME}: execution interrupted`] };
  }
  if (
    e instanceof Error ||
    (e !== null && typeof e === 'object' && typeof (e as Error).message === 'string' && typeof (e as Error).stack === 'string')
  ) {
    const err = e as Error & { describe?: () => string };
    const ename = err.name || err.constructor?.name || 'Error';
    const evalue = String(err.message);
    const head = typeof err.describe === 'function' ? (safe(() => err.describe!()) ?? `${ename}: ${evalue}`) : `${ename}: ${evalue}`;
    // Cell frames name the cell and the line:column in its TypeScript (mapped back from the JavaScript
    // that tslab emitted: see cell-positions.ts); scripts run outside a cell are just <cell>.
    const frames = String(err.stack ?? '')
      .split('\n')
      .filter((l) => /^\s+at /.test(l) && !INTERNAL_FRAME.test(l))
      .map((l) => cellFrame(l)?.replace(/evalmachine\.<anonymous>(?::\d+:\d+)?/g, '<cell>'))
      .filter((l): l is string => l !== undefined);
    return { ename, evalue, traceback: [...head.split('\n'), ...frames] };
  }
  const shown = utilInspect(e);
  return { ename: 'Error', evalue: `${shown} (a non-Error value was thrown)`, traceback: [`Uncaught ${shown}`] };
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function isInterruptError(e: unknown): boolean {
  const m = e instanceof Error ? e.message : '';
  return m === 'Interrupted asynchronously' || /Script execution was interrupted/.test(m);
}

/** Lazily created converters, as tslab's own kernel does (the browser one is rarely needed). */
class Converters {
  private nodeConv?: Converter;
  private browserConv?: Converter;
  constructor(private readonly create: (browser: boolean) => Converter) {}
  get node(): Converter {
    return (this.nodeConv ??= this.create(false));
  }
  get browser(): Converter {
    return (this.browserConv ??= this.create(true));
  }
  close(): void {
    this.nodeConv?.close();
    this.browserConv?.close();
  }
}

/**
 * Runs TypeScript cells with tslab, one at a time, in this process. Variables persist across
 * cells; `const` may be redeclared; top-level `await` works.
 * @example
 * const s = new CellSession(process.cwd());
 * await s.run('const x = 1 + 1; x'); // { ok: true, hasValue: true, value: 2 }
 */
export class CellSession {
  private readonly executor: Executor;
  private readonly convs: Converters;
  private captured: { value?: unknown; hasValue: boolean; thrown: unknown[]; diagnostics: string[] } = {
    hasValue: false,
    thrown: [],
    diagnostics: [],
  };
  private interruptRequested = false;
  private runs = 0;
  private running = false;

  /**
   * @param rootDir folder that modules are resolved from (the notebook's folder)
   */
  constructor(rootDir: string) {
    // tslab is loaded here, not at import time: it brings the TypeScript compiler.

    const conv = require('tslab/dist/converter') as typeof import('tslab/dist/converter');

    const exec = require('tslab/dist/executor') as typeof import('tslab/dist/executor');
    this.convs = new Converters((browser) => conv.createConverter({ isJS: false, isBrowser: browser }));
    const sink: ConsoleInterface = {
      log: (value?: unknown) => {
        this.captured.value = value;
        this.captured.hasValue = true;
      },
      error: (first?: unknown, ...rest: unknown[]) => {
        if (rest.length === 0) this.captured.thrown.push(first);
        else this.captured.diagnostics.push(format(first, ...rest));
      },
    };
    this.executor = exec.createExecutor(rootDir, this.convs, sink);
  }

  /** Creates the Node.js converter now (it takes several hundred milliseconds). */
  warm(): void {
    void this.convs.node;
  }

  /** Whether a cell is running. */
  get busy(): boolean {
    return this.running;
  }

  /**
   * Compiles and runs one cell.
   * @param code the cell's TypeScript source
   * @param label the cell's name in tracebacks (`<cell LABEL>:line:column`; default: a run counter)
   * @returns the last expression's value, or the error (a compile error has ename `TSError`)
   */
  async run(code: string, label?: string): Promise<CellOutcome> {
    this.captured = { hasValue: false, thrown: [], diagnostics: [] };
    this.running = true;
    let ok: boolean;
    let interrupted = false;
    try {
      // An interrupt that came after the request was accepted but before the cell started
      // (e.g. while execute_input was being published) stops it before it runs.
      if (this.interruptRequested) throw new ExecutionError('Interrupted asynchronously');
      // expandShorthand works around tslab's shorthand-property bug ({ rows } naming an earlier
      // cell's variable); it keeps line numbers, so diagnostics still point at the user's lines.
      const source = expandShorthand(code);
      ok = await withCellScripts(label ?? String(++this.runs), source, () => this.executor.execute(source));
    } catch (e) {
      this.captured.thrown.push(e);
      ok = false;
    } finally {
      interrupted = this.interruptRequested;
      this.running = false;
      this.interruptRequested = false;
    }
    const c = this.captured;
    if (c.diagnostics.length > 0) {
      const evalue = c.diagnostics.join('\n');
      return { ok: false, ename: COMPILE_ENAME, evalue, traceback: [`${COMPILE_ENAME}: TypeScript compilation failed`, ...c.diagnostics] };
    }
    if (c.thrown.length > 0) {
      const e = c.thrown[0];
      return { ok: false, ...errorFields(e, isInterruptError(e) || (interrupted && e instanceof Error && /Interrupted/.test(e.message))) };
    }
    if (!ok) return { ok: false, ename: 'Error', evalue: 'the cell failed without an error value', traceback: [] };
    return c.hasValue ? { ok: true, hasValue: true, value: c.value } : { ok: true, hasValue: false };
  }

  /**
   * Stops the cell that is running or about to run (the caller calls this only while an execute
   * request is in progress): an awaiting cell is stopped at once, a cell not yet started does not
   * start. A blocked synchronous loop is stopped by SIGINT instead (tslab runs cells with
   * `breakOnSigint`).
   */
  interrupt(): void {
    this.interruptRequested = true;
    this.executor.interrupt();
  }

  /**
   * Completion candidates at `pos` (a UTF-16 offset).
   * @returns tslab's completion info
   */
  complete(code: string, pos: number): CompletionInfo {
    return this.executor.complete(code, pos);
  }

  /**
   * Type information at `pos` (a UTF-16 offset) as text, or undefined when there is none.
   */
  inspect(code: string, pos: number): string | undefined {
    const info = this.executor.inspect(code, pos);
    if (!info) return undefined;

    const { printQuickInfo } = require('tslab/dist/inspect') as typeof import('tslab/dist/inspect');
    return printQuickInfo(info);
  }

  /** Releases the compiler's watchers. */
  close(): void {
    this.executor.close();
  }
}
