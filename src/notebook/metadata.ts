/**
 * What the executor records in a notebook: the `ptmc` run metadata and the error banner cell.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import type { FoundKernelSpec } from '../jupyter/kernelspec.js';
import { cellTags, markdownCell, type Notebook } from './nbformat.js';

/** Tag of the error banner cell the executor puts at the top of a failed notebook. */
export const ERROR_TAG = 'ptmc-error';
/** papermill's tag for the same banner (papermill users' tooling looks for it). */
export const PAPERMILL_ERROR_TAG = 'papermill-error-cell-tag';

/** Per-cell `metadata.papermill`, as papermill records it. */
export interface CellPapermill {
  status: 'pending' | 'running' | 'completed' | 'failed';
  /** ISO 8601 times; null before the cell ran. */
  start_time: string | null;
  end_time: string | null;
  /** Seconds. */
  duration: number | null;
  /** true when this cell raised. */
  exception: boolean | null;
}

/** Notebook `metadata.papermill`, as papermill records it (beside `metadata.ptmc`). */
export interface NotebookPapermill {
  /** The parameters injected by this run. */
  parameters: Record<string, unknown>;
  /** The values the `parameters` cell declares (simple literals only; others are left out). */
  default_parameters: Record<string, unknown>;
  input_path: string;
  output_path: string;
  start_time: string;
  end_time: string | null;
  duration: number | null;
  /** true when the run failed, else null (papermill's convention). */
  exception: boolean | null;
  environment_variables: Record<string, string>;
  /** The executor that wrote this record (papermill writes its own version here). */
  version: string;
}

/**
 * The initial per-cell papermill record (`status: pending`).
 * @returns a fresh record
 * @example
 * cell.metadata.papermill = pendingCell();
 */
export function pendingCell(): CellPapermill {
  return { status: 'pending', start_time: null, end_time: null, duration: null, exception: null };
}

/**
 * Marks a cell's papermill record finished.
 * @param rec the record (modified)
 * @param startMs start time (epoch ms)
 * @param failed whether the cell raised
 * @returns nothing
 */
export function finishCell(rec: CellPapermill, startMs: number, failed: boolean): void {
  const end = Date.now();
  rec.start_time = new Date(startMs).toISOString();
  rec.end_time = new Date(end).toISOString();
  rec.duration = (end - startMs) / 1000;
  rec.status = failed ? 'failed' : 'completed';
  rec.exception = failed ? true : null;
}

/**
 * The values a parameters cell declares as `const|let NAME[: T] = <JSON-like literal>;` (strings in
 * single or double quotes, numbers, booleans, null, JSON arrays/objects); other declarations are skipped.
 * @param source the parameters cell's code
 * @returns name → value
 * @example
 * defaultParameters("const seed = 42;\nconst lang: 'zh' | 'en' = 'zh';"); // { seed: 42, lang: 'zh' }
 */
export function defaultParameters(source: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const re = /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(.+?);?\s*(?:\/\/.*)?$/;
  for (const line of source.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    let lit = m[2]!.trim();
    if (/^'(?:[^'\\]|\\.)*'$/.test(lit)) lit = JSON.stringify(lit.slice(1, -1).replace(/\\'/g, "'"));
    try {
      out[m[1]!] = JSON.parse(lit);
    } catch {
      // not a plain literal (an expression): papermill would not know it either
    }
  }
  return out;
}

/** The notebook metadata `ptmc` of an executed notebook. */
export interface RunMetadata {
  tool: { name: string; version: string };
  start: string;
  end: string | null;
  /** Seconds. */
  duration: number | null;
  input_path: string;
  output_path: string;
  parameters: Record<string, unknown>;
  kernel: { name: string; display_name: string; language: string };
  /** Node.js version of the executor. */
  node: string;
  /** TypeScript version the kernel reports (`language_info.version`), null for other languages. */
  typescript: string | null;
  /** `language_info.version` of the kernel. */
  language_version: string | null;
  /** The failure that stopped the run, or null. */
  exception: { cell: number; cell_id: string | null; ename: string; evalue: string } | null;
  warnings: string[];
  [key: string]: unknown;
}

let version: string | undefined;

/** The version of this package (from its package.json). */
export function toolVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}

/**
 * The initial `ptmc` metadata of a run.
 * @param r start time, paths, parameters, kernel and warnings
 */
export function runMetadata(r: {
  startedAt: string;
  input: string;
  output: string;
  parameters: Record<string, unknown>;
  kernel: FoundKernelSpec;
  warnings: string[];
}): RunMetadata {
  return {
    tool: { name: 'ptm-conformity', version: toolVersion() },
    start: r.startedAt,
    end: null,
    duration: null,
    input_path: r.input,
    output_path: r.output,
    parameters: r.parameters,
    kernel: { name: r.kernel.name, display_name: r.kernel.spec.display_name, language: r.kernel.spec.language },
    node: process.versions.node,
    typescript: null,
    language_version: null,
    exception: null,
    warnings: r.warnings,
  };
}

function escapeMarkdown(s: string): string {
  return s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!).replace(/([\\`*_[\]|])/g, '\\$1');
}

/**
 * Removes error banner cells (from an earlier failed run of the same notebook).
 * @param nb the notebook (modified)
 */
export function removeErrorBanners(nb: Notebook): void {
  nb.cells = nb.cells.filter((c) => !cellTags(c).includes(ERROR_TAG) && !cellTags(c).includes(PAPERMILL_ERROR_TAG));
}

/**
 * Puts a markdown cell tagged `ptmc-error` and papermill's `papermill-error-cell-tag` at the top that names the failed cell and the error.
 * @param nb the notebook (modified)
 * @param error the failure (`cell` is the index before the banner is inserted; -1: no cell)
 */
export function addErrorBanner(nb: Notebook, error: { cell: number; ename: string; evalue: string }): void {
  const firstLine = error.evalue.split('\n')[0] ?? '';
  const where = error.cell >= 0 ? `in cell ${error.cell} (cell id \`${nb.cells[error.cell]?.id ?? '?'}\`)` : 'before any cell ran';
  const text = [
    `<span style="color:#b00020; font-size:1.5em;">**Execution failed** ${where}</span>`,
    '',
    `**${escapeMarkdown(error.ename)}**: ${escapeMarkdown(firstLine)}`,
    '',
    error.cell >= 0
      ? 'The cells below were saved as they stood when the run stopped; see the error output of the failed cell.'
      : 'No cell ran; the notebook below is the input (with any injected parameters).',
  ].join('\n');
  const banner = markdownCell(text, [ERROR_TAG, PAPERMILL_ERROR_TAG]);
  banner.metadata.papermill = { status: 'completed', start_time: null, end_time: null, duration: null, exception: null };
  nb.cells.unshift(banner);
}
