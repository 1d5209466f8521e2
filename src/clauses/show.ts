import type { DataFrame } from 'danfojs-node';
import { danfo } from '../data/danfo.js';
import { displayMarkdown } from '../display/basic.js';
import { displayPlot } from '../display/plot.js';
import { figureIn } from '../figures/render.js';
import { displayTable } from '../display/table.js';
import type { Bilingual, ClauseResult, ResultTable } from '../results/types.js';
import type { ClauseEvaluation } from './clause.js';

/** Report/notebook language. */
import type { Lang } from '../results/types.js';

export type { Lang };

function both(t: Bilingual | undefined, lang: Lang): string {
  if (!t) return '';
  return lang === 'zh' ? `${t.zh} / ${t.en}` : `${t.en} / ${t.zh}`;
}

/** Whether a value is a bilingual text: exactly the string keys `zh` and `en`. */
function isBilingualText(v: unknown): v is Bilingual {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const k = Object.keys(v);
  const o = v as Record<string, unknown>;
  return k.length === 2 && typeof o['zh'] === 'string' && typeof o['en'] === 'string';
}

/**
 * A result table as a danfojs DataFrame (the tabular currency of notebooks). A bilingual text is
 * shown as "zh / en"; other nested values as JSON text.
 * @example
 * const df = resultTableFrame(result.tables[0]); df.print();
 */
export function resultTableFrame(t: ResultTable): DataFrame {
  const cols: Record<string, unknown[]> = {};
  const DF = danfo().DataFrame;
  const taken = new Set<string>();
  for (let p = DF.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p))
    for (const k of Object.getOwnPropertyNames(p)) taken.add(k);
  const probe = new DF({ a: [1] });
  for (const k of Object.keys(probe)) taken.add(k);
  t.columns.forEach((c0, j) => {
    // danfojs defines an accessor per column name: a name that is also a DataFrame member
    // (e.g. "columns", "values") would shadow it, so such columns get a trailing "_".
    const c = taken.has(c0) ? `${c0}_` : c0;
    cols[c] = t.rows.map((r) => {
      const v = r[j];
      if (isBilingualText(v)) return `${v.zh} / ${v.en}`;
      return v !== null && typeof v === 'object' ? JSON.stringify(v) : (v ?? null);
    });
  });
  return new (danfo().DataFrame)(cols);
}

/** Claims vs measured as row objects. */
export function claimRows(result: ClauseResult, lang: Lang = 'en'): Record<string, unknown>[] {
  return result.claims.map((c) => ({
    id: c.id,
    statement: typeof c.statement === 'string' ? c.statement : c.statement[lang],
    expected: c.expected,
    measured: typeof c.measured === 'number' ? Number(c.measured.toPrecision(6)) : c.measured,
    met: c.met === null ? (lang === 'zh' ? '未判定' : 'not judged') : c.met ? (lang === 'zh' ? '满足' : 'yes') : lang === 'zh' ? '不满足' : 'NO',
    note: (lang === 'zh' ? c.noteZh : undefined) ?? c.note ?? '',
  }));
}

const VERDICT: Record<string, Bilingual> = {
  pass: { zh: '符合', en: 'PASS' },
  fail: { zh: '不符合', en: 'FAIL' },
  inconclusive: { zh: '无法判定', en: 'INCONCLUSIVE' },
  'not-applicable': { zh: '不适用', en: 'NOT APPLICABLE' },
};

/**
 * Shows a clause evaluation in the notebook: every result table (as a DataFrame), every figure
 * (interactive plotly with static SVG), the claims-vs-measured table and the verdict.
 * @param lang language shown first
 */
export async function showClauseEvaluation(ev: ClauseEvaluation, lang: Lang = 'zh'): Promise<void> {
  for (const t of ev.result.tables) {
    displayMarkdown(`#### ${both(t.title, lang) || t.name}`);
    if (t.rows.length) displayTable(resultTableFrame(t));
    else displayMarkdown('_(empty / 无数据)_');
  }
  for (const f of ev.figures) {
    displayMarkdown(`#### ${both(f.title, lang)}`);
    await displayPlot(figureIn(f.figure, 'both'), { width: f.width, height: f.height });
  }
  showVerdict(ev.result, lang);
}

/** Shows the claims-vs-measured table and the verdict with its rationale. */
export function showVerdict(result: ClauseResult, lang: Lang = 'zh'): void {
  displayMarkdown(`#### ${lang === 'zh' ? '声称与实测 / Claims vs measured' : 'Claims vs measured / 声称与实测'}`);
  if (result.claims.length) displayTable(claimRows(result, lang));
  else
    displayMarkdown(
      lang === 'zh'
        ? '_提供方未就本条款作出声称 / the provider made no claim for this clause_'
        : '_the provider made no claim for this clause / 提供方未就本条款作出声称_',
    );
  const v = VERDICT[result.verdict]!;
  const rationale = typeof result.rationale === 'string' ? result.rationale : result.rationale[lang];
  displayMarkdown(
    `### ${lang === 'zh' ? '结论 / Verdict' : 'Verdict / 结论'}: **${v.zh} / ${v.en}**\n\n` +
      `${rationale}\n\n模型 / model SHA-256: \`${result.modelSha256}\` · 执行提供者 / execution provider: \`` +
      `${result.environment.executionProvider}\``,
  );
}
