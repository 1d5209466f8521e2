/**
 * Plotly figures in notebooks: ONE `display_data` carrying
 * - `application/vnd.plotly.v1+json` (`{ data, layout }`: JupyterLab's plotly renderer),
 * - `image/svg+xml` (the static figure, rendered in Node by {@link renderPlotlySvg}),
 * - `text/html` that works offline: a div holding the SVG as fallback, and a script that draws the
 *   interactive plot with `window.Plotly`. plotly.js itself is inlined (from the installed
 *   `plotly.js-dist-min`, never a CDN) in the first plot published by this kernel process only;
 *   later plots reuse `window.Plotly` (waiting for it briefly when the page is still loading).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { figureJson, renderPlotlySvg, type PlotlyFigure, type RenderOptions } from '../figures/render.js';
import { plotlyBundlePath } from '../figures/window.js';
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
 * The MIME bundle of a plot: exactly `application/vnd.plotly.v1+json`, `image/svg+xml` and
 * `text/html` (no `text/plain`: front ends show one of the three; see {@link plotSummary}).
 * @param figure the plotly figure
 * @param opts size; `includeLibrary` (default: unless this process already published a plot)
 * @returns the bundle
 * @throws InputError for a figure without a data array
 */
export async function plotBundle(figure: PlotlyFigure, opts: RenderOptions & { includeLibrary?: boolean } = {}): Promise<MimeBundle> {
  const size = figureSize(figure, opts);
  const svg = await renderPlotlySvg(figure, size);
  return {
    'application/vnd.plotly.v1+json': JSON.parse(figureJson({ data: figure.data, layout: figure.layout ?? {} })),
    'image/svg+xml': svg,
    'text/html': plotHtml(figure, svg, opts.includeLibrary ?? !plotlyInlined(), size),
  };
}

/**
 * Shows a plotly figure as ONE display_data with `application/vnd.plotly.v1+json`, a static
 * `image/svg+xml` and offline `text/html` (plotly.js inlined in the first plot of the process only).
 * @param figure `{ data, layout }` (e.g. from {@link lineChart})
 * @param opts width/height in px; displayId/update to replace an earlier plot
 * @returns resolves when published; outside the kernel prints `[plotly figure: …]`
 * @throws InputError for a figure without a data array
 * @example
 * await displayPlot(
 *   lineChart({ x: sigmas, series: [{ name: 'Accuracy', y: acc, low, high }], xTitle: 'σ', yTitle: 'Accuracy', title: '鲁棒性' }),
 * );
 */
export async function displayPlot(figure: PlotlyFigure, opts: PlotOptions = {}): Promise<void> {
  const withLib = !plotlyInlined();
  const bundle = await plotBundle(figure, { ...opts, includeLibrary: withLib });
  const fallbackText = plotSummary(figure, figureSize(figure, opts));
  if (emitBundle(bundle, { ...opts, fallbackText }) && withLib) globalState()[INLINED] = true;
}
