/**
 * The nbformat 4 document types (cells, outputs, MIME bundles), shared by the kernel's display
 * channel and the notebook executor.
 *
 * @see https://nbformat.readthedocs.io/en/latest/format_description.html
 */

/** Multi-line text as nbformat stores it: one string or a list of lines. */
export type MultilineString = string | string[];

/** A MIME bundle: MIME type → data (text as a string or a list of lines; JSON types as objects). */
export type MimeBundle = Record<string, unknown>;

/** A `stream` output. */
export interface StreamOutput {
  output_type: 'stream';
  name: 'stdout' | 'stderr';
  text: MultilineString;
}
/** A `display_data` output. */
export interface DisplayDataOutput {
  output_type: 'display_data';
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient?: Record<string, unknown>;
}
/** An `execute_result` output. */
export interface ExecuteResultOutput {
  output_type: 'execute_result';
  execution_count: number | null;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
/** An `error` output. */
export interface ErrorOutput {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}
/** Any code cell output. */
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

/** Cell metadata (free-form; the known fields typed). */
export interface CellMetadata {
  tags?: string[];
  execution?: Record<string, string>;
  [key: string]: unknown;
}

/** A code cell. */
export interface CodeCell {
  id: string;
  cell_type: 'code';
  metadata: CellMetadata;
  source: MultilineString;
  outputs: Output[];
  execution_count: number | null;
}
/** A markdown cell. */
export interface MarkdownCell {
  id: string;
  cell_type: 'markdown';
  metadata: CellMetadata;
  source: MultilineString;
  attachments?: Record<string, MimeBundle>;
}
/** A raw cell. */
export interface RawCell {
  id: string;
  cell_type: 'raw';
  metadata: CellMetadata;
  source: MultilineString;
  attachments?: Record<string, MimeBundle>;
}
/** Any cell. */
export type Cell = CodeCell | MarkdownCell | RawCell;

/** Notebook-level metadata (free-form; the known fields typed). */
export interface NotebookMetadata {
  kernelspec?: { name: string; display_name: string; language?: string; [k: string]: unknown };
  language_info?: { name: string; [k: string]: unknown };
  [key: string]: unknown;
}

/** An nbformat 4 notebook. */
export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: NotebookMetadata;
  cells: Cell[];
}
