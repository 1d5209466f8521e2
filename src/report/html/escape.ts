/**
 * Escaping for the HTML report. Every string that comes from a bundle (results, manifest, case) is
 * untrusted input: it reaches the page only through {@link esc} (text and attribute values) or
 * {@link scriptJson} (data inside a `<script>` element).
 */
import type { Bilingual, Lang } from '../../results/types.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for an HTML text node or a quoted attribute value.
 * @param s the text (numbers and other values are turned into strings)
 * @returns the escaped text
 * @example
 * esc('<img src=x onerror=alert(1)>'); // '&lt;img src=x onerror=alert(1)&gt;'
 */
export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * JSON that is safe inside a `<script>` element: `<` (so `</script>` and `<!--` cannot end or
 * change it), U+2028 and U+2029 are escaped.
 * @param v any JSON value
 * @returns the JSON text
 * @example
 * scriptJson({ t: '</script>' }); // '{"t":"\\u003c/script>"}'
 */
export function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Both languages of a text, each in its own element (the page shows one, the switch toggles):
 * `<span class="zh">…</span><span class="en">…</span>`; one text without a class when both are the same.
 * Values are escaped here; `html` marks them as already-escaped HTML.
 * @param t the texts in each language
 * @param html whether the texts are HTML already (built from escaped parts)
 * @returns the HTML
 */
export function bi(t: Record<Lang, string>, html = false): string {
  const zh = html ? t.zh : esc(t.zh);
  const en = html ? t.en : esc(t.en);
  if (zh === en) return zh;
  return `<span class="zh" lang="zh-CN">${zh}</span><span class="en" lang="en">${en}</span>`;
}

/**
 * A text of a result: a `{zh, en}` pair in both languages; a plain string as it is in both.
 * @param t the text
 * @returns the HTML
 */
export function biText(t: string | Bilingual | undefined): string {
  if (t === undefined) return '';
  if (typeof t === 'string') return esc(t);
  return bi({ zh: t.zh || t.en, en: t.en || t.zh });
}
