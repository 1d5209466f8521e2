/**
 * nbformat 4 notebooks: types, builders, reading (with upgrade to 4.5) and atomic writing.
 *
 * @see https://nbformat.readthedocs.io/en/latest/format_description.html
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { InputError } from '../util/errors.js';
import { writeFileAtomic } from '../util/fs.js';
import { assertValidNotebook } from './schema.js';
import type { Cell, CodeCell, MarkdownCell, MultilineString, Notebook } from '../jupyter/nbformat-types.js';

export type {
  Cell,
  CellMetadata,
  CodeCell,
  DisplayDataOutput,
  ErrorOutput,
  ExecuteResultOutput,
  MarkdownCell,
  MimeBundle,
  MultilineString,
  Notebook,
  NotebookMetadata,
  Output,
  RawCell,
  StreamOutput,
} from '../jupyter/nbformat-types.js';

/** The nbformat minor version this package writes. */
export const NBFORMAT_MINOR = 5;

const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;

/** A new random cell id (8 hex digits, as nbformat's `random_cell_id`). */
export function newCellId(): string {
  return randomBytes(4).toString('hex');
}

/** Joins a multi-line string into one string. */
export function joinSource(s: MultilineString | undefined): string {
  return Array.isArray(s) ? s.join('') : (s ?? '');
}

/** Splits text into nbformat lines (each keeps its `\n`, as Jupyter writes them). */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * A new empty nbformat 4.5 notebook.
 * @param kernelspec the kernel it is for (default: the project's TypeScript kernel)
 * @example
 * const nb = newNotebook(); nb.cells.push(markdownCell('# 6.3.6 Robustness'), codeCell('const seed = 1;', ['parameters']));
 */
export function newNotebook(
  kernelspec = { name: 'ptm-typescript', display_name: 'TypeScript (ptm-conformity)', language: 'typescript' },
): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: NBFORMAT_MINOR,
    metadata: { kernelspec: { ...kernelspec }, language_info: { name: kernelspec.language ?? 'typescript' } },
    cells: [],
  };
}

/**
 * A new code cell.
 * @param source the code
 * @param tags cell tags (e.g. `['parameters']`)
 */
export function codeCell(source: string, tags: string[] = []): CodeCell {
  return {
    id: newCellId(),
    cell_type: 'code',
    metadata: tags.length ? { tags: [...tags] } : {},
    source: splitLines(source),
    outputs: [],
    execution_count: null,
  };
}

/**
 * A new markdown cell.
 * @param source the markdown text
 * @param tags cell tags
 */
export function markdownCell(source: string, tags: string[] = []): MarkdownCell {
  return { id: newCellId(), cell_type: 'markdown', metadata: tags.length ? { tags: [...tags] } : {}, source: splitLines(source) };
}

/** The tags of a cell (empty when none). */
export function cellTags(cell: Cell): string[] {
  const t = cell.metadata?.tags;
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * Makes a parsed nbformat 4.x notebook a 4.5 notebook in place: every cell gets a well-formed,
 * unique `id` (missing, malformed or duplicate ids are replaced), code cells get `outputs` and
 * `execution_count`, and `nbformat_minor` becomes 5.
 * @param nb a notebook of nbformat 4.0–4.5
 * @returns the same object
 */
export function upgradeNotebook(nb: Notebook): Notebook {
  const seen = new Set<string>();
  for (const cell of nb.cells) {
    let id = typeof cell.id === 'string' ? cell.id : '';
    if (!CELL_ID.test(id) || seen.has(id)) {
      do id = newCellId();
      while (seen.has(id));
      cell.id = id;
    }
    seen.add(id);
    cell.metadata ??= {};
    if (cell.cell_type === 'code') {
      cell.outputs ??= [];
      if (cell.execution_count === undefined) cell.execution_count = null;
    }
  }
  if (nb.nbformat_minor < NBFORMAT_MINOR) nb.nbformat_minor = NBFORMAT_MINOR;
  nb.metadata ??= {};
  return nb;
}

/**
 * Parses notebook JSON text, checks that it is nbformat 4 and upgrades it to 4.5.
 * @param text the file content
 * @param file the file name for messages
 * @throws InputError when the text is not JSON, not a notebook, or older than nbformat 4
 */
export function parseNotebook(text: string, file = '<notebook>'): Notebook {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file} is not valid JSON: ${(e as Error).message}`, { file, remedy: 'give a Jupyter notebook (.ipynb) file' });
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new InputError(`${file} is not a notebook: the top level is not a JSON object`, {
      file,
      remedy: 'give a Jupyter notebook (.ipynb) file',
    });
  }
  const o = doc as Record<string, unknown>;
  if (typeof o.nbformat !== 'number') {
    throw new InputError(`${file} is not a notebook: "nbformat" is missing`, {
      file,
      field: '/nbformat',
      remedy: 'give a Jupyter notebook (.ipynb) file',
    });
  }
  if (o.nbformat !== 4) {
    throw new InputError(`${file} is nbformat ${o.nbformat}; nbformat 4 is required`, {
      file,
      field: '/nbformat',
      remedy: `convert it first: jupyter nbconvert --to notebook --nbformat 4 ${file}`,
    });
  }
  if (!Array.isArray(o.cells)) {
    throw new InputError(`${file} is not a notebook: "cells" is not a list`, {
      file,
      field: '/cells',
      remedy: 'give a Jupyter notebook (.ipynb) file',
    });
  }
  o.cells.forEach((c, i) => {
    const t = (c as { cell_type?: unknown } | null)?.cell_type;
    if (t !== 'code' && t !== 'markdown' && t !== 'raw') {
      throw new InputError(`${file}: cell ${i} has cell_type ${JSON.stringify(t)}`, {
        file,
        field: `/cells/${i}/cell_type`,
        remedy: 'use "code", "markdown" or "raw"',
      });
    }
  });
  if (typeof o.nbformat_minor !== 'number') o.nbformat_minor = 0;
  if (o.metadata === null || typeof o.metadata !== 'object') o.metadata = {};
  return upgradeNotebook(o as unknown as Notebook);
}

/**
 * Reads a notebook file (nbformat 4.x, upgraded to 4.5 in memory).
 * @param path the `.ipynb` file
 * @throws InputError when the file is missing, not JSON, or not nbformat 4
 * @example
 * const nb = readNotebook('notebooks/6.3.6-robustness.ipynb');
 */
export function readNotebook(path: string): Notebook {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new InputError(`notebook ${path} does not exist`, { file: path, remedy: 'check the path of the input notebook' });
  }
  return parseNotebook(readFileSync(path, 'utf8'), path);
}

const SPLIT_MIMES = new Set(['application/javascript', 'image/svg+xml']);

/** JSON MIME values longer than this (compact) are written on one line by {@link serializeNotebook}. */
export const COMPACT_JSON_CHARS = 2000;

/**
 * Serialises a notebook as Jupyter does: multi-line text split into lines (sources, stream text,
 * text MIME data), sorted keys, 1-space indent, trailing newline. One difference keeps executed
 * notebooks small: a large JSON MIME value (`application/json`, `…+json` such as plotly's figure, over
 * {@link COMPACT_JSON_CHARS} characters) is written on one line instead of one line per array element
 * (the same JSON value; Jupyter reads it unchanged). The notebook is not modified.
 */
export function serializeNotebook(nb: Notebook): string {
  const copy = sortKeys(nb) as Notebook;
  const compact: string[] = [];
  const token = `__ptmc_compact_${randomBytes(6).toString('hex')}_`;
  for (const cell of copy.cells) {
    if (typeof cell.source === 'string') cell.source = splitLines(cell.source);
    if (cell.cell_type !== 'code') continue;
    for (const o of cell.outputs) {
      if (o.output_type === 'stream' && typeof o.text === 'string') o.text = splitLines(o.text);
      if (o.output_type === 'display_data' || o.output_type === 'execute_result') {
        for (const [k, v] of Object.entries(o.data)) {
          if (typeof v === 'string' && k !== 'application/json' && (k.startsWith('text/') || SPLIT_MIMES.has(k))) o.data[k] = splitLines(v);
          else if (v !== null && typeof v === 'object' && (k === 'application/json' || k.endsWith('+json'))) {
            const one = JSON.stringify(v);
            if (one.length > COMPACT_JSON_CHARS) o.data[k] = `${token}${compact.push(one) - 1}`;
          }
        }
      }
    }
  }
  const text = JSON.stringify(copy, null, 1) + '\n';
  return compact.length === 0 ? text : text.replace(new RegExp(`"${token}(\\d+)"`, 'g'), (_, i: string) => compact[Number(i)]!);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = sortKeys(x);
  }
  return out;
}

/**
 * Validates (see `validateNotebook`) and writes a notebook atomically (temp file + rename).
 * @param path destination
 * @param nb the notebook
 * @throws SchemaError when the notebook is not valid nbformat 4.5 (nothing is written)
 */
export function writeNotebook(path: string, nb: Notebook): void {
  assertValidNotebook(nb, path);
  writeFileAtomic(path, serializeNotebook(nb));
}
