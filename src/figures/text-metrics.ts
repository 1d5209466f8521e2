/**
 * Text metrics of the report font, read with fontkit: advance widths (summed per code point, no
 * kerning, no shaping) scaled by `size / unitsPerEm`, and the vertical extent from the font's
 * ascent and descent. Used to give plotly (running in jsdom) the text boxes a browser would measure.
 */
import { reportFont } from './fonts.js';

/** The part of a fontkit font this module uses. */
interface FkGlyph {
  advanceWidth: number;
}
interface FkFont {
  unitsPerEm: number;
  ascent: number;
  descent: number;
  glyphForCodePoint(cp: number): FkGlyph;
}
interface Fontkit {
  openSync(path: string): FkFont;
}

/** Metrics of one face (regular or bold) with a per-code-point advance cache. */
export interface FaceMetrics {
  /** Units per em of the font (1000 for Noto Sans SC). */
  unitsPerEm: number;
  /** Ascent in font units (hhea). */
  ascent: number;
  /** Descent in font units (negative, hhea). */
  descent: number;
  /** Advance width of one code point in font units. */
  advance(codePoint: number): number;
}

const faces = new Map<string, FaceMetrics>();

function openFace(path: string): FaceMetrics {
  let face = faces.get(path);
  if (face) return face;

  const fontkit = require('fontkit') as Fontkit;
  const font = fontkit.openSync(path);
  const cache = new Map<number, number>();
  face = {
    unitsPerEm: font.unitsPerEm,
    ascent: font.ascent,
    descent: font.descent,
    advance(cp: number): number {
      let w = cache.get(cp);
      if (w === undefined) {
        w = font.glyphForCodePoint(cp).advanceWidth;
        cache.set(cp, w);
      }
      return w;
    },
  };
  faces.set(path, face);
  return face;
}

/**
 * The metrics of the report font's regular or bold face (opened once per process).
 * @param bold true for the bold face
 * @returns the face's metrics
 * @example
 * fontFace(false).unitsPerEm; // 1000
 */
export function fontFace(bold = false): FaceMetrics {
  const f = reportFont();
  return openFace(bold ? f.bold : f.regular);
}

/**
 * Width of a string set in the report font: the sum of the glyph advance widths × size / unitsPerEm.
 * @param text the string (measured per code point; newlines count as ordinary glyphs)
 * @param size font size in px (or pt: the unit of the result)
 * @param bold measure with the bold face
 * @returns the width in the unit of `size`
 * @example
 * textWidth('Recall 召回率', 12); // ≈ 69.5
 */
export function textWidth(text: string, size: number, bold = false): number {
  const face = fontFace(bold);
  let units = 0;
  for (const ch of text) units += face.advance(ch.codePointAt(0)!);
  return (units * size) / face.unitsPerEm;
}

/**
 * The vertical extent of a line of text in the report font: the distance from the baseline up to
 * the ascent and down to the descent, as a browser's text content box.
 * @param size font size
 * @param bold use the bold face's metrics
 * @returns `{ ascent, descent, height }` in the unit of `size` (descent positive, below the baseline)
 * @example
 * lineExtent(10).height; // (ascent − descent) × 10 / unitsPerEm
 */
export function lineExtent(size: number, bold = false): { ascent: number; descent: number; height: number } {
  const face = fontFace(bold);
  const ascent = (face.ascent * size) / face.unitsPerEm;
  const descent = (-face.descent * size) / face.unitsPerEm;
  return { ascent, descent, height: ascent + descent };
}
