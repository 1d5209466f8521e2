import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { FigureRef, Lang } from '../results/types.js';

/** Largest figure file the report embeds. */
export const MAX_FIGURE_BYTES = 20 * 2 ** 20;

/** A figure ready for pdfmake, or why it was not embedded. */
export type LoadedFigure =
  { kind: 'svg'; svg: string; width: number; height: number } | { kind: 'png'; dataUrl: string } | { kind: 'refused'; reason: string };

function inside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * The real path of a file a result names, confined to the bundle: relative, inside `root` after
 * resolving `..` and symbolic links, a regular file of at most {@link MAX_FIGURE_BYTES}; URLs
 * (`http:`, `file:`, `data:` …) and absolute paths are refused and never opened.
 * @param root bundle root
 * @param p the path as the result gives it
 * @returns the real path, or why it is not read
 * @example
 * confinedFile('/ev/run1', '../../etc/passwd'); // { kind: 'refused', reason: 'path leaves the bundle' }
 */
export function confinedFile(root: string, p: string): string | { kind: 'refused'; reason: string } {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(p)) return { kind: 'refused', reason: 'URLs are not fetched' };
  if (isAbsolute(p) || p.startsWith('\\'))
    return { kind: 'refused', reason: 'absolute paths are not read (give a path relative to the bundle)' };
  const realRoot = realpathSync(root);
  const abs = resolve(realRoot, p);
  if (!inside(realRoot, abs)) return { kind: 'refused', reason: 'path leaves the bundle' };
  if (!existsSync(abs)) return { kind: 'refused', reason: 'file not found in the bundle' };
  const real = realpathSync(abs);
  if (!inside(realRoot, real)) return { kind: 'refused', reason: 'link leaves the bundle' };
  const st = lstatSync(real);
  if (!st.isFile()) return { kind: 'refused', reason: 'not a regular file' };
  if (st.size > MAX_FIGURE_BYTES) return { kind: 'refused', reason: `larger than ${MAX_FIGURE_BYTES} bytes` };
  return real;
}

/**
 * Reads a figure of a clause result, confined to the bundle: the path must be relative, stay
 * inside `root` after resolving `..` and symbolic links, be a regular `.svg` or `.png` file of
 * at most {@link MAX_FIGURE_BYTES}. URLs (`http:`, `file:`, `data:` …) and absolute paths are refused
 * and never opened. SVG `<image>` references are neutralised later by the renderer. With a language, the
 * figure of that language (`ref.byLang`, same rules) is read, else `ref.path` (texts in both languages).
 * @param root bundle root
 * @param ref the figure reference of the result
 * @param lang the report's language
 * @example
 * loadFigure('/ev/run1', { name: 'x', path: '../../etc/passwd' }); // { kind: 'refused', reason: 'path leaves the bundle' }
 */
export function loadFigure(root: string, ref: FigureRef, lang?: Lang): LoadedFigure {
  const own = lang && typeof ref.byLang?.[lang] === 'string' ? confinedFile(root, ref.byLang[lang]) : undefined;
  const file = typeof own === 'string' && /\.(svg|png)$/i.test(own) ? own : confinedFile(root, ref.path);
  if (typeof file !== 'string') return file;
  const real = file;
  const lower = real.toLowerCase();
  if (lower.endsWith('.png')) return { kind: 'png', dataUrl: `data:image/png;base64,${readFileSync(real).toString('base64')}` };
  if (!lower.endsWith('.svg')) return { kind: 'refused', reason: 'only .svg and .png figures are embedded' };
  const svg = readFileSync(real, 'utf8');
  const open = /<svg\b[^>]*>/i.exec(svg);
  if (!open) return { kind: 'refused', reason: 'not an SVG document' };
  const num = (name: string): number | undefined => {
    const m = new RegExp(`\\s${name}\\s*=\\s*["']\\s*([0-9.]+)`, 'i').exec(open[0]);
    return m ? Number(m[1]) : undefined;
  };
  const vb = /\sviewBox\s*=\s*["']\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)/i.exec(open[0]);
  const width = num('width') ?? (vb ? Number(vb[1]) : 600);
  const height = num('height') ?? (vb ? Number(vb[2]) : 400);
  return { kind: 'svg', svg: svg.slice(open.index), width, height };
}

/**
 * The SVG `<image>` callback the renderer installs: only inline `data:image/png|jpeg` URIs pass;
 * any other reference (file path, `file:`, `http:`) becomes an empty data URI that opens nothing.
 */
export function safeSvgImage(link: string): string {
  const l = link.replace(/\s+/g, '');
  return /^data:image\/(png|jpe?g);base64,/i.test(l) ? l : 'data:image/png;base64,';
}
