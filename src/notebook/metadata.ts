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
  nb.cells = nb.cells.filter((c) => !cellTags(c).includes(ERROR_TAG));
}

/**
 * Puts a markdown cell tagged `ptmc-error` at the top that names the failed cell and the error.
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
  nb.cells.unshift(markdownCell(text, [ERROR_TAG]));
}
