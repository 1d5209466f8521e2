/**
 * The report font: one CJK-capable typeface used by the PDF report (pdfmake embeds it, subset) and by
 * the figures (text in plotly SVGs is measured with its real metrics, so that what the PDF draws has
 * the width plotly laid out).
 *
 * Choice: Noto Sans SC (Google Fonts build, TrueType outlines) from `@expo-google-fonts/noto-sans-sc`
 * 0.4.3 (OFL-1.1). Weighed against `@embedpdf/fonts-sc` (Noto Sans Hans, CFF-based OTF, 42 MB
 * installed instead of 95 MB): both embed and extract with pdfkit 0.19, but pdfkit's TrueType
 * subsetter is its mature path and gives ~10× smaller PDFs (8.6 KB vs 88 KB for a two-font page),
 * and the Google build is the current Noto release. The other npm packages of Noto Sans SC / Source
 * Han Sans ship only web-font slices (woff2 per unicode range) or 17 MB OTFs per weight.
 *
 * @example
 * const f = reportFont();
 * pdfmake.setFonts({ [f.family]: { normal: f.regular, bold: f.bold, italics: f.regular, bolditalics: f.bold } });
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PtmcError } from '../util/errors.js';

/** The report font's family name and the absolute paths of its TrueType files. */
export interface ReportFont {
  /** Family name to use in pdfmake `fonts` and in SVG `font-family` (`Noto Sans SC`). */
  family: string;
  /** Absolute path of the regular (400) TTF. */
  regular: string;
  /** Absolute path of the bold (700) TTF. */
  bold: string;
}

/** The CSS font-family list written into figures: the report font first, then common fallbacks. */
export const FIGURE_FONT_FAMILY = "'Noto Sans SC', 'Source Han Sans SC', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

const PACKAGE = '@expo-google-fonts/noto-sans-sc';
let cached: ReportFont | undefined;

/**
 * Locates the report font (Noto Sans SC regular and bold TTFs) installed with the package.
 * @returns `{ family, regular, bold }` with absolute file paths
 * @throws PtmcError when the font package is missing (re-run `npm ci`)
 * @example
 * reportFont().family; // 'Noto Sans SC'
 */
export function reportFont(): ReportFont {
  if (cached) return cached;
  let dir: string;
  try {
    dir = dirname(require.resolve(`${PACKAGE}/package.json`));
  } catch (cause) {
    throw new PtmcError(`the report font package ${PACKAGE} is not installed`, {
      field: PACKAGE,
      remedy: 'run `npm ci` (or `npm install`) in the ptm-conformity package',
      cause,
    });
  }
  const regular = join(dir, '400Regular', 'NotoSansSC_400Regular.ttf');
  const bold = join(dir, '700Bold', 'NotoSansSC_700Bold.ttf');
  for (const f of [regular, bold]) {
    if (!existsSync(f)) {
      throw new PtmcError(`report font file missing: ${f}`, { file: f, remedy: `reinstall ${PACKAGE} (npm ci)` });
    }
  }
  cached = { family: 'Noto Sans SC', regular, bold };
  return cached;
}
