import { requirement } from '../../case/requirements.js';
import type { ClauseInfo } from '../../results/clauses.js';
import type { ClauseResult, Lang, ResultTable } from '../../results/types.js';
import { formatValue } from '../format.js';
import { fallbackReason } from '../reasons.js';
import { clauseRequirement, fill, inLang } from '../strings.js';
import { cellText, columnLabel, conditionsText, flattenSettings, unitLabel } from '../values.js';
import { label, type HtmlContext } from './context.js';
import { bi, biText, esc } from './escape.js';
import { figuresHtml } from './figures.js';
import { clauseAnchor } from './summary.js';
import { htmlTable, verdictBadge, verdictCellHtml, type HtmlCell } from './tables.js';

/** Rows of a result table shown on the page; the rest is referred to the result file. */
export const MAX_HTML_TABLE_ROWS = 1000;

/** A value of a result in both languages (bilingual texts, enumerations, numbers: see `cellText`). */
function value(v: unknown): string {
  return bi({ zh: cellText(v, 'zh'), en: cellText(v, 'en') });
}

function num(v: unknown): HtmlCell {
  return { html: value(v), cls: typeof v === 'number' ? 'num' : '' };
}

/** A column header: the label of the column id in both languages, or the id as it is (code). */
function columnHeader(id: string): string {
  const zh = columnLabel(id, 'zh');
  const en = columnLabel(id, 'en');
  return zh !== undefined && en !== undefined ? bi({ zh, en }) : `<code>${esc(id)}</code>`;
}

function itemLabel(item: string, lang: Lang): string {
  return requirement(item)?.label[lang] ?? item;
}

function heading(ctx: HtmlContext, info: ClauseInfo, r: ClauseResult | undefined): string {
  const v = r?.verdict ?? 'not-evaluated';
  const judged = (lang: Lang) =>
    `${ctx.s[lang].strength}: ${ctx.s[lang][info.strength]}    ` +
    `${ctx.s[lang].judgedAgainst} ${info.judges === '4' ? ctx.s[lang].chapter4 : info.judges}`;
  return [
    `<h2>${esc(info.clause)}  ${bi(info.title)} <span class="secondary-title">${bi({ zh: info.title.en, en: info.title.zh })}</span></h2>`,
    `<p class="clause-verdict">${verdictBadge(ctx, v)} <span class="secondary">${bi({ zh: judged('zh'), en: judged('en') })}</span></p>`,
  ].join('\n');
}

function requirementHtml(ctx: HtmlContext, info: ClauseInfo): string {
  const req = clauseRequirement(info.clause);
  if (!req) return '';
  const other = bi({ zh: req.requirement.en, en: req.requirement.zh });
  return `<h3>${label(ctx, 'requirement')}</h3><p>${bi(req.requirement)}</p><p class="secondary">${other}</p>`;
}

function methodHtml(ctx: HtmlContext, info: ClauseInfo, r: ClauseResult): string {
  const req = clauseRequirement(info.clause);
  const env = r.environment;
  const ran = (lang: Lang) => {
    const s = ctx.s[lang];
    const ep =
      env.requestedProvider && env.requestedProvider !== env.executionProvider
        ? `${env.executionProvider} (${s.requested}: ${env.requestedProvider})`
        : env.executionProvider;
    const fb = env.fallbacks?.length
      ? `; ${s.fallbacks}: ${env.fallbacks.map((f) => `${f.provider} — ${fallbackReason(f.text ?? f.reason, lang)}`).join('; ')}`
      : '';
    return `${s.executedOn}: ${ep}${env.gpu ? `, ${s.gpu}: ${env.gpu}` : ''}${fb}; ${r.startedAt} — ${r.finishedAt}`;
  };
  const out = [`<h3>${label(ctx, 'method')}</h3>`];
  if (req) out.push(`<p>${bi(req.method)}</p>`);
  out.push(`<p class="secondary">${bi({ zh: ran('zh'), en: ran('en') })}</p>`);
  // key-value rows (nested objects as dotted keys, lists as comma lists) in both languages
  const zh = flattenSettings(r.settings, 'zh');
  const en = flattenSettings(r.settings, 'en');
  if (zh.length)
    out.push(
      htmlTable(
        [label(ctx, 'parameter'), label(ctx, 'value')],
        zh.map(([k, v], i) => [{ html: `<code>${esc(k)}</code>` }, { html: bi({ zh: v, en: en[i]?.[1] ?? v }) }]),
        'kv',
      ),
    );
  return out.join('\n');
}

function measurementsHtml(ctx: HtmlContext, r: ClauseResult): string {
  if (!r.measurements.length) return '';
  const rows = r.measurements.map((m) => [
    { html: m.label ? `${biText(m.label)}<br><code class="secondary">${esc(m.name)}</code>` : `<code>${esc(m.name)}</code>` },
    { html: esc(formatValue(m.value)), cls: 'num' },
    { html: bi({ zh: unitLabel(m.unit, 'zh'), en: unitLabel(m.unit, 'en') }) },
    {
      html: m.ci ? esc(`[${formatValue(m.ci.low)}, ${formatValue(m.ci.high)}] ${m.ci.method} ${Math.round(m.ci.level * 100)} %`) : '—',
      cls: 'num',
    },
    {
      html: m.conditions
        ? bi({ zh: conditionsText(m.conditions, 'zh'), en: conditionsText(m.conditions, 'en') })
        : '—',
    },
  ]);
  const headers = ['measurement', 'value', 'unit', 'ci', 'conditions'].map((k) => label(ctx, k));
  return `<h3>${label(ctx, 'measurements')}</h3>${htmlTable(headers, rows)}`;
}

function findingsHtml(ctx: HtmlContext, r: ClauseResult): string {
  const f = r.findings ?? [];
  if (!f.length || r.clause === '6.2') return '';
  const order = { major: 0, minor: 1, info: 2 } as const;
  const rows = [...f]
    .sort((a, b) => order[a.severity] - order[b.severity])
    .map((x) => [
      { html: label(ctx, `severity-${x.severity}`), cls: x.severity === 'major' ? 'major' : '' },
      { html: bi({ zh: itemLabel(x.item, 'zh'), en: itemLabel(x.item, 'en') }) },
      { html: bi(x.text) },
    ]);
  const headers = ['severity', 'findingItem', 'findingText'].map((k) => label(ctx, k));
  return `<h3>${label(ctx, 'findingsTitle')}</h3>${htmlTable(headers, rows)}`;
}

function resultTableHtml(ctx: HtmlContext, t: ResultTable, file: string): string {
  const shown = t.rows.slice(0, MAX_HTML_TABLE_ROWS).map((row) => t.columns.map((_c, i) => num(row[i])));
  const title = t.title ? `${biText(t.title)} (<code>${esc(t.name)}</code>)` : `<code>${esc(t.name)}</code>`;
  const more =
    t.rows.length > MAX_HTML_TABLE_ROWS
      ? `<p class="secondary">${label(ctx, 'moreRows', (s) => fill(s, { n: t.rows.length - MAX_HTML_TABLE_ROWS, file }))}</p>`
      : '';
  return `<p class="table-title"><strong>${title}</strong></p>${htmlTable(t.columns.map(columnHeader), shown, 'result-table')}${more}`;
}

function coverageHtml(ctx: HtmlContext, r: ClauseResult): string {
  const rows = r.coverage ?? [];
  if (!rows.length || r.clause === '6.2') return '';
  const body = rows.map((c) => {
    const v =
      c.status === 'met' ? 'pass' : c.status === 'not-met' || (c.status === 'missing' && c.strength === 'shall') ? 'fail' : 'inconclusive';
    const status = { zh: ctx.s.zh[`status-${c.status}`] ?? c.status, en: ctx.s.en[`status-${c.status}`] ?? c.status };
    const cell = verdictCellHtml(ctx, c.status === 'not-applicable' ? 'not-applicable' : v, status);
    if (c.status === 'not-applicable' && c.reason) cell.html += `<br><span class="secondary">${bi(c.reason)}</span>`;
    const req = requirement(c.item);
    return [
      { html: `<strong>${bi({ zh: itemLabel(c.item, 'zh'), en: itemLabel(c.item, 'en') })}</strong>` },
      { html: req ? bi(req.text) : '' },
      { html: label(ctx, c.strength), cls: 'c' },
      { html: c.claims.length ? c.claims.map((k) => `<code>${esc(k)}</code>`).join(', ') : '—' },
      cell,
    ];
  });
  const headers = ['coverageItem', 'requirement', 'strength', 'coverageClaims', 'coverageStatus'].map((k) => label(ctx, k));
  return `<h3>${label(ctx, 'coverage')}</h3>${htmlTable(headers, body)}`;
}

function claimsHtml(ctx: HtmlContext, r: ClauseResult): string {
  const head = `<h3>${label(ctx, 'claimsVsMeasured')}</h3>`;
  if (!r.claims.length) return `${head}<p class="secondary">${label(ctx, 'noClaims')}</p>`;
  const rows = r.claims.map((c) => {
    const v = c.met === true ? 'pass' : c.met === false ? 'fail' : 'inconclusive';
    const key = c.met === true ? 'metYes' : c.met === false ? 'metNo' : 'metNull';
    const note = c.note ? `<br><span class="secondary">${esc(c.note)}</span>` : '';
    return [
      { html: `<code><strong>${esc(c.id)}</strong></code>` },
      { html: `${biText(c.statement)}${note}` },
      num(c.expected),
      num(c.measured),
      verdictCellHtml(ctx, v, { zh: ctx.s.zh[key]!, en: ctx.s.en[key]! }),
    ];
  });
  const headers = ['claimId', 'statement', 'expected', 'measured', 'met'].map((k) => label(ctx, k));
  return `${head}${htmlTable(headers, rows)}`;
}

function verdictHtml(ctx: HtmlContext, r: ClauseResult): string {
  const body = [
    `<p><strong>${label(ctx, 'verdict')}: ${bi({ zh: ctx.s.zh.verdicts[r.verdict], en: ctx.s.en.verdicts[r.verdict] })}</strong></p>`,
    `<p>${biText(r.rationale)}</p>`,
  ];
  if (r.error && !inLang(r.rationale, 'en').includes(r.error.evalue)) {
    const cell = (lang: Lang) => (r.error!.cell !== undefined ? ` (${ctx.s[lang].cell} ${r.error!.cell})` : '');
    body.push(
      `<p class="error">${label(ctx, 'executionError')}: ${esc(`${r.error.ename}: ${r.error.evalue}`)}` +
        `${bi({ zh: cell('zh'), en: cell('en') })}</p>`,
    );
  }
  return `<h3>${label(ctx, 'verdictAndRationale')}</h3><div class="verdict-box v-${esc(r.verdict)}">${body.join('')}</div>`;
}

/**
 * One clause's section, as in the PDF: heading with both titles and the verdict, requirement,
 * method and settings, measurements, findings, result tables, figures, coverage, claims versus
 * measured, verdict and rationale (with the execution error). A clause without a result gets its
 * requirement and a "not evaluated" note.
 * @param ctx the HTML context
 * @param info the clause of the registry
 * @returns HTML
 */
export function clauseHtml(ctx: HtmlContext, info: ClauseInfo): string {
  const r = ctx.byClause.get(info.clause);
  const open = `<section class="clause" id="${clauseAnchor(info.clause)}">`;
  if (!r) {
    const note = `<p class="secondary">${label(ctx, 'notEvaluatedNote')}</p>`;
    return `${open}${heading(ctx, info, r)}${requirementHtml(ctx, info)}${note}</section>`;
  }
  const file = ctx.input.files[info.clause] ?? `results/${info.clause}.json`;
  const tables = r.tables.length ? `<h3>${label(ctx, 'tables')}</h3>${r.tables.map((t) => resultTableHtml(ctx, t, file)).join('\n')}` : '';
  return [
    open,
    heading(ctx, info, r),
    requirementHtml(ctx, info),
    verdictHtml(ctx, r),
    methodHtml(ctx, info, r),
    measurementsHtml(ctx, r),
    findingsHtml(ctx, r),
    tables,
    figuresHtml(ctx, r),
    coverageHtml(ctx, r),
    claimsHtml(ctx, r),
    '</section>',
  ].join('\n');
}
