import type { BundleManifest } from '../../evidence/manifest.js';
import { evaluationPeriod, verdictTally } from '../cover.js';
import type { ReportVerdict } from '../strings.js';
import { label, type HtmlContext } from './context.js';
import { bi, esc } from './escape.js';
import { verdictBadge } from './tables.js';

function templatesValue(ctx: HtmlContext, m: BundleManifest): string {
  if (!m.templates) return '—';
  if (!m.templates.custom) return label(ctx, 'templatesPackaged');
  return `<strong class="warn">${label(ctx, 'templatesCustom')} — ${esc(m.templates.dir)}</strong>`;
}

/**
 * The page head: both titles, case, model name/version, file and SHA-256, tool, templates, the
 * evaluation period the run recorded, generation time, and the verdict tally.
 * @param ctx the HTML context
 * @returns HTML
 */
export function coverHtml(ctx: HtmlContext): string {
  const m = ctx.manifest;
  const rows: [string, string][] = [
    ['case', esc(ctx.caseName)],
    ['modelVersion', esc(ctx.modelLabel)],
    ['modelFile', m.model?.path ? esc(`${m.model.path}${m.model.bytes !== undefined ? ` (${m.model.bytes} bytes)` : ''}`) : '—'],
    ['modelSha', `<code class="hash">${esc(ctx.modelSha)}</code>`],
    ['tool', esc(`${m.tool.name} ${m.tool.version}`)],
    ['templates', templatesValue(ctx, m)],
    ['evaluationPeriod', esc(evaluationPeriod(ctx))],
    ['generated', esc(ctx.generatedAt)],
  ];
  const tally = verdictTally(ctx);
  const badges = (Object.keys(tally) as ReportVerdict[])
    .filter((v) => tally[v] > 0)
    .map((v) => verdictBadge(ctx, v, { zh: `${ctx.s.zh.verdicts[v]}  ${tally[v]}`, en: `${ctx.s.en.verdicts[v]}  ${tally[v]}` }))
    .join(' ');
  return [
    '<header class="cover">',
    `<h1>${bi({ zh: ctx.s.zh.reportTitle, en: ctx.s.en.reportTitle })}</h1>`,
    `<p class="other-title">${bi({ zh: ctx.s.zh.otherTitle, en: ctx.s.en.otherTitle })}</p>`,
    `<p class="subtitle">${label(ctx, 'reportSubtitle')}</p>`,
    `<table class="fields"><tbody>${rows.map(([k, v]) => `<tr><th>${label(ctx, k)}</th><td>${v}</td></tr>`).join('')}</tbody></table>`,
    `<p class="tally"><strong>${label(ctx, 'overall')}</strong> ${badges}</p>`,
    '</header>',
  ].join('\n');
}
