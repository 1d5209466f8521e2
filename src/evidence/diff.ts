/**
 * Comparing two evidence bundles (`ptmc diff A B`): a model's v1 against v2, or two labs' runs of one case.
 * Reported: verdict changes per clause, claims whose decision changed, measurements that moved beyond their
 * combined confidence interval (or, without intervals, that differ at all), and settings that differ.
 * Timing quantities (units ms, s, samples/s) are listed apart: they move between any two runs.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClaimCheck, ClauseResult, Measurement } from '../results/types.js';
import { InputError } from '../util/errors.js';

/** Units whose values depend on the machine and its load. */
const TIMING_UNITS = new Set(['ms', 's', 'samples/s']);
/** Dimensionless or memory quantities that depend on the machine and its load all the same. */
const TIMING_NAMES = /speedup|gain|peakRss|seconds|perSecond|throughput|latency/i;
/** Conditions that record how long a timing ran, not what was measured. */
const RUN_LENGTH_CONDITIONS = new Set(['queries']);
/** Temporary names that differ between any two runs. */
const TEMP_NAMES = [/ptmc-sandbox-[A-Za-z0-9]+/g, /mat-debug-\d+\.log/g];

/** One measurement that moved. */
export interface MeasurementChange {
  clause: string;
  name: string;
  unit: string;
  /** The measurement's conditions, as JSON (measurements of one name differ by conditions). */
  conditions: string;
  a: Measurement['value'];
  b: Measurement['value'];
  /** `ci`: moved beyond the combined interval; `exact`: no interval, values differ; `added`/`removed`. */
  rule: 'ci' | 'exact' | 'added' | 'removed';
  /** A timing quantity (machine- and load-dependent). */
  timing: boolean;
}

/** What changed between two bundles. */
export interface BundleDiff {
  a: string;
  b: string;
  verdicts: { clause: string; a: string | null; b: string | null }[];
  claims: { clause: string; id: string; a: ClaimCheck['met'] | 'absent'; b: ClaimCheck['met'] | 'absent' }[];
  measurements: MeasurementChange[];
  settings: { clause: string; key: string; a: unknown; b: unknown }[];
  /** True when any clause's verdict differs (the CLI then exits 1). */
  verdictChanged: boolean;
}

/**
 * Reads every `results/<clause>.json` of a bundle (no schema check: the bundle was checked when written;
 * `ptmc verify` checks it is intact).
 * @throws InputError when the folder or its results/ folder is missing or a result is not JSON
 */
export function readBundleResults(dir: string): Map<string, ClauseResult> {
  const res = join(dir, 'results');
  if (!existsSync(res) || !statSync(res).isDirectory()) {
    throw new InputError('not an evidence bundle: it has no results/ folder', {
      file: dir,
      remedy: 'give a folder written by `ptmc run` (it holds results/<clause>.json)',
    });
  }
  const out = new Map<string, ClauseResult>();
  for (const f of readdirSync(res).filter((n) => n.endsWith('.json')).sort()) {
    const file = join(res, f);
    try {
      const r = JSON.parse(readFileSync(file, 'utf8')) as ClauseResult;
      out.set(r.clause, r);
    } catch (e) {
      throw new InputError(`not valid JSON: ${(e as Error).message}`, { file, remedy: 're-run the clause or restore the file' });
    }
  }
  return out;
}

function halfWidth(m: Measurement): number | undefined {
  return m.ci && Number.isFinite(m.ci.low) && Number.isFinite(m.ci.high) ? (m.ci.high - m.ci.low) / 2 : undefined;
}

function measurementKey(m: Measurement): string {
  const c = Object.entries(m.conditions ?? {}).filter(([k]) => !RUN_LENGTH_CONDITIONS.has(k));
  return `${m.name}|${JSON.stringify(Object.fromEntries(c))}`;
}

/** A bundle's own folder, its case folder and temporary names replaced by placeholders, so two runs compare. */
function placeFree(v: unknown, bundle: string, caseDir: string | undefined): unknown {
  if (typeof v === 'string') {
    let s = v.split(resolve(bundle)).join('<BUNDLE>');
    if (caseDir) s = s.split(caseDir).join('<CASE>');
    return TEMP_NAMES.reduce((t, re) => t.replace(re, '<TEMP>'), s);
  }
  if (Array.isArray(v)) return v.map((x) => placeFree(x, bundle, caseDir));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, placeFree(x, bundle, caseDir)]));
  return v;
}

function caseDirOf(bundle: string): string | undefined {
  try {
    const m = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as { case?: { path?: string } };
    return typeof m.case?.path === 'string' ? m.case.path : undefined;
  } catch {
    return undefined;
  }
}

function compareMeasurements(clause: string, ma: Measurement[], mb: Measurement[]): MeasurementChange[] {
  const out: MeasurementChange[] = [];
  const bByKey = new Map(mb.map((m) => [measurementKey(m), m]));
  const aKeys = new Set(ma.map(measurementKey));
  const row = (m: Measurement, a: Measurement['value'], b: Measurement['value'], rule: MeasurementChange['rule']): MeasurementChange => ({
    clause,
    name: m.name,
    unit: m.unit,
    conditions: JSON.stringify(m.conditions ?? {}),
    a,
    b,
    rule,
    timing: TIMING_UNITS.has(m.unit) || TIMING_NAMES.test(m.name),
  });
  for (const m of ma) {
    const other = bByKey.get(measurementKey(m));
    if (!other) {
      out.push(row(m, m.value, null, 'removed'));
      continue;
    }
    if (typeof m.value === 'number' && typeof other.value === 'number') {
      const ha = halfWidth(m);
      const hb = halfWidth(other);
      if (ha !== undefined && hb !== undefined) {
        // moved beyond the combined interval: |a − b| larger than the root sum of squares of the half-widths
        if (Math.abs(m.value - other.value) > Math.hypot(ha, hb)) out.push(row(m, m.value, other.value, 'ci'));
        continue;
      }
    }
    if (JSON.stringify(m.value) !== JSON.stringify(other.value)) out.push(row(m, m.value, other.value, 'exact'));
  }
  for (const m of mb) if (!aKeys.has(measurementKey(m))) out.push(row(m, null, m.value, 'added'));
  return out;
}

function compareSettings(clause: string, a: Record<string, unknown>, b: Record<string, unknown>): BundleDiff['settings'] {
  const out: BundleDiff['settings'] = [];
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    // paths of the case and the output folder differ between any two runs: not a setting that shaped a result
    if (key === 'casePath' || key === 'outDir') continue;
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) out.push({ clause, key, a: a[key], b: b[key] });
  }
  return out;
}

/**
 * Compares the clause results of two bundles.
 * @param a the first bundle folder (e.g. model v1)
 * @param b the second bundle folder (e.g. model v2)
 * @returns verdict, claim, measurement and setting changes
 * @throws InputError when a folder is not a bundle
 * @example
 * const d = diffBundles('evidence/v1', 'evidence/v2'); d.verdictChanged;
 */
export function diffBundles(a: string, b: string): BundleDiff {
  const ra = readBundleResults(a);
  const rb = readBundleResults(b);
  const clauses = [...new Set([...ra.keys(), ...rb.keys()])].sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));
  const d: BundleDiff = { a, b, verdicts: [], claims: [], measurements: [], settings: [], verdictChanged: false };
  for (const clause of clauses) {
    const x = ra.get(clause);
    const y = rb.get(clause);
    if ((x?.verdict ?? null) !== (y?.verdict ?? null)) d.verdicts.push({ clause, a: x?.verdict ?? null, b: y?.verdict ?? null });
    if (!x || !y) continue;
    const yc = new Map(y.claims.map((c) => [c.id, c]));
    for (const c of x.claims) {
      const o = yc.get(c.id);
      if (!o || o.met !== c.met) d.claims.push({ clause, id: c.id, a: c.met, b: o ? o.met : 'absent' });
    }
    for (const c of y.claims) if (!x.claims.some((k) => k.id === c.id)) d.claims.push({ clause, id: c.id, a: 'absent', b: c.met });
    d.measurements.push(...compareMeasurements(clause, x.measurements, y.measurements));
    const sa = placeFree(x.settings, a, caseDirOf(a)) as Record<string, unknown>;
    const sb = placeFree(y.settings, b, caseDirOf(b)) as Record<string, unknown>;
    d.settings.push(...compareSettings(clause, sa, sb));
  }
  d.verdictChanged = d.verdicts.length > 0;
  return d;
}

/** A value as text: a `{zh, en}` text of a result in English (the diff's language), anything else as JSON. */
const show = (v: unknown): string => {
  if (v === undefined) return '—';
  if (typeof v === 'string') return v;
  const o = v as Record<string, unknown> | null;
  if (o && !Array.isArray(o) && Object.keys(o).length === 2 && typeof o['zh'] === 'string' && typeof o['en'] === 'string') return o['en'];
  return JSON.stringify(v);
};

/**
 * The diff as text: one section per kind of change, timing measurements listed last.
 * @example
 * process.stdout.write(formatBundleDiff(diffBundles(a, b)));
 */
export function formatBundleDiff(d: BundleDiff): string {
  const lines = [`ptmc diff ${d.a} ${d.b}`];
  lines.push(d.verdicts.length ? 'verdict changes:' : 'verdicts: no change');
  for (const v of d.verdicts) lines.push(`  ${v.clause}  ${show(v.a)} → ${show(v.b)}`);
  if (d.claims.length) lines.push('claim decisions that changed (met: true / false / null = inconclusive):');
  for (const c of d.claims) lines.push(`  ${c.clause}  ${c.id}  ${show(c.a)} → ${show(c.b)}`);
  const moved = d.measurements.filter((m) => !m.timing);
  const timing = d.measurements.filter((m) => m.timing);
  if (moved.length) lines.push('measurements that moved (beyond the combined CI, or changed exactly where no CI):');
  for (const m of moved) lines.push(`  ${m.clause}  ${m.name} ${m.conditions}  ${show(m.a)} → ${show(m.b)} ${m.unit} [${m.rule}]`);
  if (timing.length) lines.push(`timing measurements that differ (machine- and load-dependent): ${timing.length}`);
  for (const m of timing) lines.push(`  ${m.clause}  ${m.name} ${m.conditions}  ${show(m.a)} → ${show(m.b)} ${m.unit}`);
  if (d.settings.length) lines.push('settings that differ:');
  for (const s of d.settings) lines.push(`  ${s.clause}  ${s.key}  ${show(s.a)} → ${show(s.b)}`);
  return lines.join('\n') + '\n';
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The diff as one self-contained HTML page (no script, no external resource): side-by-side tables.
 */
export function bundleDiffHtml(d: BundleDiff): string {
  const table = (title: string, head: string[], rows: string[][]): string =>
    rows.length
      ? `<h2>${esc(title)}</h2><table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
        rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('') +
        '</tbody></table>'
      : `<h2>${esc(title)}</h2><p>no change</p>`;
  return (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>ptmc diff</title>' +
    '<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}' +
    'th{background:#f4f4f4}</style></head><body>' +
    `<h1>ptmc diff</h1><p>A: ${esc(d.a)}<br>B: ${esc(d.b)}</p>` +
    table('Verdicts', ['clause', 'A', 'B'], d.verdicts.map((v) => [v.clause, show(v.a), show(v.b)])) +
    table('Claims', ['clause', 'claim', 'A', 'B'], d.claims.map((c) => [c.clause, c.id, show(c.a), show(c.b)])) +
    table(
      'Measurements',
      ['clause', 'name', 'conditions', 'A', 'B', 'unit', 'rule', 'timing'],
      d.measurements.map((m) => [m.clause, m.name, m.conditions, show(m.a), show(m.b), m.unit, m.rule, m.timing ? 'yes' : 'no']),
    ) +
    table('Settings', ['clause', 'key', 'A', 'B'], d.settings.map((s) => [s.clause, s.key, show(s.a), show(s.b)])) +
    '</body></html>\n'
  );
}
