import type { BundleManifest } from '../../evidence/manifest.js';
import { CLAUSES } from '../../results/clauses.js';
import { LANGS, type ClauseResult } from '../../results/types.js';
import { checkChoice } from '../../util/choice.js';
import { writeFileAtomic } from '../../util/fs.js';
import { reportContext } from '../render.js';
import type { ReportLang } from '../strings.js';
import { decisionRulesHtml, environmentHtml, manifestHtml } from './appendix.js';
import { clauseHtml } from './clause.js';
import { htmlContext, label } from './context.js';
import { coverHtml } from './cover.js';
import { pageHtml } from './page.js';
import { summaryHtml, tocHtml } from './summary.js';

/** Options of {@link renderHtmlReport}. */
export interface RenderHtmlOptions {
  /** The language the page opens in (both are in the page; a button switches). */
  lang: ReportLang;
  /** Output path (written atomically). */
  out: string;
  /** The manifest appendix B lists (default: the bundle's `manifest.json`, else computed). */
  manifest?: BundleManifest;
  /** The clause results when the caller holds them (validated); default: read from `results/`. */
  results?: ClauseResult[];
}

/**
 * The HTML report of a bundle as a string: the same sections, verdicts, findings, claims and tables
 * as the PDF, both languages, interactive figures (see {@link renderHtmlReport}).
 * @param dir a bundle folder or its `results/` folder
 * @param opts language, and optionally manifest and results
 * @returns the HTML document
 * @throws UsageError for a language that is not zh or en; InputError / SchemaError for missing or invalid results
 */
export async function renderHtmlReportString(dir: string, opts: Omit<RenderHtmlOptions, 'out'> & { out?: string }): Promise<string> {
  const lang = checkChoice(opts.lang, LANGS, 'report language', '--lang');
  const ctx = htmlContext(await reportContext(dir, lang, opts.manifest, opts.out, opts.results));
  const body = [
    coverHtml(ctx),
    tocHtml(ctx),
    '<main>',
    summaryHtml(ctx),
    `<section id="clauses"><h2>${label(ctx, 'clauses')}</h2><p class="secondary">${label(ctx, 'htmlFigureNote')}</p>`,
    ...CLAUSES.map((c) => clauseHtml(ctx, c)),
    '</section>',
    decisionRulesHtml(ctx),
    environmentHtml(ctx),
    manifestHtml(ctx),
    '</main>',
  ].join('\n');
  return pageHtml(ctx, body);
}

/**
 * Writes the HTML report of an evidence bundle: one self-contained file (plotly.js inlined once, a
 * Content-Security-Policy that loads nothing, no network), both languages with a switch, figures
 * drawn interactive from their plotly JSON inside the bundle (static SVG otherwise). Every string
 * from the results is escaped. Only files inside the bundle are read (as for the PDF).
 * @param dir a bundle folder or its `results/` folder
 * @param opts language, output path, optionally manifest and results
 * @throws UsageError / InputError / SchemaError as {@link renderHtmlReportString}
 * @example
 * await renderHtmlReport('evidence/run1', { lang: 'zh', out: 'evidence/run1/report.html' });
 */
export async function renderHtmlReport(dir: string, opts: RenderHtmlOptions): Promise<void> {
  writeFileAtomic(opts.out, await renderHtmlReportString(dir, opts));
}
