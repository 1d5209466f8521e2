/**
 * Clause 6.3.9: the provider's declared privacy measures (differential privacy, de-identification,
 * anonymisation, access/upload controls), found anywhere in the description document (chapter 4),
 * each with its evidence status as far as this evaluation can establish it.
 */
import { readFileSync } from 'node:fs';
import type { LoadedCase } from '../../case/types.js';
import type { Bilingual } from '../../results/types.js';

/** One declared (or missing) measure. */
export interface PrivacyMeasure {
  /** `differential-privacy`, `de-identification`, `data-protection`. */
  measure: string;
  /** JSON path in the description (empty when not declared). */
  path: string;
  /** The provider's text: its `{zh, en}` where the description gives both, else the string it gives. */
  declared: string | Bilingual;
  /**
   * `declared, supported` / `declared, not supported` / `declared, not verifiable here` / `declared, contradicted` /
   * `declared not applicable, consistent` / `not declared` (a stable enumeration; {@link STATUS_TEXT} words it).
   */
  status: string;
  evidence: Bilingual;
}

/** The statuses of {@link PrivacyMeasure} in both languages (the report's table shows these). */
export const STATUS_TEXT: Record<string, Bilingual> = {
  'declared, supported': { zh: '已声明，有证据支持', en: 'declared, supported' },
  'declared, not supported': { zh: '已声明，证据不支持', en: 'declared, not supported' },
  'declared, not verifiable here': { zh: '已声明，本评估无法核实', en: 'declared, not verifiable here' },
  'declared, contradicted': { zh: '已声明，与证据矛盾', en: 'declared, contradicted' },
  'declared not applicable, consistent': { zh: '声明不适用，与证据一致', en: 'declared not applicable, consistent' },
  'not declared': { zh: '未声明', en: 'not declared' },
};

const KINDS: { measure: string; re: RegExp }[] = [
  { measure: 'differential-privacy', re: /differential[\s_-]*privacy|dp[\s_-]*sgd|差分隐私/i },
  { measure: 'de-identification', re: /de-?identif|anonymi|pseudonymi|去标识|匿名|脱敏/i },
  { measure: 'data-protection', re: /privacy|隐私|upload|上传|encrypt|加密/i },
];

const IDENTIFIER_COLUMN =
  /^(name|patient[_ ]?name|patient[_ ]?id|mrn|birth[_ ]?date|dob|date[_ ]?of[_ ]?birth|address|phone|ssn|id[_ ]?card|姓名|身份证|住址|电话)$/i;

interface DescriptionText {
  path: string;
  key: string;
  /** Both languages run together (what the patterns search). */
  text: string;
  /** The text as the description gives it. */
  shown: string | Bilingual;
}

function walk(v: unknown, path: string, out: DescriptionText[]): void {
  if (typeof v === 'string') out.push({ path, key: path.split('/').pop() ?? '', text: v, shown: v });
  else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}/${i}`, out));
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.en === 'string' || typeof o.zh === 'string') {
      const text = String(o.en ?? o.zh) + (o.zh && o.en ? ` / ${String(o.zh)}` : '');
      const shown = typeof o.zh === 'string' && typeof o.en === 'string' ? { zh: o.zh, en: o.en } : String(o.en ?? o.zh);
      out.push({ path, key: path.split('/').pop() ?? '', text, shown });
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
  const strings: DescriptionText[] = [];
  walk(c.description, '', strings);
  const cols = manifestColumns(c);
  const idCols = cols.filter((k) => IDENTIFIER_COLUMN.test(k));
  const out: PrivacyMeasure[] = [];
  for (const { measure, re } of KINDS) {
    const hits = strings.filter((s) => (re.test(s.key) || re.test(s.text)) && !out.some((o) => o.path === s.path));
    if (!hits.length) {
      out.push({
        measure,
        path: '',
        declared: '',
        status: 'not declared',
        evidence: { zh: '描述中未提及此类措施', en: 'the description names no such measure' },
      });
      continue;
    }
    for (const h of hits) {
      let status = 'declared, not verifiable here';
      let evidence: Bilingual = { zh: '需要提供方的书面证据', en: 'documentary evidence from the provider is needed' };
      if (measure === 'differential-privacy') {
        if (membershipAuc !== undefined) {
          status = membershipAuc <= 0.6 ? 'declared, supported' : 'declared, not supported';
          const auc = `AUC ${membershipAuc.toFixed(3)} (${membershipAuc <= 0.6 ? '≤' : '>'} 0.6)`;
          evidence = {
            zh: `成员推断 ${auc}；差分隐私保证（ε, δ）本身无法从模型文件核实`,
            en: `membership-inference ${auc}; the DP guarantee (ε, δ) itself is not verifiable from the model file`,
          };
        }
      } else if (measure === 'de-identification') {
        const na = /not applicable|不适用/i.test(h.text);
        status = idCols.length ? 'declared, contradicted' : na ? 'declared not applicable, consistent' : 'declared, supported';
        const listed = `${cols.slice(0, 12).join(', ')}${cols.length > 12 ? ', …' : ''}`;
        evidence = idCols.length
          ? { zh: `清单中有类似标识符的列：${idCols.join(', ')}`, en: `identifier-like manifest columns: ${idCols.join(', ')}` }
          : {
              zh: `清单的 ${cols.length} 列（${listed}）中没有类似标识符的列；未检查图像内容`,
              en: `no identifier-like column among the ${cols.length} manifest columns (${listed}); image contents not inspected`,
            };
      }
      const cut = (t: string) => (t.length > 240 ? `${t.slice(0, 237)}…` : t);
      const declared = typeof h.shown === 'string' ? cut(h.shown) : { zh: cut(h.shown.zh), en: cut(h.shown.en) };
      out.push({ measure, path: h.path, declared, status, evidence });
    }
  }
  return out;
}
