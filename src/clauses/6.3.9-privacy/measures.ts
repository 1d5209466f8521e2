/**
 * Clause 6.3.9: the provider's declared privacy measures (differential privacy, de-identification,
 * anonymisation, access/upload controls), found anywhere in the description document (chapter 4),
 * each with its evidence status as far as this evaluation can establish it.
 */
import { readFileSync } from 'node:fs';
import type { LoadedCase } from '../../case/types.js';

/** One declared (or missing) measure. */
export interface PrivacyMeasure {
  /** `differential-privacy`, `de-identification`, `data-protection`. */
  measure: string;
  /** JSON path in the description (empty when not declared). */
  path: string;
  /** The provider's text (English, or Chinese when that is all there is). */
  declared: string;
  /**
   * `declared, supported` / `declared, not supported` / `declared, not verifiable here` / `declared, contradicted` /
   * `declared not applicable, consistent` / `not declared`.
   */
  status: string;
  evidence: string;
}

const KINDS: { measure: string; re: RegExp }[] = [
  { measure: 'differential-privacy', re: /differential[\s_-]*privacy|dp[\s_-]*sgd|差分隐私/i },
  { measure: 'de-identification', re: /de-?identif|anonymi|pseudonymi|去标识|匿名|脱敏/i },
  { measure: 'data-protection', re: /privacy|隐私|upload|上传|encrypt|加密/i },
];

const IDENTIFIER_COLUMN =
  /^(name|patient[_ ]?name|patient[_ ]?id|mrn|birth[_ ]?date|dob|date[_ ]?of[_ ]?birth|address|phone|ssn|id[_ ]?card|姓名|身份证|住址|电话)$/i;

function walk(v: unknown, path: string, out: { path: string; key: string; text: string }[]): void {
  if (typeof v === 'string') out.push({ path, key: path.split('/').pop() ?? '', text: v });
  else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}/${i}`, out));
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.en === 'string' || typeof o.zh === 'string') {
      out.push({ path, key: path.split('/').pop() ?? '', text: String(o.en ?? o.zh) + (o.zh && o.en ? ` / ${String(o.zh)}` : '') });
      return;
    }
    for (const [k, x] of Object.entries(o)) walk(x, `${path}/${k}`, out);
  }
}

/** Header columns of the case's data manifests (CSV headers; JSON manifests: keys of the first row). */
function manifestColumns(c: LoadedCase): string[] {
  const cols = new Set<string>();
  for (const spec of Object.values(c.spec.datasets)) {
    if (!spec) continue;
    try {
      const text = readFileSync(c.resolve(spec.manifest), 'utf8');
      if (spec.manifest.endsWith('.json'))
        Object.keys((JSON.parse(text) as Record<string, unknown>[])[0] ?? {}).forEach((k) => cols.add(k));
      else (text.split(/\r?\n/, 1)[0] ?? '').split(',').forEach((k) => cols.add(k.trim().replace(/^"|"$/g, '')));
    } catch {
      /* a manifest that cannot be read is reported by the data loader, not here */
    }
  }
  return [...cols];
}

/**
 * Lists the privacy measures the description declares, with evidence status: differential privacy
 * is judged by the membership-inference result (a DP guarantee itself cannot be verified from the
 * model file); de-identification against the data manifests (identifier-like columns contradict it);
 * other data-protection statements are listed as not verifiable here.
 * @param c the case (description and data manifests)
 * @param membershipAuc the highest membership-inference AUC measured (undefined when not measured)
 * @example
 * declaredPrivacyMeasures(c, 0.52).map((m) => m.status);
 */
export function declaredPrivacyMeasures(c: LoadedCase, membershipAuc?: number): PrivacyMeasure[] {
  const strings: { path: string; key: string; text: string }[] = [];
  walk(c.description, '', strings);
  const cols = manifestColumns(c);
  const idCols = cols.filter((k) => IDENTIFIER_COLUMN.test(k));
  const out: PrivacyMeasure[] = [];
  for (const { measure, re } of KINDS) {
    const hits = strings.filter((s) => (re.test(s.key) || re.test(s.text)) && !out.some((o) => o.path === s.path));
    if (!hits.length) {
      out.push({ measure, path: '', declared: '', status: 'not declared', evidence: 'the description names no such measure' });
      continue;
    }
    for (const h of hits) {
      let status = 'declared, not verifiable here';
      let evidence = 'documentary evidence from the provider is needed';
      if (measure === 'differential-privacy') {
        if (membershipAuc !== undefined) {
          status = membershipAuc <= 0.6 ? 'declared, supported' : 'declared, not supported';
          evidence =
            `membership-inference AUC ${membershipAuc.toFixed(3)} (${membershipAuc <= 0.6 ? '≤' : '>'} 0.6); ` +
            `the DP guarantee (ε, δ) itself is not verifiable from the model file`;
        }
      } else if (measure === 'de-identification') {
        const na = /not applicable|不适用/i.test(h.text);
        status = idCols.length ? 'declared, contradicted' : na ? 'declared not applicable, consistent' : 'declared, supported';
        evidence = idCols.length
          ? `identifier-like manifest columns: ${idCols.join(', ')}`
          : `no identifier-like column among the ${cols.length} manifest columns (` +
            `${cols.slice(0, 12).join(', ')}${cols.length > 12 ? ', …' : ''}); image contents not inspected`;
      }
      out.push({ measure, path: h.path, declared: h.text.length > 240 ? `${h.text.slice(0, 237)}…` : h.text, status, evidence });
    }
  }
  return out;
}
