import type { BundleManifest } from '../evidence/manifest.js';
import type { ClauseResult } from '../results/types.js';
import type { ReportInput } from './load.js';
import type { ReportLang, ReportStrings } from './strings.js';

/** Everything the section builders of the report read. */
export interface ReportContext {
  lang: ReportLang;
  /** Labels in `lang`. */
  s: ReportStrings;
  input: ReportInput;
  /** The bundle manifest, or one computed from the bundle's files when the bundle has none yet. */
  manifest: BundleManifest;
  /** Result of each clause present. */
  byClause: Map<string, ClauseResult>;
  /** SHA-256 of the evaluated model (manifest, else the results). */
  modelSha: string;
  caseName: string;
  /** Model name and version as declared (`—` when unknown). */
  modelLabel: string;
  /** Report generation time (ISO; `SOURCE_DATE_EPOCH` when set). */
  generatedAt: string;
  /** pdfmake font family of the report. */
  font: string;
}

/** The other report language (for the secondary clause title). */
export function otherLang(lang: ReportLang): ReportLang {
  return lang === 'zh' ? 'en' : 'zh';
}
