import type { EnvironmentInfo } from '../../results/types.js';
import { formatValue } from '../format.js';
import { label, type HtmlContext } from './context.js';
import { bi, esc } from './escape.js';
import { htmlTable } from './tables.js';
import { reportEnvironment } from '../select.js';
import { fallbackReason } from '../reasons.js';

/**
 * Appendix: the decision rules, in both languages.
 * @param ctx the HTML context
 * @returns HTML
 */
export function decisionRulesHtml(ctx: HtmlContext): string {
  const paras = ['decisionRulesText', 'decisionRulesCoverage', 'decisionRulesFindings', 'decisionRulesVerdict'];
  const body = paras.map((k) => `<p>${label(ctx, k)}</p>`).join('');
  return `<section id="decision-rules"><h2>${label(ctx, 'decisionRules')}</h2>${body}</section>`;
}

function machineRows(ctx: HtmlContext, env: EnvironmentInfo): string[][] {
  const rows: [string, string][] = [
    ['os', env.os],
    ['cpu', env.cores !== undefined && !env.cpu.includes('core') ? `${env.cpu} (${env.cores} cores)` : env.cpu],
    ['memory', env.memory],
    ['node', env.node],
    ['onnxruntime', env.onnxruntime],
  ];
  if (env.gpu) rows.push(['gpu', env.gpu]);
  return rows.map(([k, v]) => [`<strong>${label(ctx, k)}</strong>`, esc(v)]);
}

/**
 * Appendix A: the machine and, per clause, the execution provider that ran, the one requested,
 * the fallbacks with their reasons, and the GPU.
 * @param ctx the HTML context
 * @returns HTML
 */
export function environmentHtml(ctx: HtmlContext): string {
  const main = reportEnvironment(ctx.input.results, ctx.manifest.environment);
  const perClause = ctx.input.results.map((r) => {
    const e = r.environment;
    return [
      `<strong>${esc(r.clause)}</strong>`,
      esc(e.executionProvider),
      esc(e.requestedProvider ?? '—'),
      e.fallbacks?.length
        ? e.fallbacks
            .map((f) => {
              const reason = f.text ?? f.reason;
              return `${esc(f.provider)} — ${bi({ zh: fallbackReason(reason, 'zh'), en: fallbackReason(reason, 'en') })}`;
            })
            .join('<br>')
        : label(ctx, 'none'),
      esc(e.gpu ?? '—'),
    ];
  });
  return [
    `<section id="appendix-env"><h2>${label(ctx, 'appendixEnv')}</h2><p>${label(ctx, 'appendixEnvIntro')}</p>`,
    htmlTable(['', label(ctx, 'value')], machineRows(ctx, main), 'kv'),
    htmlTable(
      ['clause', 'provider', 'requested', 'fallbacks', 'gpu'].map((k) => label(ctx, k)),
      perClause,
    ),
    '</section>',
  ].join('\n');
}

/**
 * Appendix B: tool, dependency versions, seeds, the case documents and the model with SHA-256,
 * then every bundle file with size and SHA-256.
 * @param ctx the HTML context
 * @returns HTML
 */
export function manifestHtml(ctx: HtmlContext): string {
  const m = ctx.manifest;
  const fileRow = (f: { path: string; bytes?: number; sha256: string }) => [
    { html: `<code>${esc(f.path)}</code>` },
    { html: f.bytes !== undefined ? esc(f.bytes) : '—', cls: 'num' },
    { html: `<code class="hash">${esc(f.sha256)}</code>` },
  ];
  const heads = [label(ctx, 'path'), label(ctx, 'bytes'), 'SHA-256'];
  const caseRows = (m.case?.files ?? []).map(fileRow);
  if (m.model) caseRows.push(fileRow(m.model));
  const seeds = Object.entries(m.seeds ?? {});
  const out = [
    `<section id="appendix-manifest"><h2>${label(ctx, 'appendixManifest')}</h2><p>${label(ctx, 'appendixManifestIntro')}</p>`,
    htmlTable(
      [label(ctx, 'tool'), label(ctx, 'dependencies'), label(ctx, 'seeds')],
      [
        [
          esc(`${m.tool.name} ${m.tool.version}`),
          Object.entries(m.dependencies)
            .map(([k, v]) => esc(`${k} ${v}`))
            .join('<br>'),
          seeds.length ? seeds.map(([k, v]) => esc(`${k}: ${formatValue(v)}`)).join('<br>') : '—',
        ],
      ],
    ),
  ];
  if (caseRows.length) {
    out.push(`<h3>${label(ctx, 'caseFiles')}${m.case ? esc(` — ${m.case.name} (${m.case.path})`) : ''}</h3>`, htmlTable(heads, caseRows));
  }
  out.push(`<h3>${label(ctx, 'bundleFiles')}</h3>`, htmlTable(heads, m.files.map(fileRow)), '</section>');
  return out.join('\n');
}
