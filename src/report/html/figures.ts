/**
 * Figures of the HTML report: each is drawn by plotly.js from its interactive copy (the result's
 * `figures[].plotly` JSON), with the static SVG/PNG as the content shown until then (and when the
 * copy is missing). Both are read only from inside the bundle (the PDF's access policy,
 * {@link confinedFile}); the static figure is an `<img>` (a data URI: scripts in an SVG never run there).
 */
import { readFileSync } from 'node:fs';
import type { ClauseResult, FigureRef } from '../../results/types.js';
import { confinedFile, loadFigure } from '../figures.js';
import { inLang } from '../strings.js';
import { label, type HtmlContext } from './context.js';
import { bi, esc, scriptJson } from './escape.js';

/** A plotly figure as the page draws it. */
interface PageFigure {
  data: unknown[];
  layout: Record<string, unknown>;
}

/**
 * Strips what could leave the page from a figure: `<a>` tags in texts (plotly renders them as links)
 * and `source` references that are not inline images (layout images, image traces).
 * @param v the figure or a part of it
 * @returns the cleaned copy
 */
export function cleanFigure(v: unknown): unknown {
  if (typeof v === 'string') return v.replace(/<\/?a\b[^>]*>/gi, '');
  if (Array.isArray(v)) return v.map(cleanFigure);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'source' && !(typeof x === 'string' && /^data:image\/(png|jpe?g|gif|webp);base64,/i.test(x))) continue;
      out[k] = cleanFigure(x);
    }
    return out;
  }
  return v;
}

/**
 * The interactive copy of a figure, or why it is not drawn.
 * @param root bundle root
 * @param ref the figure reference
 */
export function loadPlotly(root: string, ref: FigureRef): PageFigure | { refused: string } {
  if (!ref.plotly) return { refused: 'no interactive copy' };
  const file = confinedFile(root, ref.plotly);
  if (typeof file !== 'string') return { refused: file.reason };
  if (!file.toLowerCase().endsWith('.json')) return { refused: 'the interactive copy is not a .json file' };
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { refused: `not valid JSON: ${(e as Error).message}` };
  }
  const fig = doc as { data?: unknown; layout?: unknown };
  if (!fig || !Array.isArray(fig.data)) return { refused: 'no data array' };
  const layout = fig.layout && typeof fig.layout === 'object' && !Array.isArray(fig.layout) ? fig.layout : {};
  return cleanFigure({ data: fig.data, layout }) as PageFigure;
}

function staticFigure(ctx: HtmlContext, ref: FigureRef): string {
  const fig = loadFigure(ctx.input.root, ref);
  if (fig.kind === 'svg') {
    const uri = `data:image/svg+xml;base64,${Buffer.from(fig.svg, 'utf8').toString('base64')}`;
    return `<img class="static" src="${uri}" width="${fig.width}" height="${fig.height}" alt="${esc(ref.name)}">`;
  }
  if (fig.kind === 'png') return `<img class="static" src="${esc(fig.dataUrl)}" alt="${esc(ref.name)}">`;
  return `<p class="missing">[${label(ctx, 'figureMissing')}: ${esc(ref.path)} — ${esc(fig.reason)}]</p>`;
}

/**
 * The figures of a clause: the plot container (static figure inside), its data and the caption.
 * @param ctx the HTML context
 * @param r the clause result
 * @returns HTML
 */
export function figuresHtml(ctx: HtmlContext, r: ClauseResult): string {
  if (!r.figures.length) return '';
  const out = [`<h3>${label(ctx, 'figures')}</h3>`];
  r.figures.forEach((f, i) => {
    const id = `plot-${r.clause.replace(/\./g, '-')}-${i + 1}`;
    const fig = loadPlotly(ctx.input.root, f);
    const drawn = !('refused' in fig);
    const caption = bi({
      zh: `${ctx.s.zh.figure} ${r.clause}-${i + 1}  ${f.title ? inLang(f.title, 'zh') : f.name}`,
      en: `${ctx.s.en.figure} ${r.clause}-${i + 1}  ${f.title ? inLang(f.title, 'en') : f.name}`,
    });
    out.push(
      '<figure>',
      `<div class="plot${drawn ? ' interactive' : ''}" id="${id}">${staticFigure(ctx, f)}</div>`,
      drawn ? `<script type="application/json" id="${id}-data">${scriptJson(fig)}</script>` : '',
      `<figcaption><strong>${caption}</strong><br><code>${esc(f.path)}</code></figcaption>`,
      '</figure>',
    );
  });
  return out.join('\n');
}

/**
 * The script that draws every interactive figure with plotly.js (inlined once, before it).
 * A figure plotly cannot draw keeps its static image.
 */
export const DRAW_SCRIPT = `(function () {
  var plots = document.querySelectorAll('div.plot.interactive');
  for (var i = 0; i < plots.length; i++) {
    var el = plots[i], keep;
    try {
      var fig = JSON.parse(document.getElementById(el.id + '-data').textContent);
      keep = el.innerHTML;
      el.innerHTML = '';
      window.Plotly.newPlot(el, fig.data, fig.layout, { displaylogo: false, responsive: true }).catch(
        (function (e, html) { return function () { e.innerHTML = html; }; })(el, keep));
    } catch (err) {
      if (keep !== undefined) el.innerHTML = keep;
      el.setAttribute('data-error', String(err));
    }
  }
})();`;
