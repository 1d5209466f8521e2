/**
 * Contents of the kernel's simple replies (kernel_info, is_complete, complete, inspect), kept
 * apart from the socket plumbing so they can be tested directly.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inspect } from 'node:util';
import { packageRoot } from '../util/package-root.js';
import { tableBundle, type TableInput } from '../util/table.js';
import { MIME_BUNDLE_KEY } from './runtime.js';
import type { CellSession } from './cell-session.js';

/** Jupyter messaging protocol version the kernel speaks. */
export const KERNEL_PROTOCOL_VERSION = '5.3';

let versions: { ptmc: string; typescript: string; tslab: string } | undefined;

/**
 * Versions reported by the kernel: this package, tslab, and the TypeScript compiler that tslab
 * uses to compile cells (`@tslab/typescript-for-tslab`, not the project's own `typescript`).
 * @returns the version strings
 * @example
 * kernelVersions().typescript; // '5.0.4'
 */
export function kernelVersions(): { ptmc: string; typescript: string; tslab: string } {
  if (versions) return versions;
  const read = (file: string): string => (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  const tslabPkg = require.resolve('tslab/package.json');
  const tsPkg = require.resolve('@tslab/typescript-for-tslab/package.json', { paths: [dirname(tslabPkg)] });
  versions = { ptmc: read(join(packageRoot(), 'package.json')), tslab: read(tslabPkg), typescript: read(tsPkg) };
  return versions;
}

/**
 * The content of `kernel_info_reply`.
 * @returns protocol 5.3, implementation `ptm-conformity`, and `language_info` for TypeScript
 * @example
 * kernelInfoContent().language_info.file_extension; // '.ts'
 */
export function kernelInfoContent(): {
  status: 'ok';
  protocol_version: string;
  implementation: string;
  implementation_version: string;
  language_info: Record<string, string>;
  banner: string;
  help_links: { text: string; url: string }[];
  debugger: boolean;
} {
  const v = kernelVersions();
  return {
    status: 'ok',
    protocol_version: KERNEL_PROTOCOL_VERSION,
    implementation: 'ptm-conformity',
    implementation_version: v.ptmc,
    language_info: {
      name: 'typescript',
      version: v.typescript,
      mimetype: 'text/typescript',
      file_extension: '.ts',
      codemirror_mode: 'typescript',
      pygments_lexer: 'typescript',
    },
    banner: `ptm-conformity ${v.ptmc} TypeScript kernel (tslab ${v.tslab}, TypeScript ${v.typescript}, Node.js ${process.version})`,
    help_links: [],
    debugger: false,
  };
}

/**
 * Converts a Jupyter cursor position (Unicode code points) to a JavaScript string offset (UTF-16).
 * @param code the text
 * @param cp position in code points
 * @returns the UTF-16 offset, clamped to the text
 * @example
 * codePointToOffset('😀x', 1); // 2
 */
export function codePointToOffset(code: string, cp: number): number {
  let off = 0;
  for (let i = 0; i < cp && off < code.length; i++) off += (code.codePointAt(off) ?? 0) > 0xffff ? 2 : 1;
  return Math.min(off, code.length);
}

/**
 * Converts a JavaScript string offset (UTF-16) to Unicode code points.
 * @param code the text
 * @param off UTF-16 offset
 * @returns the position in code points
 * @example
 * offsetToCodePoint('😀x', 2); // 1
 */
export function offsetToCodePoint(code: string, off: number): number {
  return [...code.slice(0, Math.max(0, off))].length;
}

/**
 * The content of `is_complete_reply`, from tslab's `isCompleteCode`; code that is complete but does
 * not parse (TypeScript's syntactic diagnostics, e.g. `const z = )`) is `invalid`, as ipykernel says
 * for a SyntaxError.
 * @param code the code typed so far
 * @returns `complete`, `invalid`, or `incomplete` with the indent for the next line
 * @example
 * isCompleteContent('if (x) {'); // { status: 'incomplete', indent: '  ' }
 * isCompleteContent('const z = )'); // { status: 'invalid' }
 */
export function isCompleteContent(code: string): { status: 'complete' | 'incomplete' | 'invalid'; indent?: string } {
  const { isCompleteCode } = require('tslab/dist/converter') as typeof import('tslab/dist/converter');
  const r = isCompleteCode(code);
  if (!r.completed) return { status: 'incomplete', indent: r.indent ?? '' };
  return syntaxErrors(code) > 0 ? { status: 'invalid' } : { status: 'complete' };
}

/** Number of TypeScript syntax errors in a cell (parsed by tslab's own compiler, `@tslab/typescript-for-tslab`). */
function syntaxErrors(code: string): number {
  const ts = createRequire(require.resolve('tslab/package.json'))('@tslab/typescript-for-tslab') as typeof import('typescript');
  const sf = ts.createSourceFile('cell.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return ((sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? []).length;
}

/**
 * The content of `complete_reply`.
 * @param session the running session (its compiler knows the cells' declarations)
 * @param code the cell text
 * @param cursorPos cursor position in code points
 * @returns matches and the code-point range they replace
 * @example
 * completeContent(s, 'Math.fl', 7).matches; // ['floor', …]
 */
export function completeContent(
  session: CellSession,
  code: string,
  cursorPos: number,
): { status: 'ok'; matches: string[]; cursor_start: number; cursor_end: number; metadata: Record<string, unknown> } {
  const info = session.complete(code, codePointToOffset(code, cursorPos));
  return {
    status: 'ok',
    matches: info.candidates,
    cursor_start: offsetToCodePoint(code, info.start),
    cursor_end: offsetToCodePoint(code, info.end),
    metadata: {},
  };
}

/**
 * The content of `inspect_reply`.
 * @param session the running session
 * @param code the cell text
 * @param cursorPos cursor position in code points
 * @returns `found` with a `text/plain` description of the symbol under the cursor
 * @example
 * inspectContent(s, 'Math.max', 6).data['text/plain']; // 'function Math.max(...values: number[]): number …'
 */
export function inspectContent(
  session: CellSession,
  code: string,
  cursorPos: number,
): { status: 'ok'; found: boolean; data: Record<string, string>; metadata: Record<string, unknown> } {
  const text = session.inspect(code, codePointToOffset(code, cursorPos));
  return text === undefined
    ? { status: 'ok', found: false, data: {}, metadata: {} }
    : { status: 'ok', found: true, data: { 'text/plain': text }, metadata: {} };
}

/**
 * Whether a cell value is shown as a table: a danfojs DataFrame or Series (duck-typed: `columns`,
 * `values` and `index` arrays on a class named DataFrame or Series), or a non-empty array of plain records.
 * @param v the value
 * @returns true for a table-like value
 * @example
 * isTableValue([{ id: 1, dice: 0.9 }]); // true
 */
export function isTableValue(v: unknown): v is TableInput {
  if (Array.isArray(v)) {
    return (
      v.length > 0 &&
      v.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r) && Object.getPrototypeOf(r) === Object.prototype)
    );
  }
  if (v === null || typeof v !== 'object') return false;
  const o = v as { constructor?: { name?: string }; values?: unknown; index?: unknown; columns?: unknown };
  const name = o.constructor?.name;
  if (name !== 'DataFrame' && name !== 'Series') return false;
  try {
    return Array.isArray(o.values) && Array.isArray(o.index) && Array.isArray(o.columns);
  } catch {
    return false;
  }
}

/**
 * The data of an `execute_result` for a value: `text/plain` from `util.inspect`, plus any MIME
 * bundle the value provides through {@link MIME_BUNDLE_KEY}; a DataFrame, Series or array of plain
 * records ({@link isTableValue}) becomes an HTML table (at most 50 rows) with a text table fallback.
 * @param value the last expression's value
 * @returns the MIME bundle
 * @example
 * resultData(42); // { 'text/plain': '42' }
 */
export function resultData(value: unknown): Record<string, unknown> {
  let rich: Record<string, unknown> = {};
  const f =
    value !== null && (typeof value === 'object' || typeof value === 'function')
      ? (value as Record<symbol, unknown>)[MIME_BUNDLE_KEY]
      : undefined;
  if (typeof f === 'function') {
    const b = (f as () => unknown).call(value);
    if (b && typeof b === 'object') rich = b as Record<string, unknown>;
  } else if (isTableValue(value)) {
    return tableBundle(value, { maxRows: 50 });
  }
  return { ...rich, 'text/plain': typeof rich['text/plain'] === 'string' ? rich['text/plain'] : inspect(value) };
}
