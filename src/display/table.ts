/**
 * Tables in notebooks: a danfojs DataFrame (or Series) or an array of row objects shown as an
 * escaped HTML table, with an aligned plain-text table as the `text/plain` fallback (rendering in
 * `src/util/table.ts`, shared with the kernel).
 */
import { tableBundle, type TableFormatOptions, type TableInput } from '../util/table.js';
import { emitBundle, type DisplayOptions } from './emit.js';

export { formatCell, tableBundle, type DataFrameLike, type SeriesLike, type TableFormatOptions, type TableInput } from '../util/table.js';

/** Options of {@link displayTable}. */
export interface TableOptions extends DisplayOptions, TableFormatOptions {}

/**
 * Shows a table: a danfojs DataFrame/Series or an array of row objects, as an HTML table whose
 * cells are escaped (a cell `<script>` shows as text), with an aligned text table as fallback.
 * @param input the table
 * @param opts `maxRows` (default 50), `caption`, `digits`, display id / update
 * @returns nothing; outside the kernel prints the text table
 * @throws InputError for other inputs
 * @example
 * displayTable(perClassDf, { caption: 'Per-class metrics 各类别指标', maxRows: 20 });
 */
export function displayTable(input: TableInput, opts: TableOptions = {}): void {
  emitBundle(tableBundle(input, opts), opts);
}
