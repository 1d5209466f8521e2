import { relative, resolve, isAbsolute } from 'node:path';
import { buildManifest, sourceDateEpoch, type BundleManifest } from '../evidence/manifest.js';
import { checkChoice } from '../util/choice.js';
import { PtmcError } from '../util/errors.js';
import { reportFont } from '../figures/fonts.js';
import { LANGS, type ClauseResult } from '../results/types.js';
import { writeFileAtomic } from '../util/fs.js';
import type { ReportContext } from './context.js';
import { buildDocDefinition } from './document.js';
import type { PdfNode } from './format.js';
import { loadReportInput, reportInputFromResults } from './load.js';
import { reportStrings, type ReportLang } from './strings.js';

/** Options of {@link renderReport}. */
export interface RenderReportOptions {
  /** Report language (labels, requirement text, rationale); clause headings always show both titles. */
  lang: ReportLang;
  /** Output PDF path (written atomically: a temp file beside it, then a rename). */
  out: string;
  /**
   * The bundle's manifest (as `ptmc run` prepares it before the report exists); default: the bundle's `manifest.json`,
   * else computed from the bundle's files.
   */
  manifest?: BundleManifest;
  /** The bundle's clause results when the caller holds them (validated); default: read from `results/`. */
  results?: ClauseResult[];
}

/** The subset of the pdfmake 0.3 server API the report uses. */
interface PdfMakeApi {
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(cb: (url: string) => boolean): void;
  setLocalAccessPolicy(cb: (path: string) => boolean): void;
  createPdf(doc: PdfNode): { getBuffer(): Promise<Buffer> };
}

/** URLs the report renderer may fetch: none. */
export function reportUrlPolicy(_url: string): boolean {
  return false;
}

/**
 * Renders a pdfmake document definition to PDF bytes with the report font and closed access
 * policies: no URL is fetched, and the only local files readable are the two font files.
 * @param doc the document definition (its `defaultStyle.font` should be the report font family)
 */
export async function renderPdf(doc: PdfNode): Promise<Buffer> {
  const pdfmake = require('pdfmake') as PdfMakeApi;
  const f = reportFont();
  const allowed = new Set([resolve(f.regular), resolve(f.bold)]);
  pdfmake.setFonts({ [f.family]: { normal: f.regular, bold: f.bold, italics: f.regular, bolditalics: f.bold } });
  pdfmake.setUrlAccessPolicy(reportUrlPolicy);
  pdfmake.setLocalAccessPolicy((p) => typeof p === 'string' && allowed.has(resolve(p)));
  try {
    return await pdfmake.createPdf(doc).getBuffer();
  } catch (e) {
    throw new PtmcError(`the PDF could not be rendered: ${(e as Error).message}`, {
      cause: e,
      remedy: 'check the clause results and figures named in the message',
    });
  }
}

function modelLabel(m: BundleManifest): string {
  if (!m.model?.name) return '—';
  return m.model.version ? `${m.model.name} / ${m.model.version}` : m.model.name;
}

function firstSha(results: ClauseResult[]): string {
  return results[0]?.modelSha256 ?? '—';
}

/**
 * Renders the bilingual conformity report (PDF) of an evidence bundle.
 *
 * Reads and validates `results/*.json`, embeds the figures they name (SVG as vector graphics;
 * only files inside the bundle are read, URLs never fetched), and writes the PDF atomically.
 * With `SOURCE_DATE_EPOCH` set, the document dates and ID are fixed, so two renderings of the
 * same bundle are byte-identical.
 *
 * @param bundleOrResultsDir a bundle folder (with `results/`) or its `results/` folder
 * @param opts language, output path, and optionally the manifest to list in appendix B
 * @throws UsageError when `lang` is not `zh` or `en`
 * @throws InputError / SchemaError when the results are missing or invalid (file and JSON path named)
 * @throws PtmcError when pdfmake fails
 * @example
 * await renderReport('evidence/run1', { lang: 'zh', out: 'evidence/run1/report.pdf' });
 */
export async function renderReport(bundleOrResultsDir: string, opts: RenderReportOptions): Promise<void> {
  const lang = checkChoice(opts.lang, LANGS, 'report language', '--lang');
  const buf = await renderReportBuffer(bundleOrResultsDir, lang, opts.manifest, opts.out, opts.results);
  writeFileAtomic(opts.out, buf);
}

/**
 * Like {@link renderReport}, but returns the PDF bytes instead of writing them.
 * @param dir bundle or results folder
 * @param lang report language
 * @param manifest manifest to show (default: the bundle's, else computed)
 * @param out the output path, left out of a computed manifest when inside the bundle
 * @param results the clause results when already in memory (then `dir` is the bundle root)
 */
export async function renderReportBuffer(
  dir: string,
  lang: ReportLang,
  manifest?: BundleManifest,
  out?: string,
  results?: ClauseResult[],
): Promise<Buffer> {
  return renderPdf(buildDocDefinition(await reportContext(dir, lang, manifest, out, results)));
}

/**
 * What every report (PDF and HTML) is built from: the validated results, the manifest, the labels in `lang`.
 * @param dir bundle or results folder
 * @param lang report language
 * @param manifest manifest to show (default: the bundle's, else computed)
 * @param out the output path, left out of a computed manifest when inside the bundle
 * @param results the clause results when already in memory (then `dir` is the bundle root)
 * @throws InputError / SchemaError when the results are missing or invalid
 * @example
 * (await reportContext('evidence/run1', 'en')).byClause.get('6.3.4')?.verdict; // 'fail'
 */
export async function reportContext(
  dir: string,
  lang: ReportLang,
  manifest?: BundleManifest,
  out?: string,
  results?: ClauseResult[],
): Promise<ReportContext> {
  const input = results ? reportInputFromResults(dir, results) : loadReportInput(dir);
  let m = manifest ?? input.manifest;
  if (!m) {
    const exclude: string[] = [];
    if (out) {
      const rel = relative(input.root, resolve(out));
      if (!rel.startsWith('..') && !isAbsolute(rel)) exclude.push(rel.split('\\').join('/'));
    }
    m = await buildManifest(input.root, { environment: input.results[0]!.environment }, exclude);
  }
  return {
    lang,
    s: reportStrings(lang),
    input,
    manifest: m,
    byClause: new Map(input.results.map((r) => [r.clause, r])),
    modelSha: m.model?.sha256 ?? firstSha(input.results),
    caseName: m.case?.name ?? '—',
    modelLabel: modelLabel(m),
    generatedAt: (sourceDateEpoch() ?? new Date()).toISOString(),
    font: reportFont().family,
  };
}
