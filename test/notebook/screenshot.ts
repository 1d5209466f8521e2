/**
 * Test helpers: a notebook exported by `jupyter nbconvert --to html` and photographed by headless Chromium,
 * and the pixel facts the tests assert on (where the coloured figure pixels are, where a table's text is).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';
export const JUPYTER = '/usr/bin/jupyter';

/** Whether this machine can run the screenshot tests (never skipped under CI=true: the caller throws there). */
export function screenshotToolsMissing(): string | undefined {
  for (const t of [CHROMIUM, JUPYTER]) if (!existsSync(t)) return `${t} is missing (CI installs Debian's chromium and jupyter-nbconvert)`;
  return undefined;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 180000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout + r.stderr;
}

/**
 * Exports a notebook to HTML with nbconvert (outputs only) and returns the HTML file's path.
 * @param notebook the .ipynb path
 */
export function nbconvertHtml(notebook: string, env: NodeJS.ProcessEnv = {}): string {
  run(JUPYTER, ['nbconvert', '--to', 'html', '--no-input', notebook], env);
  return join(dirname(notebook), basename(notebook).replace(/\.ipynb$/, '.html'));
}

/**
 * Photographs a local HTML file in headless Chromium.
 * @param opts further Chromium arguments (e.g. `--virtual-time-budget=…` to let scripts draw) and environment
 * @returns the decoded RGBA screenshot
 */
export function screenshot(
  html: string,
  png: string,
  width = 1100,
  height = 1600,
  opts: { args?: string[]; env?: NodeJS.ProcessEnv } = {},
): { width: number; height: number; data: Buffer } {
  run(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      '--allow-file-access-from-files',
      `--window-size=${width},${height}`,
      ...(opts.args ?? []),
      `--screenshot=${png}`,
      `file://${html}`,
    ],
    opts.env,
  );
  const { PNG } = require('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } } };
  return PNG.sync.read(readFileSync(png));
}

/** Bounding box and count of pixels matching a test. */
export interface Region {
  count: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Pixels of a screenshot that pass `test`, with their bounding box.
 * @param img the decoded screenshot
 * @param test r, g, b → whether the pixel counts
 */
export function region(img: { width: number; height: number; data: Buffer }, test: (r: number, g: number, b: number) => boolean): Region {
  const out: Region = { count: 0, x0: img.width, y0: img.height, x1: -1, y1: -1 };
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const i = 4 * (y * img.width + x);
      if (!test(img.data[i], img.data[i + 1], img.data[i + 2])) continue;
      out.count++;
      out.x0 = Math.min(out.x0, x);
      out.y0 = Math.min(out.y0, y);
      out.x1 = Math.max(out.x1, x);
      out.y1 = Math.max(out.y1, y);
    }
  }
  return out;
}

/** Strongly coloured pixels (plot traces: the figures' palette is saturated, the page and tables are grey). */
export const saturated = (r: number, g: number, b: number): boolean => Math.max(r, g, b) - Math.min(r, g, b) > 80;
/** Any tinted pixel: traces and their pale confidence bands (a flat line has little height; its band has). */
export const tinted = (r: number, g: number, b: number): boolean => Math.max(r, g, b) - Math.min(r, g, b) > 20;
/** Dark pixels (text, axis lines). */
export const dark = (r: number, g: number, b: number): boolean => r < 110 && g < 110 && b < 110;
