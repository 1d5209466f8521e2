/**
 * Table layout of the PDF that never breaks a token: column widths from the cells' content (at
 * least the widest header word and the widest unbreakable token of each column), numbers that
 * never wrap, identifiers that wrap only after `/`, `.` or `_`.
 */
import { reportFont } from '../figures/fonts.js';
import { breakable, type PdfNode } from './format.js';

/** Width of the text area of an A4 page (points). */
export const TEXT_WIDTH = 495;
/** Left plus right cell padding of {@link TABLE_LAYOUT} (points). */
export const CELL_PADDING = 8;

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;

/** The part of fontkit this module uses. */
interface FontkitFont {
  unitsPerEm: number;
  glyphForCodePoint(cp: number): { advanceWidth: number };
}

const advances: { regular?: Map<number, number>; bold?: Map<number, number>; fonts?: { regular: FontkitFont; bold: FontkitFont } } = {};

function openFonts(): { regular: FontkitFont; bold: FontkitFont } {
  if (!advances.fonts) {
    const fontkit = require('fontkit') as { openSync(path: string): FontkitFont };
    const f = reportFont();
    advances.fonts = { regular: fontkit.openSync(f.regular), bold: fontkit.openSync(f.bold) };
  }
  return advances.fonts;
}

/**
 * Advance of `s` at `size` points in the report font (Noto Sans SC, regular or bold), from the
 * glyph advances of the font file (kerning ignored, which only narrows Latin text).
 */
export function textWidth(s: string, size: number, bold = false): number {
  const font = openFonts()[bold ? 'bold' : 'regular'];
  const cache = (advances[bold ? 'bold' : 'regular'] ??= new Map());
  let units = 0;
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    let a = cache.get(cp);
    if (a === undefined) {
      a = font.glyphForCodePoint(cp).advanceWidth / font.unitsPerEm;
      cache.set(cp, a);
    }
    units += a;
  }
  return units * size;
}

/** Whether a cell text is a number (formatted: digits, sign, separators, exponent, percent). */
export function isNumberText(s: string): boolean {
  return /^[-+−]?[\d,]*\.?\d+(e[-+]?\d+)?\s?%?$/.test(s);
}

/**
 * The pieces an identifier may wrap between: after `/`, `.` or `_` (a JSON pointer, a dotted key,
 * a file path); a text with spaces keeps its words and splits only words longer than `longest`.
 * @example
 * tokenPieces('runtime_telemetry.exitCode'); // ['runtime_', 'telemetry.', 'exitCode']
 */
export function tokenPieces(word: string): string[] {
  return word.split(/(?<=[/._])(?=[^/._])/);
}

/** A word of at most this many characters is never split (the longer ones only between identifier pieces). */
const SHORT_WORD = 16;
/** A CJK word of at most this many characters is never split (a status, a short label). */
const SHORT_CJK = 5;
const CJK_RUNS = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+/;

/** A piece longer than this (a hash, a base64 run) breaks anywhere: only this many characters count. */
const LONGEST_PIECE = 40;

function pieceWidth(p: string, size: number, bold: boolean): number {
  return textWidth(p.length > LONGEST_PIECE ? p.slice(0, LONGEST_PIECE) : p, size, bold);
}

/**
 * The widest piece of `s` that may not be split (a word, or a piece of an identifier; a piece
 * over 40 characters, such as a hash, counts with its first 40), at `size`.
 */
export function minTextWidth(s: string, size: number, bold = false): number {
  if (isNumberText(s.trim())) return textWidth(s, size, bold);
  let w = 0;
  for (const word of s.split(/\s+/)) {
    // a short word stays whole (as {@link cellNode} leaves it); a short CJK word too (a status, a label)
    if (word.length <= (CJK.test(word) ? SHORT_CJK : SHORT_WORD)) {
      w = Math.max(w, textWidth(word, size, bold));
      continue;
    }
    // longer CJK text wraps between any two characters: only its Latin runs and one character count
    if (CJK.test(word)) {
      w = Math.max(w, textWidth('一', size, bold));
      for (const run of word.split(CJK_RUNS)) for (const p of tokenPieces(run)) w = Math.max(w, pieceWidth(p, size, bold));
      continue;
    }
    for (const p of tokenPieces(word)) w = Math.max(w, pieceWidth(p, size, bold));
  }
  return w;
}

/** Width of the longest line of `s` (lines separated by `\n`). */
function fullWidth(s: string, size: number, bold = false): number {
  return Math.max(0, ...s.split('\n').map((l) => textWidth(l, size, bold)));
}

/**
 * A cell's text node: a number never wraps (`noWrap`, right-aligned); a word longer than 16
 * characters made of identifier pieces wraps only between them (a hair space after each `/`, `.`
 * or `_`, which the line breaker takes as a break opportunity); other text wraps at spaces.
 * @param s the cell text
 * @param extra further node properties
 */
export function cellNode(s: string, extra: PdfNode = {}): PdfNode {
  if (isNumberText(s.trim())) return { text: s, noWrap: true, alignment: 'right', ...extra };
  return breakable(s, extra, SHORT_WORD);
}

/**
 * A header cell: never split inside a word (each word is at most as wide as the column, which
 * {@link fitWidths} guarantees).
 */
export function headerNode(s: string, extra: PdfNode = {}): PdfNode {
  return cellNode(s, extra);
}

/**
 * Column widths (points, without padding) from the content: each column gets at least its widest
 * header word and its widest unbreakable token (numbers whole); the rest of the page width goes
 * to the columns in proportion to how much wider their longest line is. When even the minima do
 * not fit, the font size steps down (to 6 pt) before the minima are scaled.
 * @param headers header texts
 * @param rows cell texts
 * @param fontSize preferred font size
 * @param total width available to the table (points)
 * @returns widths and the font size to use
 */
export function fitWidths(
  headers: string[],
  rows: string[][],
  fontSize: number,
  total = TEXT_WIDTH,
): { widths: number[]; fontSize: number } {
  const avail = total - CELL_PADDING * headers.length;
  let size = fontSize;
  for (;;) {
    const min = headers.map((h, i) => {
      let m = minTextWidth(h, size, true);
      for (const r of rows) m = Math.max(m, minTextWidth(r[i] ?? '', size));
      return Math.min(m, avail * 0.6) + 1;
    });
    const pref = headers.map((h, i) => {
      let p = Math.min(fullWidth(h, size, true), Math.max(min[i]!, avail * 0.25));
      for (const r of rows) p = Math.max(p, fullWidth(r[i] ?? '', size));
      return Math.max(min[i]!, Math.min(p, avail * 0.7)) + 1;
    });
    const sumMin = min.reduce((a, b) => a + b, 0);
    if (sumMin > avail && size > 6) {
      size = Math.max(6, size - 0.5);
      continue;
    }
    const sumPref = pref.reduce((a, b) => a + b, 0);
    let widths: number[];
    if (sumPref <= avail) {
      // all fits on one line: spread the rest over the columns in proportion to their width
      widths = pref.map((p) => p + ((avail - sumPref) * p) / sumPref);
    } else if (sumMin <= avail) {
      const extra = pref.map((p, i) => p - min[i]!);
      const sumExtra = extra.reduce((a, b) => a + b, 0) || 1;
      widths = min.map((m, i) => m + ((avail - sumMin) * extra[i]!) / sumExtra);
    } else widths = min.map((m) => (m * avail) / sumMin);
    return { widths: widths.map((w) => Math.floor(w * 100) / 100), fontSize: size };
  }
}
