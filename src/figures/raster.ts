/**
 * Rasterising figure SVGs to PNG with resvg (`@resvg/resvg-js`, prebuilt from the npm registry), using
 * the report font (Noto Sans SC) so Chinese labels render the same as in the SVG and the PDF.
 */
import { Resvg } from '@resvg/resvg-js';
import { reportFont } from './fonts.js';

import { palettePng } from './png-palette.js';

/**
 * Renders an SVG document to PNG bytes.
 * @param svg the SVG text (as from {@link renderPlotlySvg})
 * @param opts `scale` (default 1: one PNG pixel per SVG px)
 * @returns the PNG file bytes
 * @throws PtmcError when the report font package is missing; resvg's Error for SVG it cannot parse
 * @example
 * const png = svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'); // PNG of 4×4 px
 */
export function svgToPng(svg: string, opts: { scale?: number } = {}): Buffer {
  const font = reportFont();
  const r = new Resvg(svg, {
    background: 'white',
    // Nearest-neighbour for embedded images (heatmaps of samples): sharp pixels and a PNG a third the size.
    imageRendering: 1,
    fitTo: opts.scale && opts.scale !== 1 ? { mode: 'zoom', value: opts.scale } : { mode: 'original' },
    font: { fontFiles: [font.regular, font.bold], loadSystemFonts: false, defaultFontFamily: font.family, sansSerifFamily: font.family },
  });
  // resvg writes RGBA; an 8-bit palette re-encode (figures are flat colours and anti-aliasing) is about
  // half the size of the RGB one.
  const img = r.render();
  return palettePng(img.pixels, img.width, img.height);
}
