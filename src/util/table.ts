/**
 * Tables as HTML and aligned text: a danfojs DataFrame (or Series) or an array of row objects shown as
 * an escaped HTML table, with an aligned plain-text table as the `text/plain` fallback. Used by the
 * display helpers (`displayTable`) and by the kernel when such a value ends a cell.
 */
import { InputError } from './errors.js';
import { escapeHtml } from './html.js';

/** The part of a danfojs DataFrame used here (duck-typed: danfojs is not loaded by this module). */
export interface DataFrameLike {
  columns: string[];
  values: unknown[][];
  index: (string | number)[];
}

/** The part of a danfojs Series used here. */
export interface SeriesLike {
  values: unknown[];
  index: (string | number)[];
  columns?: string[];
}

/** What {@link displayTable} accepts. */
export type TableInput = DataFrameLike | SeriesLike | Record<string, unknown>[];

/** How a table is formatted (the display-free part of `displayTable`'s options). */
export interface TableFormatOptions {
  /** Rows shown at most (default 50): the first and last halves, with an ellipsis row between. */
  maxRows?: number;
  /** A caption above the table (plain text, escaped). */
  caption?: string;
  /** Significant digits for non-integer numbers (default 6). */
  digits?: number;
}

/** A table normalised to header, index labels and cell rows. */
interface Grid {
  columns: string[];
  index: string[] | undefined;
  rows: unknown[][];
}

function toGrid(input: TableInput): Grid {
  if (Array.isArray(input)) {
    const columns: string[] = [];
    const seen = new Set<string>();
    for (const row of input) {
      if (row === null || typeof row !== 'object')
        throw new InputError('displayTable rows must be objects', { remedy: 'pass [{ column: value, … }, …] or a danfojs DataFrame' });
      for (const k of Object.keys(row))
        if (!seen.has(k)) {
          seen.add(k);
          columns.push(k);
        }
    }
    return { columns, index: undefined, rows: input.map((r) => columns.map((c) => r[c])) };
  }
  if (input && Array.isArray((input as DataFrameLike).values) && Array.isArray((input as DataFrameLike).index)) {
    const index = (input as DataFrameLike).index.map(String);
    const values = (input as DataFrameLike).values;
    const cols = (input as DataFrameLike).columns;
    if (Array.isArray(cols) && values.every((r) => Array.isArray(r))) return { columns: cols.map(String), index, rows: values };
    // A Series: one column named after the series (danfojs keeps it in `columns[0]`).
    return { columns: [Array.isArray(cols) && cols.length ? String(cols[0]) : '0'], index, rows: (values as unknown[]).map((v) => [v]) };
  }
  throw new InputError('displayTable needs a danfojs DataFrame/Series or an array of row objects', {
    remedy: 'pass df, or rows like [{ clause: "6.3.6", verdict: "pass" }]',
  });
}

/**
 * Formats one cell: integers as is, other numbers to `digits` significant digits, null/undefined/NaN
 * as an empty cell, objects as JSON.
 * @param v the value
 * @param digits significant digits for non-integers
 * @returns the text
 * @example
 * formatCell(0.123456789, 4); // '0.1235'
 */
export function formatCell(v: unknown, digits = 6): string {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '';
  if (typeof v === 'number') return Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(Number(v.toPrecision(digits)));
  if (typeof v === 'object') return v instanceof Date ? v.toISOString() : JSON.stringify(v);
  return String(v);
}

function shownRows(n: number, maxRows: number): { head: number[]; tail: number[] } {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= maxRows) return { head: all, tail: [] };
  const h = Math.ceil(maxRows / 2);
  return { head: all.slice(0, h), tail: all.slice(n - (maxRows - h)) };
}

/** Terminal width of a string: East Asian wide and full-width characters count 2. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w +=
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd)
        ? 2
        : 1;
  }
  return w;
}

function textTable(header: string[], body: string[][]): string {
  const widths = header.map((h, j) => Math.max(displayWidth(h), ...body.map((r) => displayWidth(r[j]))));
  const line = (cells: string[]): string =>
    cells
      .map((c, j) => ' '.repeat(widths[j] - displayWidth(c)) + c)
      .join('  ')
      .trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}

/**
 * The MIME bundle of a table: `text/html` (every cell escaped; long tables cut to `maxRows` with an
 * ellipsis row and a size note) and an aligned `text/plain` table.
 * @param input a danfojs DataFrame or Series, or an array of row objects
 * @param opts maxRows, caption, digits
 * @returns `{ 'text/html', 'text/plain' }`
 * @throws InputError for other inputs
 */
export function tableBundle(input: TableInput, opts: TableFormatOptions = {}): { 'text/html': string; 'text/plain': string } {
  const g = toGrid(input);
  const maxRows = Math.max(1, opts.maxRows ?? 50);
  const digits = opts.digits ?? 6;
  const { head, tail } = shownRows(g.rows.length, maxRows);
  const cells = (i: number): string[] => g.rows[i].map((v) => formatCell(v, digits));
  const withIndex = g.index !== undefined;
  const tr = (i: number): string =>
    `<tr>${withIndex ? `<th>${escapeHtml(g.index![i])}</th>` : ''}${cells(i)
      .map((c) => `<td>${escapeHtml(c)}</td>`)
      .join('')}</tr>`;
  const span = g.columns.length + (withIndex ? 1 : 0);
  const ellipsis = tail.length ? `<tr><td colspan="${span}" style="text-align:center">…</td></tr>` : '';
  const note = `${g.rows.length} rows × ${g.columns.length} columns · ${g.rows.length} 行 × ${g.columns.length} 列`;
  const html = [
    '<div class="ptmc-table">',
    '<table class="dataframe" border="1">',
    opts.caption !== undefined ? `<caption>${escapeHtml(opts.caption)}</caption>` : '',
    `<thead><tr style="text-align:right">${withIndex ? '<th></th>' : ''}` +
      `${g.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>`,
    `<tbody>${head.map(tr).join('')}${ellipsis}${tail.map(tr).join('')}</tbody>`,
    '</table>',
    tail.length ? `<p>${escapeHtml(note)}</p>` : '',
    '</div>',
  ].join('');
  const header = [...(withIndex ? [''] : []), ...g.columns];
  const body = [...head, ...(tail.length ? [-1] : []), ...tail].map((i) =>
    i < 0 ? header.map(() => '…') : [...(withIndex ? [g.index![i]] : []), ...cells(i)],
  );
  let text = textTable(header, body);
  if (opts.caption !== undefined) text = `${opts.caption}\n${text}`;
  if (tail.length) text += `\n[${note}]`;
  return { 'text/html': html, 'text/plain': text };
}
