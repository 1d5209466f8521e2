import type { ReportVerdict } from './strings.js';

/** A pdfmake content node (the document definition is plain data). */
export type PdfNode = Record<string, unknown>;
/** pdfmake content: a string, a node, or a list of them. */
export type PdfContent = string | PdfNode | PdfContent[];

/** Text and fill colours of each verdict (summary table, verdict boxes). */
export const VERDICT_COLORS: Record<ReportVerdict, { text: string; fill: string }> = {
  pass: { text: '#1b5e20', fill: '#dff0d8' },
  fail: { text: '#b71c1c', fill: '#f8d7da' },
  inconclusive: { text: '#8a5300', fill: '#fff3cd' },
  'not-applicable': { text: '#455a64', fill: '#eceff1' },
  'not-evaluated': { text: '#616161', fill: '#f5f5f5' },
};

/** Colour of the rules and table headers. */
export const ACCENT = '#1f3864';

/**
 * Formats a measured or settings value for a table cell: numbers to 4 significant digits
 * (integers exact), booleans and null as words, objects as compact JSON cut at `max` characters.
 * @example
 * formatValue(0.871234); // '0.8712'
 * formatValue({ sigma: [0.01, 0.02] }); // '{"sigma":[0.01,0.02]}'
 */
export function formatValue(v: unknown, max = 240): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-4 || a >= 1e7)) return v.toExponential(3);
    return String(Number(v.toPrecision(4)));
  }
  if (typeof v === 'string') return v.length > max ? v.slice(0, max - 1) + '…' : v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  let s: string;
  try {
    s = JSON.stringify(v, (_k, x: unknown) =>
      typeof x === 'number' && !Number.isInteger(x) && Number.isFinite(x) ? Number(x.toPrecision(4)) : x,
    ).replace(/,(?=["{[\d-])/g, ', ');
  } catch {
    s = String(v);
  }
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/**
 * Formats measurement conditions: an object as `key=value, …` (nested objects, two levels deep, as
 * `outer.inner=value`), anything else as {@link formatValue}.
 * @example
 * formatConditions({ provider: 'cpu', params: { sigma: 0.1 } }); // 'provider=cpu, params.sigma=0.1'
 */
export function formatConditions(v: unknown): string {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return formatValue(v);
  const flat: [string, unknown][] = [];
  const walk = (o: Record<string, unknown>, prefix: string, depth: number): void => {
    for (const [k, x] of Object.entries(o)) {
      if (x && typeof x === 'object' && !Array.isArray(x) && depth < 2) walk(x as Record<string, unknown>, `${prefix}${k}.`, depth + 1);
      else flat.push([`${prefix}${k}`, x]);
    }
  };
  walk(v as Record<string, unknown>, '', 0);
  return flat.map(([k, x]) => `${k}=${formatValue(x)}`).join(', ');
}

/**
 * A text node that wraps long tokens (paths, JSON pointers, dotted keys) only after `/`, `.` or
 * `_`: each token longer than `longest` characters is split there by a hair-wide space, which
 * the line breaker takes as a break opportunity; other text wraps at spaces as usual.
 * @param s the text
 * @param extra further node properties (style, size, colour)
 * @param longest longest token that is left whole
 */
export function breakable(s: string, extra: PdfNode = {}, longest = 18): PdfNode {
  const parts = s.split(/( +)/);
  const split = (w: string) => w.length > longest && w.split(/(?<=[/._])(?=[^/._])/).length > 1;
  if (!parts.some(split)) return { text: s, ...extra };
  const inlines: PdfNode[] = [];
  for (const w of parts) {
    if (!split(w)) {
      inlines.push({ text: w });
      continue;
    }
    w.split(/(?<=[/._])(?=[^/._])/).forEach((p, i) => {
      if (i > 0) inlines.push({ text: ' ', fontSize: 0.1 });
      inlines.push({ text: p });
    });
  }
  return { text: inlines, ...extra };
}

/** Table layout: thin grey rules, shaded header row, zebra rows. */
export const TABLE_LAYOUT: PdfNode = {
  hLineWidth: (i: number, node: { table: { body: unknown[] } }) => (i === 0 || i === 1 || i === node.table.body.length ? 0.8 : 0.3),
  vLineWidth: () => 0,
  hLineColor: (i: number) => (i <= 1 ? ACCENT : '#b0b7c3'),
  fillColor: (row: number) => (row === 0 ? '#e8edf5' : row % 2 === 0 ? '#f7f9fc' : null),
  paddingLeft: () => 4,
  paddingRight: () => 4,
  paddingTop: () => 2.5,
  paddingBottom: () => 2.5,
};

/**
 * A table node with a bold repeated header row.
 * @param headers column headers
 * @param rows cells (strings or nodes)
 * @param widths pdfmake column widths (`'*'`, `'auto'`, numbers)
 * @param fontSize cell font size
 */
export function table(headers: (string | PdfNode)[], rows: PdfContent[][], widths?: (string | number)[], fontSize = 8): PdfNode {
  return {
    table: {
      headerRows: 1,
      keepWithHeaderRows: 1,
      dontBreakRows: true,
      widths: widths ?? headers.map(() => '*'),
      body: [
        headers.map((h) => (typeof h === 'string' ? { text: h, bold: true, color: ACCENT } : { ...h, bold: true, color: ACCENT })),
        ...rows,
      ],
    },
    layout: TABLE_LAYOUT,
    fontSize,
    margin: [0, 2, 0, 8],
  };
}

/** The label of an execution provider: the static inspection of 6.2 (no provider) in the report's language. */
export function providerLabel(provider: string, s: Record<string, string>): string {
  return provider === STATIC_INSPECTION ? (s['staticInspection'] ?? provider) : provider;
}

/** `environment.executionProvider` of a clause that ran no model (6.2). */
export const STATIC_INSPECTION = 'none (static inspection)';

/** A coloured verdict label. */
export function verdictCell(v: ReportVerdict, label: string): PdfNode {
  const c = VERDICT_COLORS[v];
  return { text: label, bold: true, color: c.text, fillColor: c.fill, alignment: 'center' };
}
