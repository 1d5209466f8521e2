/**
 * An SVG that survives HTML sanitisers. nbconvert 6.5's HTML export passes `image/svg+xml` through
 * lxml's `clean_html`, which keeps `<svg>` (with width, height, id, class) and `<style>`, but removes
 * every SVG drawing element it does not know as HTML (`g`, `path`, `rect`, `text`, `clipPath`, …) and
 * attributes such as `d`, `transform` and `viewBox`: the figure comes out as a blank box (sometimes with
 * the tick labels as a run of loose text, which SVG does not paint). The fix: the root `<svg>` gets an id
 * derived from its content and a `<style>` that paints the same figure, rasterised, as the element's
 * CSS background. Where the SVG is drawn in full (JupyterLab, browsers, resvg ignores the CSS), plotly's
 * opaque paper rectangle covers the background, so the vector figure is what is seen.
 */
import { createHash } from 'node:crypto';

/**
 * Adds the raster fallback to an SVG document.
 * @param svg the SVG (as from `renderPlotlySvg`, with or without the XML declaration)
 * @param png the same figure as PNG bytes (from `svgToPng`)
 * @returns the SVG with `id="ptmc-fig-<hash>"` on the root and the background `<style>` as its first child
 * @example
 * svgWithRasterFallback('<svg width="4" height="4"><rect/></svg>', png);
 * // '<svg id="ptmc-fig-…" width="4" height="4"><style>svg#ptmc-fig-…{background:url(data:image/png;base64,…) …}</style><rect/></svg>'
 */
export function svgWithRasterFallback(svg: string, png: Buffer): string {
  const id = `ptmc-fig-${createHash('sha256').update(svg).update(png).digest('hex').slice(0, 16)}`;
  const css = `svg#${id}{background:url(data:image/png;base64,${png.toString('base64')}) 0 0/100% 100% no-repeat}`;
  return svg.replace(/<svg\b([^>]*)>/, (_m, attrs: string) => `<svg id="${id}"${attrs.replace(/\sid="[^"]*"/, '')}><style>${css}</style>`);
}
