/** Test helpers: poppler/qpdf wrappers and pixel statistics of a rendered page. */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The part of pngjs (no type declarations) these helpers use. */
export interface PngImage {
  width: number;
  height: number;
  data: Buffer;
}
 
const { PNG } = require('pngjs') as { PNG: { sync: { read(b: Buffer): PngImage } } };

/** `pdftotext -layout` of the whole PDF (or one page). */
export function pdfText(file: string, page?: number): string {
  const args = page ? ['-layout', '-f', String(page), '-l', String(page), file, '-'] : ['-layout', file, '-'];
  return execFileSync('pdftotext', args, { encoding: 'utf8' });
}

/** Number of pages (`pdfinfo`). */
export function pdfPages(file: string): number {
  const m = /Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }));
  return Number(m?.[1]);
}

/** `qpdf --check` exit code and output. */
export function qpdfCheck(file: string): { status: number | null; out: string } {
  const r = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** Rows of `pdffonts`: name, emb, sub. */
export function pdfFonts(file: string): { name: string; emb: string; sub: string }[] {
  const lines = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
  return lines.map((l) => {
    const cols = l.trim().split(/\s+/);
    // name type… encoding emb sub uni objectID gen: emb/sub/uni are the 5th-3rd from the end
    return { name: cols[0]!, emb: cols[cols.length - 5]!, sub: cols[cols.length - 4]! };
  });
}

/** The 1-based page whose text contains `needle`, or 0. */
export function pageContaining(file: string, needle: string): number {
  const n = pdfPages(file);
  for (let p = 1; p <= n; p++) if (pdfText(file, p).includes(needle)) return p;
  return 0;
}

/** Renders one page to PNG with pdftoppm and returns its pixels. */
export function renderPage(file: string, page: number, dpi: number, outPrefix: string): PngImage {
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', file, outPrefix]);
  return PNG.sync.read(readFileSync(`${outPrefix}.png`));
}

/** Share of pixels that are not (near) white, and the count of pixels close to an RGB colour. */
export function pixelStats(png: PngImage, colors: [number, number, number][], tol = 40): { nonWhite: number; counts: number[] } {
  let nonWhite = 0;
  const counts = colors.map(() => 0);
  for (let i = 0; i < png.data.length; i += 4) {
    const r = png.data[i]!,
      g = png.data[i + 1]!,
      b = png.data[i + 2]!;
    if (r < 245 || g < 245 || b < 245) nonWhite++;
    colors.forEach(([cr, cg, cb], k) => {
      if (Math.abs(r - cr) + Math.abs(g - cg) + Math.abs(b - cb) <= tol) counts[k]!++;
    });
  }
  return { nonWhite: nonWhite / (png.width * png.height), counts };
}
