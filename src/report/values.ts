/**
 * Values of a result in the report's language: bilingual texts (`{zh, en}` at any depth), the
 * labels of result-table columns and of enumerated cell values (`templates/report/columns.json`),
 * settings flattened to key–value rows, numbers formatted so that they never need to wrap.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import type { Bilingual, Lang } from '../results/types.js';
import { fallbackReason } from './reasons.js';

interface ColumnLabels {
  columns: Record<string, Bilingual>;
  values: Record<string, Bilingual>;
  /** Units that are words (`queries`, `samples/s`), by unit. */
  units?: Record<string, Bilingual>;
}

let labels: ColumnLabels | undefined;

function columnLabels(): ColumnLabels {
  labels ??= JSON.parse(readFileSync(join(packageRoot(), 'templates', 'report', 'columns.json'), 'utf8')) as ColumnLabels;
  return labels;
}

/** Whether `v` is a bilingual text: an object with exactly the two string keys `zh` and `en`. */
export function isBilingual(v: unknown): v is Bilingual {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  return keys.length === 2 && typeof o['zh'] === 'string' && typeof o['en'] === 'string';
}

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/**
 * One language of a combined label `中文 / English` (or `English / 中文`): the side in `lang`
 * when exactly one side is Chinese; the string as it is otherwise.
 * @example
 * pairSide('模型标识 / model identifier', 'en'); // 'model identifier'
 */
export function pairSide(s: string, lang: Lang): string {
  const m = /^(.+?) \/ (.+)$/.exec(s);
  if (!m) return s;
  const [a, b] = [m[1]!, m[2]!];
  const ac = CJK.test(a);
  const bc = CJK.test(b);
  if (ac === bc) return s;
  return (lang === 'zh') === ac ? a : b;
}

/** The localised header of a result-table column, or `undefined` for an id without a label. */
export function columnLabel(id: string, lang: Lang): string | undefined {
  return columnLabels().columns[id]?.[lang];
}

/**
 * A measurement's unit as the report shows it: `—` for dimensionless (`1`), a unit that is a word in `lang`
 * (`templates/report/columns.json`, `units`), a symbol (ms, MiB, FLOP) as it is.
 * @example
 * unitLabel('queries', 'zh'); // '次查询'
 * unitLabel('ms', 'zh'); // 'ms'
 */
export function unitLabel(unit: string, lang: Lang): string {
  if (unit === '1') return '—';
  return columnLabels().units?.[unit]?.[lang] ?? unit;
}

/** The localised form of an enumerated value (`shall`, `present`, `met`, booleans …), or `undefined`. */
export function valueLabel(v: unknown, lang: Lang): string | undefined {
  if (typeof v === 'boolean') return columnLabels().values[String(v)]?.[lang];
  if (typeof v !== 'string') return undefined;
  return columnLabels().values[v]?.[lang];
}

/**
 * A value with every bilingual text (at any depth) replaced by its `lang` side and every
 * `中文 / English` string by its `lang` side.
 */
export function localise(v: unknown, lang: Lang): unknown {
  if (isBilingual(v)) return v[lang] || v.en || v.zh;
  if (typeof v === 'string') return pairSide(v, lang);
  if (Array.isArray(v)) return v.map((x) => localise(x, lang));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, localise(x, lang)]));
  return v;
}

/**
 * A number for a table cell: integers exact with thousands separators from 10 000 on, other
 * numbers to 4 significant digits, exponents for tiny or huge magnitudes.
 * @example
 * formatNumber(36110336); // '36,110,336'
 * formatNumber(0.99991); // '0.9999'
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (Number.isInteger(v)) return a >= 1e4 && a < 1e15 ? v.toLocaleString('en-US') : String(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e7)) return v.toExponential(3);
  const r = Number(v.toPrecision(4));
  return Math.abs(r) >= 1e4 ? r.toLocaleString('en-US', { maximumFractionDigits: 0 }) : String(r);
}

/**
 * A scalar for a cell in `lang`: bilingual texts and `中文 / English` labels in `lang`, enumerated
 * values and booleans localised, numbers through {@link formatNumber}, `null` as a dash; arrays
 * of scalars as comma lists, objects as `key: value` pairs, lists of objects as `(…); (…)`.
 */
export function displayValue(v: unknown, lang: Lang): string {
  if (v === null || v === undefined) return '—';
  if (isBilingual(v)) return v[lang] || v.en || v.zh;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean' || typeof v === 'string') {
    const l = valueLabel(v, lang);
    if (l !== undefined) return l;
    return typeof v === 'string' ? fallbackReason(pairSide(v, lang), lang) : String(v);
  }
  if (Array.isArray(v)) {
    if (!v.length) return '—';
    // a list of objects: each in parentheses, separated by semicolons
    if (v.some((x) => x && typeof x === 'object' && !isBilingual(x))) return v.map((x) => `(${displayValue(x, lang)})`).join('; ');
    return v.map((x) => displayValue(x, lang)).join(', ');
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    return entries.length ? entries.map(([k, x]) => `${k}: ${displayValue(x, lang)}`).join(', ') : '—';
  }
  return String(v);
}

/** A string that holds a JSON object or array (a value serialised by the result), parsed; else `undefined`. */
function jsonString(v: unknown): unknown {
  if (typeof v !== 'string' || !/^[{[]/.test(v)) return undefined;
  try {
    const x = JSON.parse(v) as unknown;
    return x && typeof x === 'object' ? x : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A cell value in `lang` as {@link displayValue}, with a JSON object serialised into a string
 * (`{"sigmaPx":2.5}`) shown as its `key: value` pairs.
 * @example
 * cellText('{"sigmaPx":2.5}', 'en'); // 'sigmaPx: 2.5'
 */
export function cellText(v: unknown, lang: Lang): string {
  const parsed = jsonString(v);
  return displayValue(parsed ?? v, lang);
}

/**
 * Settings as key–value rows in `lang`: nested objects flattened to dotted keys, arrays of
 * scalars as comma lists, arrays of objects one row per element (`key[i]`, its fields inline),
 * bilingual texts in `lang`.
 * @example
 * flattenSettings({ trainable: { lastLayers: 2 }, sizes: [1, 8] }, 'en');
 * // [['trainable.lastLayers', '2'], ['sizes', '1, 8']]
 */
export function flattenSettings(o: Record<string, unknown>, lang: Lang, prefix = ''): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(o)) {
    const key = `${prefix}${k}`;
    if (v && typeof v === 'object' && !Array.isArray(v) && !isBilingual(v)) {
      const sub = flattenSettings(v as Record<string, unknown>, lang, `${key}.`);
      if (sub.length) out.push(...sub);
      else out.push([key, '—']);
    } else if (Array.isArray(v) && v.some((x) => x && typeof x === 'object' && !isBilingual(x))) {
      // a list of objects: one row per element, its fields inline
      v.forEach((x, i) => out.push([`${key}[${i}]`, displayValue(x, lang)]));
    } else out.push([key, displayValue(v, lang)]);
  }
  return out;
}

/**
 * Measurement conditions in `lang`: an object as `key=value, …` (nested keys dotted, values as in
 * {@link flattenSettings}), anything else as {@link cellText}.
 * @example
 * conditionsText({ provider: 'cpu', stoppedByBudget: false }, 'zh'); // 'provider=cpu, stoppedByBudget=否'
 */
export function conditionsText(v: unknown, lang: Lang): string {
  if (!v || typeof v !== 'object' || Array.isArray(v) || isBilingual(v)) return cellText(v, lang);
  return flattenSettings(v as Record<string, unknown>, lang)
    .map(([k, x]) => `${k}=${x}`)
    .join(', ');
}
