/**
 * Rich display of HTML, Markdown, SVG, PNG and JSON in a notebook cell. Each `display*` helper has
 * a `*Bundle` twin that only builds the MIME bundle (for {@link updateDisplay}).
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../util/errors.js';
import { emitBundle, type DisplayOptions, type MimeBundle } from './emit.js';

/**
 * A readable plain-text version of an HTML fragment (tags dropped, common entities decoded).
 * @param html the fragment
 * @returns plain text
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|tr|li|h[1-6])>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The MIME bundle of an HTML fragment.
 * @param html the HTML (trusted: it is shown as is)
 * @returns `{ 'text/html', 'text/plain' }`
 */
export function htmlBundle(html: string): MimeBundle {
  return { 'text/html': html, 'text/plain': htmlToText(html) };
}

/**
 * Shows an HTML fragment (as is: escape user data with {@link escapeHtml}).
 * @param html the HTML
 * @param opts display id / update / metadata
 * @returns nothing; outside the kernel prints the text of the HTML
 * @example
 * displayHtml('<b>Verdict:</b> pass 通过');
 */
export function displayHtml(html: string, opts: DisplayOptions = {}): void {
  emitBundle(htmlBundle(html), opts);
}

/**
 * The MIME bundle of a Markdown text.
 * @param md Markdown
 * @returns `{ 'text/markdown', 'text/plain' }`
 */
export function markdownBundle(md: string): MimeBundle {
  return { 'text/markdown': md, 'text/plain': md };
}

/**
 * Shows Markdown (rendered by the notebook front end).
 * @param md Markdown text
 * @param opts display id / update / metadata
 * @returns nothing; outside the kernel prints the Markdown source
 * @example
 * displayMarkdown('## 6.3.6 鲁棒性 Robustness\n\nAccuracy drops by **2.1 %** at σ = 0.1.');
 */
export function displayMarkdown(md: string, opts: DisplayOptions = {}): void {
  emitBundle(markdownBundle(md), opts);
}

function svgSize(svg: string): string {
  const w = /<svg\b[^>]*\swidth="([\d.]+)/.exec(svg)?.[1];
  const h = /<svg\b[^>]*\sheight="([\d.]+)/.exec(svg)?.[1];
  return w && h ? ` ${w}×${h}` : '';
}

/**
 * The MIME bundle of an SVG document.
 * @param svg SVG markup (an XML declaration is kept: front ends accept it)
 * @returns `{ 'image/svg+xml', 'text/plain' }`
 * @throws InputError when the text has no `<svg` element
 */
export function svgBundle(svg: string): MimeBundle {
  if (!/<svg\b/.test(svg))
    throw new InputError('displaySvg needs SVG markup (no <svg> element found)', {
      remedy: 'pass the SVG document text, e.g. from renderPlotlySvg()',
    });
  return { 'image/svg+xml': svg, 'text/plain': `[SVG image${svgSize(svg)}]` };
}

/**
 * Shows an SVG image.
 * @param svg SVG markup
 * @param opts display id / update / metadata
 * @returns nothing; outside the kernel prints `[SVG image W×H]`
 * @throws InputError when the text is not SVG
 * @example
 * displaySvg(await renderPlotlySvg(fig));
 */
export function displaySvg(svg: string, opts: DisplayOptions = {}): void {
  emitBundle(svgBundle(svg), opts);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The MIME bundle of a PNG image, with its pixel size as metadata.
 * @param png the PNG bytes, or the path of a PNG file
 * @returns `{ bundle: { 'image/png' (base64), 'text/plain' }, metadata: { 'image/png': { width, height } } }`
 * @throws InputError when the file is missing or the bytes are not a PNG
 */
export function pngBundle(png: Uint8Array | string): { bundle: MimeBundle; metadata: Record<string, unknown> } {
  let buf: Buffer;
  if (typeof png === 'string') {
    try {
      buf = readFileSync(png);
    } catch (cause) {
      throw new InputError(`cannot read PNG file ${png}`, { file: png, remedy: 'check the path', cause });
    }
  } else buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (buf.length < 24 || !buf.subarray(0, 8).equals(PNG_SIGNATURE)) {
    throw new InputError('displayPng needs PNG data (the PNG signature is missing)', {
      file: typeof png === 'string' ? png : undefined,
      remedy: 'pass PNG bytes or a .png file path',
    });
  }
  const width = buf.readUInt32BE(16),
    height = buf.readUInt32BE(20);
  return {
    bundle: { 'image/png': buf.toString('base64'), 'text/plain': `[PNG image ${width}×${height}]` },
    metadata: { 'image/png': { width, height } },
  };
}

/**
 * Shows a PNG image.
 * @param png PNG bytes or a file path
 * @param opts display id / update / metadata (merged over the pixel size)
 * @returns nothing; outside the kernel prints `[PNG image W×H]`
 * @throws InputError when the data is not a PNG
 * @example
 * displayPng('examples/ct/images/0001.png');
 */
export function displayPng(png: Uint8Array | string, opts: DisplayOptions = {}): void {
  const { bundle, metadata } = pngBundle(png);
  emitBundle(bundle, { ...opts, metadata: { ...metadata, ...(opts.metadata ?? {}) } });
}

/**
 * The MIME bundle of a JSON value.
 * @param value any JSON-serialisable value
 * @returns `{ 'application/json', 'text/plain' (indented JSON) }`
 * @throws TypeError for values JSON cannot represent (e.g. cycles, BigInt)
 */
export function jsonBundle(value: unknown): MimeBundle {
  const text = JSON.stringify(value, null, 2) ?? 'undefined';
  return { 'application/json': value === undefined ? null : JSON.parse(text), 'text/plain': text };
}

/**
 * Shows a JSON value as an expandable tree (JupyterLab) with indented text as fallback.
 * @param value any JSON-serialisable value
 * @param opts display id / update / metadata
 * @returns nothing; outside the kernel prints the indented JSON
 * @example
 * displayJson(result.measurements);
 */
export function displayJson(value: unknown, opts: DisplayOptions = {}): void {
  emitBundle(jsonBundle(value), opts);
}
