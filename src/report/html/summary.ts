import { CLAUSES } from '../../results/clauses.js';
import { summaryFindingList } from '../select.js';
import { fill } from '../strings.js';
import { label, type HtmlContext } from './context.js';
import { bi, esc } from './escape.js';
import { htmlTable, verdictCellHtml, type HtmlCell } from './tables.js';

/** The anchor id of a clause section. */
export function clauseAnchor(clause: string): string {
  return `clause-${clause.replace(/\./g, '-')}`;
}

/**
 * The contents: links to the summary, each clause and the appendices.
 * @param ctx the HTML context
 * @returns HTML
 */
export function tocHtml(ctx: HtmlContext): string {
  const items = [
    `<li><a href="#summary">${label(ctx, 'summary')}</a></li>`,
    `<li><a href="#clauses">${label(ctx, 'clauses')}</a><ol>${CLAUSES.map(
      (c) => `<li><a href="#${clauseAnchor(c.clause)}">${esc(c.clause)} ${bi(c.title)}</a></li>`,
    ).join('')}</ol></li>`,
    `<li><a href="#decision-rules">${label(ctx, 'decisionRules')}</a></li>`,
    `<li><a href="#appendix-env">${label(ctx, 'appendixEnv')}</a></li>`,
    `<li><a href="#appendix-manifest">${label(ctx, 'appendixManifest')}</a></li>`,
  ];
  return `<nav class="toc"><h2>${label(ctx, 'toc')}</h2><ol>${items.join('')}</ol></nav>`;
}

/**
 * Section 1: one row per clause of the registry (clause, both titles, shall/should, claims met,
 * major findings, verdict), then the major and minor findings of each clause.
 * @param ctx the HTML context
 * @returns HTML
 */
export function summaryHtml(ctx: HtmlContext): string {
  const rows = CLAUSES.map((c) => {
    const r = ctx.byClause.get(c.clause);
    const v = r?.verdict ?? 'not-evaluated';
    const major = r ? (r.findings ?? []).filter((f) => f.severity === 'major').length : 0;
    return [
      { html: `<a href="#${clauseAnchor(c.clause)}"><strong>${esc(c.clause)}</strong></a>` },
      { html: `${bi(c.title)}<br><span class="secondary">${bi({ zh: c.title.en, en: c.title.zh })}</span>` },
      { html: label(ctx, c.strength), cls: 'c' },
      { html: r ? `${r.claims.filter((k) => k.met === true).length} / ${r.claims.length}` : '—', cls: 'c num' },
      { html: r ? String(major) : '—', cls: major > 0 ? 'c num major' : 'c num' },
      verdictCellHtml(ctx, v),
    ];
  });
  const headers = ['clause', 'title', 'strength', 'claimsMet', 'majorFindings', 'verdict'].map((k) => label(ctx, k));
  return [
    `<section id="summary"><h2>${label(ctx, 'summary')}</h2>`,
    `<p>${label(ctx, 'summaryIntro')}</p>`,
    htmlTable(headers, rows, 'summary-table'),
    summaryFindingsHtml(ctx),
    '</section>',
  ].join('\n');
}

function summaryFindingsHtml(ctx: HtmlContext): string {
  const { shown, info } = summaryFindingList(ctx.input.results);
  const rows: HtmlCell[][] = shown.map(({ result: r, finding: f }) => [
    { html: `<strong>${esc(r.clause)}</strong>` },
    verdictCellHtml(ctx, r.verdict),
    { html: label(ctx, `severity-${f.severity}`), cls: f.severity === 'major' ? 'major' : 'minor' },
    { html: bi(f.text) },
  ]);
  const out = [`<h3>${label(ctx, 'summaryFindings')}</h3>`];
  out.push(
    rows.length
      ? htmlTable(
          ['clause', 'verdict', 'severity', 'findingText'].map((k) => label(ctx, k)),
          rows,
        )
      : `<p class="secondary">${label(ctx, 'noFindings')}</p>`,
  );
  if (info) out.push(`<p class="secondary">${label(ctx, 'summaryInfoCount', (s) => fill(s, { n: info }))}</p>`);
  return out.join('\n');
}
