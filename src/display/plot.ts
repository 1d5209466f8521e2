/**
 * Plotly figures in notebooks: ONE `display_data` carrying
 * - `application/vnd.plotly.v1+json` (`{ data, layout }`: JupyterLab's plotly renderer),
 * - `image/svg+xml` (the static figure, rendered in Node by {@link renderPlotlySvg}),
 * - `image/png` (the same SVG rasterised with resvg) and a `text/plain` caption,
 * - only when asked (`interactive`, or {@link setInteractivePlots}): `text/html` that works offline, a div
 *   holding the SVG as fallback and a script that draws the interactive plot with `window.Plotly`;
 *   plotly.js itself (from the installed `plotly.js-dist`, never a CDN) is inlined in the first such plot
 *   of the kernel process only; later plots reuse `window.Plotly`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { figureJson, renderPlotlySvg, type PlotlyFigure, type RenderOptions } from '../figures/render.js';
import { plotlyBundlePath } from '../figures/window.js';
import { svgToPng } from '../figures/raster.js';
import { svgWithRasterFallback } from '../figures/fallback.js';
import { compactTraces } from '../figures/compact.js';
import { trackPending } from '../kernel/runtime.js';
import { emitBundle, type DisplayOptions, type MimeBundle } from './emit.js';

/** Options of {@link displayPlot}. */
export interface PlotOptions extends DisplayOptions, RenderOptions {}

const INLINED = Symbol.for('ptm-conformity.display.plotlyInlined');
let librarySource: string | undefined;

function globalState(): Record<symbol, boolean | undefined> {
  return globalThis as unknown as Record<symbol, boolean | undefined>;
}

/**
 * Whether this process has already published a plot whose HTML carries plotly.js.
 * @returns true after the first published plot
 */
export function plotlyInlined(): boolean {
  return globalState()[INLINED] === true;
}

/**
 * Forgets that plotly.js was inlined, so the next plot carries the library again (for a new
 * notebook in a long-lived process, and for tests).
 * @returns nothing
 */
export function resetPlotlyInline(): void {
  delete globalState()[INLINED];
}

/** JSON that is safe inside a `<script>` element. */
function scriptJson(v: unknown): string {
  return figureJson(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function plotlyScript(): string {
  librarySource ??= readFileSync(plotlyBundlePath(), 'utf8').replace(/<\/script/gi, '<\\/script');
  return `<script type="text/javascript">/* plotly.js (inlined once per notebook by ptm-conformity) */\n${librarySource}\n</script>`;
}

/**
 * The HTML of a plot: the static SVG as fallback content and a script drawing the interactive plot.
 * @param figure the figure
 * @param svg its static SVG
 * @param includeLibrary inline plotly.js before the plot
 * @param size the figure's size in px
 * @returns the HTML fragment
 */
export function plotHtml(figure: PlotlyFigure, svg: string, includeLibrary: boolean, size: { width: number; height: number }): string {
  const id = `ptmc-plot-${randomUUID()}`;
  const fallback = svg.replace(/^<\?xml[^>]*>\s*/, '');
  const fig = { data: figure.data, layout: { ...(figure.layout ?? {}), width: size.width, height: size.height } };
  const draw = [
    '(function () {',
    `  var el = document.getElementById(${scriptJson(id)});`,
    `  var fig = ${scriptJson(fig)};`,
    '  function draw() { el.innerHTML = ""; window.Plotly.newPlot(el, fig.data, fig.layout, { displaylogo: false, responsive: true }); }',
    '  if (window.Plotly) { draw(); return; }',
    '  var tries = 0, timer = setInterval(function () {',
    '    if (window.Plotly) { clearInterval(timer); draw(); } else if (++tries > 100) { clearInterval(timer); }',
    '  }, 100);',
    '})();',
  ].join('\n');
  return [
    includeLibrary ? plotlyScript() : '',
    `<div id="${id}" class="ptmc-plot" style="width:${size.width}px;height:${size.height}px">${fallback}</div>`,
    `<script type="text/javascript">\n${draw}\n</script>`,
  ].join('\n');
}

function figureSize(figure: PlotlyFigure, opts: RenderOptions): { width: number; height: number } {
  const l = figure.layout ?? {};
  return {
    width: Math.round(opts.width ?? (l.width as number | undefined) ?? 720),
    height: Math.round(opts.height ?? (l.height as number | undefined) ?? 440),
  };
}

/**
 * A one-line text description of a plot (printed outside the kernel).
 * @param figure the figure
 * @param size its size
 * @returns e.g. `[plotly figure: ROC, 2 trace(s), 560×520]`
 */
export function plotSummary(figure: PlotlyFigure, size: { width: number; height: number }): string {
  const title = figure.layout?.title as { text?: string } | string | undefined;
  const text = (typeof title === 'string' ? title : title?.text)?.replace(/<br\s*\/?>/g, ' / ').replace(/<[^>]*>/g, '');
  return `[plotly figure${text ? `: ${text}` : ''}, ${figure.data.length} trace(s), ${size.width}×${size.height}]`;
}

/**
 * Significant digits of non-integer numbers in the notebook's interactive copy of a figure (the SVG,
 * PNG and saved figures use full precision).
 */
const DISPLAY_DIGITS = 4;

/** Options of {@link plotBundle}. */
export interface PlotBundleOptions extends RenderOptions {
  /** Add a `text/html` view that draws the interactive plot with `window.Plotly` (default false). */
  interactive?: boolean;
  /** With `interactive`: inline plotly.js itself in this bundle's HTML (default false). */
  includeLibrary?: boolean;
}

/**
 * The MIME bundle of a plot: `application/vnd.plotly.v1+json` (JupyterLab, VS Code and nteract draw it
 * interactive), `image/svg+xml` (the static figure), `image/png` (the same SVG rasterised by resvg, for
 * front ends and exports that sanitise SVG) and a `text/plain` caption. `text/html` (offline interactive
 * view, SVG fallback inside) only with `interactive`, plotly.js inside it only with `includeLibrary`.
 * @param figure the plotly figure
 * @param opts size; `interactive`, `includeLibrary`
 * @returns the bundle
 * @throws InputError for a figure without a data array
 * @example
 * const b = await plotBundle(lineChart({ x: [0, 1], series: [{ name: 'acc', y: [0.9, 0.8] }] }));
 * Object.keys(b); // ['application/vnd.plotly.v1+json', 'image/svg+xml', 'image/png', 'text/plain']
 */
export async function plotBundle(figure: PlotlyFigure, opts: PlotBundleOptions = {}): Promise<MimeBundle> {
  const size = figureSize(figure, opts);
  const svg = await renderPlotlySvg(figure, size);
  const png = svgToPng(svg);
  const bundle: MimeBundle = {
    // Large heatmaps (images) as image traces showing the SVG's own PNGs: see figures/compact.ts.
    'application/vnd.plotly.v1+json': JSON.parse(
      figureJson({ data: compactTraces(figure.data, svg), layout: figure.layout ?? {} }),
      (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) && Number.isFinite(v) ? Number(v.toPrecision(DISPLAY_DIGITS)) : v),
    ),
    // Without the XML declaration: nbconvert's HTML export (lxml) rejects a str that declares an encoding.
    // With the PNG as CSS background: what survives nbconvert's sanitiser (see figures/fallback.ts).
    'image/svg+xml': svgWithRasterFallback(svg.replace(/^<\?xml[^>]*\?>\s*/, ''), png),
    'image/png': png.toString('base64'),
    'text/plain': plotSummary(figure, size),
  };
  if (opts.interactive) bundle['text/html'] = plotHtml(figure, svg, opts.includeLibrary === true, size);
  return bundle;
}

const INTERACTIVE = Symbol.for('ptm-conformity.display.interactivePlots');

/**
 * Turns the interactive `text/html` view of later plots on or off (a notebook's `interactivePlots`
 * parameter calls this). When on, the first plot of the process inlines plotly.js (about 4.6 MB, once
 * per notebook); later ones reuse `window.Plotly`. Off by default: executed notebooks stay small.
 * @param on true to add the HTML view
 * @returns nothing
 * @example
 * setInteractivePlots(true); // for `jupyter nbconvert --to html` exports that should stay interactive
 */
export function setInteractivePlots(on: boolean): void {
  (globalThis as unknown as Record<symbol, boolean | undefined>)[INTERACTIVE] = on;
}

/**
 * Whether plots add the interactive HTML view (see {@link setInteractivePlots}).
 * @returns the current setting (default false)
 */
export function interactivePlots(): boolean {
  return (globalThis as unknown as Record<symbol, boolean | undefined>)[INTERACTIVE] === true;
}

/**
 * Shows a plotly figure as ONE display_data with `application/vnd.plotly.v1+json`, `image/svg+xml`,
 * `image/png` and a `text/plain` caption (plus `text/html` when interactive plots are on). Works with or
 * without `await`: inside the kernel the cell's reply waits for the figure, so it lands in the calling cell.
 * @param figure `{ data, layout }` (e.g. from {@link lineChart})
 * @param opts width/height in px; displayId/update to replace an earlier plot; `interactive`
 * @returns resolves when published; outside the kernel prints `[plotly figure: …]`
 * @throws InputError for a figure without a data array
 * @example
 * displayPlot(
 *   lineChart({ x: sigmas, series: [{ name: 'Accuracy', y: acc, low, high }], xTitle: 'σ', yTitle: 'Accuracy', title: '鲁棒性' }),
 * );
 */
export function displayPlot(figure: PlotlyFigure, opts: PlotOptions & { interactive?: boolean } = {}): Promise<void> {
  const interactive = opts.interactive ?? interactivePlots();
  const job = (async () => {
    const withLib = interactive && !plotlyInlined();
    const bundle = await plotBundle(figure, { ...opts, interactive, includeLibrary: withLib });
    if (emitBundle(bundle, opts) && withLib) globalState()[INLINED] = true;
  })();
  trackPending(job);
  return job;
}
