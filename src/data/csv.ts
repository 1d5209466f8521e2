/**
 * CSV with a header row: a small RFC 4180 parser for manifests and label files, and
 * {@link readCsvTable} which returns a danfojs DataFrame for notebooks.
 * Reference: RFC 4180, "Common Format and MIME Type for Comma-Separated Values (CSV) Files".
 */
import { readFileSync } from 'node:fs';
import type { DataFrame } from 'danfojs-node';
import { InputError } from '../util/errors.js';
import { danfo } from './danfo.js';

/** A parsed CSV: header names and rows of raw strings (same length as the header). */
export interface CsvText {
  columns: string[];
  rows: string[][];
}

/**
 * Parses CSV text with a header row. Quoted fields may hold commas, quotes (`""`) and newlines;
 * CRLF and LF line ends are accepted; a UTF-8 BOM is dropped; blank lines are skipped.
 *
 * @param text the CSV text
 * @param file name used in error messages
 * @returns header and rows
 * @throws {InputError} empty file, duplicate or empty column names, a row with a different
 *   number of fields than the header (named by its 1-based data row number), an unterminated quote
 * @example
 * parseCsv('id,label\na,1\n').rows; // [['a', '1']]
 */
export function parseCsv(text: string, file = '<csv>'): CsvText {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records: string[][] = [];
  let field = '';
  let rec: string[] = [];
  let i = 0;
  const n = text.length;
  let quoted = false;
  let fieldStarted = false;
  while (i < n) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (c === ',') {
      rec.push(field);
      field = '';
      fieldStarted = false;
      i++;
    } else if (c === '\n' || c === '\r') {
      rec.push(field);
      if (!(rec.length === 1 && rec[0] === '' && !fieldStarted)) records.push(rec);
      rec = [];
      field = '';
      fieldStarted = false;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted)
    throw new InputError('unterminated quoted field', {
      file,
      field: `row ${records.length}`,
      remedy: 'close the quote ("…") or escape quotes as ""',
    });
  if (fieldStarted || rec.length > 0) {
    rec.push(field);
    records.push(rec);
  }
  if (records.length === 0)
    throw new InputError('empty CSV file: a header row is required', {
      file,
      field: 'header',
      remedy: 'write a header row, e.g. "id,label"',
    });
  const columns = records[0]!.map((s) => s.trim());
  const seen = new Set<string>();
  columns.forEach((c, j) => {
    if (!c) throw new InputError(`empty column name in header (column ${j + 1})`, { file, field: 'header', remedy: 'name every column' });
    if (seen.has(c))
      throw new InputError(`duplicate column "${c}" in header`, { file, field: 'header', remedy: 'give every column a distinct name' });
    seen.add(c);
  });
  const rows = records.slice(1);
  rows.forEach((r, k) => {
    if (r.length !== columns.length)
      throw new InputError(`row ${k + 1} has ${r.length} fields but the header has ${columns.length}`, {
        file,
        field: `row ${k + 1}`,
        remedy: 'give every row one field per header column (quote fields that contain commas)',
      });
  });
  return { columns, rows };
}

/**
 * Reads and parses a CSV file with a header row (see {@link parseCsv}).
 * @param path the file
 * @throws {InputError} missing/unreadable file or malformed CSV
 */
export function readCsv(path: string): CsvText {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${(e as Error).message}`, { file: path, remedy: 'check the path', cause: e });
  }
  return parseCsv(text, path);
}

/**
 * Converts a cell to a number when it is numeric (`NaN`/`nan` → NaN), `null` when empty (or `NA`,
 * `null`), otherwise keeps the string.
 * @param s a raw CSV cell
 */
export function cellValue(s: string): string | number | null {
  const t = s.trim();
  if (t === '' || t === 'NA' || t === 'null') return null;
  if (t === 'NaN' || t === 'nan') return NaN;
  const v = Number(t);
  return Number.isNaN(v) ? s : v;
}

/**
 * Column-wise values of a parsed CSV: a column whose non-empty cells are all numeric becomes
 * numbers (empty → `NaN`), otherwise strings (empty → `null`).
 * @param csv a parsed CSV
 * @returns one array per column
 */
export function csvColumns(csv: CsvText): Record<string, (string | number | null)[]> {
  const out: Record<string, (string | number | null)[]> = {};
  csv.columns.forEach((c, j) => {
    const raw = csv.rows.map((r) => cellValue(r[j]!));
    const numeric = raw.every((v) => v === null || typeof v === 'number');
    out[c] = numeric ? raw.map((v) => (v === null ? NaN : v)) : csv.rows.map((r) => (r[j]!.trim() === '' ? null : r[j]!));
  });
  return out;
}

/**
 * Reads a CSV file with a header into a danfojs DataFrame (numeric columns as numbers).
 * Loads danfojs on first use (it takes about two seconds to import).
 *
 * @param path the CSV file
 * @returns the table
 * @throws {InputError} missing file or malformed CSV (row named)
 * @example
 * const df = await readCsvTable('examples/breast/test.csv'); df.head().print();
 */
export async function readCsvTable(path: string): Promise<DataFrame> {
  const csv = readCsv(path);
  const dfd = danfo();
  const cols = csvColumns(csv);
  return new dfd.DataFrame(cols, { columns: csv.columns });
}
