/**
 * Static SVG from a plotly figure without a browser: plotly.js renders in a shared jsdom window
 * (see `window.ts`) with text measured in the report font; the SVG is made standalone (namespaces,
 * size, viewBox, no foreignObject, no external references) and written atomically as a bundle file.
 */
import { join } from 'node:path';
import { InputError, PtmcError } from '../util/errors.js';
import type { Bilingual, FigureRef } from '../results/types.js';
import type { FigureLang } from './style.js';
import { writeFileAtomic } from '../util/fs.js';
import { FIGURE_FONT_FAMILY } from './fonts.js';
import { plotlyWindow } from './window.js';
import { compactTraces } from './compact.js';

/** A plotly figure: traces and layout (the JSON of `application/vnd.plotly.v1+json`). */
export interface PlotlyFigure {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/**
 * A figure in any language: a function building it with its texts in `zh`, `en` or `both`
 * (`zh / en`), or one fixed figure (used for every language).
 */
export type LocalizedFigure = PlotlyFigure | ((lang: FigureLang) => PlotlyFigure);

/**
 * The figure in a language.
 * @param figure a fixed figure or a builder
 * @param lang `zh`, `en` or `both`
 * @returns the plotly figure
 * @example
 * figureIn((lang) => lineChart({ x: [1], series: [{ name: { zh: '损失', en: 'Loss' }, y: [1] }], lang }), 'zh');
 */
export function figureIn(figure: LocalizedFigure, lang: FigureLang): PlotlyFigure {
  return typeof figure === 'function' ? figure(lang) : figure;
}

/** Size of a rendered figure in px (defaults: the layout's size, else 720 × 440). */
export interface RenderOptions {
  width?: number;
  height?: number;
}

const DEFAULT_WIDTH = 720;
const DEFAULT_HEIGHT = 440;
let queue: Promise<unknown> = Promise.resolve();

/** A seeded PRNG (mulberry32) so plotly's random ids (clip paths, defs) depend only on the figure. */
function seededRandom(text: string): () => number {
  let a = 2166136261;
  for (let i = 0; i < text.length; i++) a = Math.imul(a ^ text.charCodeAt(i), 16777619);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function withReportFont(layout: Record<string, unknown>): Record<string, unknown> {
  const font = (layout.font ?? {}) as Record<string, unknown>;
  return { ...layout, font: { ...font, family: font.family ?? FIGURE_FONT_FAMILY } };
}

/**
 * The figure as JSON text: typed arrays become plain arrays, NaN and ±Infinity become null (plotly's
 * gaps), BigInt becomes a number.
 * @param v a figure or any part of one
 * @returns JSON text
 * @example
 * figureJson({ y: new Float32Array([1, NaN]) }); // '{"y":[1,null]}'
 */
export function figureJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (ArrayBuffer.isView(x) && !(x instanceof DataView))
      return Array.from(x as unknown as ArrayLike<number | bigint>, (n) => (typeof n === 'bigint' ? Number(n) : n));
    if (typeof x === 'bigint') return Number(x);
    return x;
  });
}

/**
 * Makes plotly's SVG standalone: xmlns attributes, viewBox, no `<foreignObject>`, and no references
 * outside the document (only `#id` and `data:` URIs remain); zero-width spaces (around the exponents of
 * power-of-ten ticks) are dropped, as the PDF font has no glyph for them.
 * @param svg the SVG plotly serialised
 * @param width figure width
 * @param height figure height
 * @returns the cleaned SVG
 */
export function standaloneSvg(svg: string, width: number, height: number): string {
  let s = svg.replace(/<foreignObject[\s\S]*?<\/foreignObject>/g, '');
  s = s.replace(/\s(?:xlink:)?href="(?!#|data:)[^"]*"/g, '');
  s = s.replace(/url\((['"]?)(?!#)[^)]*\1\)/g, 'none');
  s = s.replace(/^<svg\b([^>]*)>/, (_m, attrs: string) => {
    let a = attrs.replace(/\s(?:xmlns(?::xlink)?|viewBox|width|height)="[^"]*"/g, '');
    a =
      ` xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" ` +
      `height="${height}" viewBox="0 0 ${width} ${height}"${a}`;
    return `<svg${a}>`;
  });
  s = pruneSvg(s);
  // plotly wraps the exponent of a power-of-ten tick (10⁻¹²) in zero-width spaces: no font has that glyph
  s = s.replace(/\u200b/g, '');
  s = s.replace(/\sstyle=""/g, '').replace(/(\s[\w:-]+=")([^"]*)"/g, (_m, name: string, value: string) => `${name}${roundNumbers(value)}"`);
  return s.startsWith('<?xml') ? s : `<?xml version="1.0" encoding="UTF-8"?>\n${s}`;
}

/**
 * Drops what paints nothing: clip paths no element refers to (plotly defines one per pair of axes, 243
 * for a 9-panel image grid) and empty groups.
 * @param svg the SVG text
 * @returns the SVG without them
 * @example
 * pruneSvg('<svg><defs><clipPath id="a"><rect/></clipPath></defs><g class="x"/><rect/></svg>'); // '<svg><defs></defs><rect/></svg>'
 */
export function pruneSvg(svg: string): string {
  let s = svg.replace(/<clipPath\b[^>]*\sid="([^"]+)"[^>]*>[\s\S]*?<\/clipPath>/g, (m, id: string) => (svg.includes(`#${id})`) ? m : ''));
  for (let prev = ''; prev !== s;) {
    prev = s;
    s = s.replace(/<g\b[^>]*\/>/g, '').replace(/<g\b[^>]*><\/g>/g, '');
  }
  return s;
}

/**
 * Rounds the numbers of an attribute value to two decimals (1/100 px; plotly writes float noise such
 * as `translate(193.98000000000002,0)`), dropping trailing zeros. Text content is not touched.
 * @param value an attribute value
 * @returns the value with shorter numbers
 * @example
 * roundNumbers('translate(193.98000000000002,0) scale(0.5)'); // 'translate(193.98,0) scale(0.5)'
 */
export function roundNumbers(value: string): string {
  return value.replace(/-?\d+\.\d{3,}(?:e-?\d+)?/g, (n) => {
    const r = Number(Number(n).toFixed(2));
    return String(Object.is(r, -0) ? 0 : r);
  });
}

/**
 * Renders a plotly figure to a standalone SVG string in plain Node (no browser): plotly.js runs in
 * a shared jsdom window whose text metrics are the report font's (fontkit). Text is set in the
 * report font (`font-family` lists it first, with fallbacks) unless the layout names another.
 * The output is deterministic: plotly's random element ids are seeded from the figure, so the
 * same figure always gives the same SVG. Renders are serialised (one at a time); the first call loads plotly (≈1–2 s), later ones take
 * tens of milliseconds.
 * @param figure `{ data, layout }` as for `Plotly.newPlot`
 * @param opts width and height in px (default: layout.width/height, else 720 × 440)
 * @returns the SVG document (with an XML declaration), usable as `image/svg+xml` and in pdfmake's `svg` node
 * @throws InputError when the figure has no `data` array; PtmcError when plotly fails
 * @example
 * const svg = await renderPlotlySvg({ data: [{ x: [1, 2], y: [3, 1] }], layout: { title: { text: 'AUC' } } });
 */
export async function renderPlotlySvg(figure: PlotlyFigure, opts: RenderOptions = {}): Promise<string> {
  if (!figure || !Array.isArray(figure.data)) {
    throw new InputError('a plotly figure needs a data array', { field: 'data', remedy: 'pass { data: [...traces], layout: {...} }' });
  }
  const layout = withReportFont(figure.layout ?? {});
  const width = Math.round(opts.width ?? (layout.width as number | undefined) ?? DEFAULT_WIDTH);
  const height = Math.round(opts.height ?? (layout.height as number | undefined) ?? DEFAULT_HEIGHT);
  const job = queue.then(async () => {
    const pw = plotlyWindow();
    pw.errors.length = 0;
    const json = figureJson({ data: figure.data, layout: { ...layout, width, height }, config: figure.config ?? {} });
    (pw.window.Math as { random: () => number }).random = seededRandom(json);
    const fig = JSON.parse(json);
    try {
      const svg = await pw.Plotly.toImage(fig, { format: 'svg', width, height, imageDataOnly: true });
      return standaloneSvg(svg, width, height);
    } catch (cause) {
      throw new PtmcError(`plotly could not render the figure: ${(cause as Error)?.message ?? String(cause)}`, {
        cause,
        remedy: 'check the traces and layout (plotly.js 4 attribute names)',
      });
    } finally {
      // A failed render leaves plotly's hidden graph div behind: keep the document clean.
      for (const el of Array.from(pw.window.document.body.children)) if (el.tagName === 'DIV') el.remove();
    }
  });
  queue = job.catch(() => undefined);
  return job;
}

/** Significant digits of non-integer numbers in the interactive copy of a saved figure. */
const INTERACTIVE_DIGITS = 6;

/**
 * The interactive copy of a figure as JSON text (`{data, layout, config}`, the SVG's size, the report
 * font): large heatmaps become image traces showing the SVG's own PNGs (see `compact.ts`), numbers
 * keep {@link INTERACTIVE_DIGITS} significant digits.
 * @param figure the plotly figure
 * @param svg its static SVG
 * @param opts the size it was rendered at
 * @returns the JSON text
 */
export function interactiveFigureJson(figure: PlotlyFigure, svg: string, opts: RenderOptions = {}): string {
  const layout = withReportFont(figure.layout ?? {});
  const width = Math.round(opts.width ?? (layout.width as number | undefined) ?? DEFAULT_WIDTH);
  const height = Math.round(opts.height ?? (layout.height as number | undefined) ?? DEFAULT_HEIGHT);
  const fig = JSON.parse(
    figureJson({ data: compactTraces(figure.data, svg), layout: { ...layout, width, height }, config: figure.config ?? {} }),
  );
  return JSON.stringify(fig, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isInteger(v) && Number.isFinite(v) ? Number(v.toPrecision(INTERACTIVE_DIGITS)) : v,
  );
}

/**
 * Renders a figure and writes it to `${outDir}/figures/${clause}-${name}.svg` atomically, with its interactive
 * copy beside it (`….plotly.json`, drawn by the HTML report). Both hold the bilingual texts (`zh / en`).
 * A figure given as a builder is also rendered with its texts in one language, for the PDF of that
 * language: `figures/<clause>-<name>.zh.svg` and `.en.svg`, recorded in `byLang` (a language whose
 * figure is the same as the bilingual one, e.g. a figure with names only, points at the `.svg`).
 * @param outDir the evidence bundle folder
 * @param clause clause id, e.g. `6.3.6`
 * @param name figure name (letters, digits, `.`, `_`, `-`), e.g. `severity`
 * @param figure the plotly figure, or a builder `(lang) => figure`
 * @param opts size, and an optional bilingual `title` recorded in the FigureRef
 * @returns the FigureRef for the ClauseResult:
 *   `{ name, title?, path: 'figures/<clause>-<name>.svg', plotly: '….plotly.json', byLang?: { zh, en } }`
 * @throws InputError for a name that is not a safe file name
 * @example
 * result.figures.push(await saveFigure(outDir, '6.3.6', 'severity', (lang) => lineChart({ ..., lang })));
 */
export async function saveFigure(
  outDir: string,
  clause: string,
  name: string,
  figure: LocalizedFigure,
  opts: RenderOptions & { title?: Bilingual } = {},
): Promise<FigureRef> {
  for (const [field, v] of [
    ['clause', clause],
    ['name', name],
  ] as const) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v)) {
      throw new InputError(`figure ${field} "${v}" is not a safe file name part`, {
        field,
        remedy: 'use letters, digits, ".", "_" and "-" only',
      });
    }
  }
  const both = figureIn(figure, 'both');
  const svg = await renderPlotlySvg(both, opts);
  const rel = `figures/${clause}-${name}.svg`;
  writeFileAtomic(join(outDir, rel), svg);
  const plotly = `figures/${clause}-${name}.plotly.json`;
  writeFileAtomic(join(outDir, plotly), interactiveFigureJson(both, svg, opts));
  const ref: FigureRef = { name, path: rel, plotly };
  if (typeof figure === 'function') {
    const bothJson = figureJson(both);
    const byLang = { zh: rel, en: rel };
    for (const lang of ['zh', 'en'] as const) {
      const fig = figure(lang);
      if (figureJson(fig) === bothJson) continue;
      const file = `figures/${clause}-${name}.${lang}.svg`;
      writeFileAtomic(join(outDir, file), await renderPlotlySvg(fig, opts));
      byLang[lang] = file;
    }
    ref.byLang = byLang;
  }
  if (opts.title) ref.title = opts.title;
  return ref;
}
