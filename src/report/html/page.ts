/**
 * The page skeleton of the HTML report: one self-contained file. The Content-Security-Policy lets
 * nothing load (`default-src 'none'`): only the page's own inline script and style run and inline
 * (`data:`) images show, so neither the report nor a figure makes a network request. plotly.js is
 * inlined once, from the installed `plotly.js-dist`.
 */
import { readFileSync } from 'node:fs';
import { plotlyBundlePath } from '../../figures/window.js';
import type { Lang } from '../../results/types.js';
import { label, type HtmlContext } from './context.js';
import { esc } from './escape.js';
import { DRAW_SCRIPT } from './figures.js';
import { PAGE_CSS } from './style.js';

/** The Content-Security-Policy of the page. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:; " +
  "connect-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; worker-src 'none'; base-uri 'none'; form-action 'none'";

let plotlySource: string | undefined;

/** plotly.js, safe inside one `<script>` element. */
function plotlyScript(): string {
  plotlySource ??= readFileSync(plotlyBundlePath(), 'utf8').replace(/<\/script/gi, '<\\/script');
  return plotlySource;
}

/** The language switch: toggles `data-lang` (`#en` / `#zh` in the address opens that language). */
const SWITCH_SCRIPT = `(function () {
  var h = document.documentElement;
  function set(l) { h.setAttribute('data-lang', l); h.setAttribute('lang', l === 'zh' ? 'zh-CN' : 'en');
    window.dispatchEvent(new Event('resize')); }
  if (location.hash === '#en' || location.hash === '#zh') set(location.hash.slice(1));
  document.getElementById('lang-switch').addEventListener('click', function () {
    set(h.getAttribute('data-lang') === 'zh' ? 'en' : 'zh');
  });
})();`;

/**
 * The whole page around the sections.
 * @param ctx the HTML context (`lang`: the language the page opens in)
 * @param body the sections (HTML)
 * @returns the document
 */
export function pageHtml(ctx: HtmlContext, body: string): string {
  const lang: Lang = ctx.lang;
  const title = `${ctx.s[lang].reportTitle} — ${ctx.caseName}`;
  return [
    '<!DOCTYPE html>',
    `<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}" data-lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${esc(`${ctx.manifest.tool.name} ${ctx.manifest.tool.version}`)}">`,
    `<title>${esc(title)}</title>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    `<div class="bar"><span>${esc(ctx.caseName)} · <code>${esc(ctx.modelSha)}</code></span>` +
      `<button id="lang-switch" type="button">${label(ctx, 'switchLanguage')}</button></div>`,
    body,
    `<script>/* plotly.js (inlined once by ptm-conformity) */\n${plotlyScript()}\n</script>`,
    `<script>\n${DRAW_SCRIPT}\n</script>`,
    `<script>\n${SWITCH_SCRIPT}\n</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
