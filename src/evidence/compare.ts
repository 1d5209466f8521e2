/**
 * Comparing the clause results of two evidence bundles, timings and dates aside (what
 * `ptmc verify --rerun` and `scripts/compare-results.js` report). Ignored: start/finish times, the
 * environment (machine, load), the bundle's own path and temporary file names inside strings, numbers
 * inside the rationale of the timing clauses, findings about the machine's load (`timing-*`). Timing
 * quantities (measurements in ms, s, samples/s or MiB, speed-ups, the timing tables of 6.3.2 and 6.3.4)
 * are not compared for identity: a timing with a confidence interval on both sides is compared by
 * interval overlap instead.
 */
import { resolve } from 'node:path';

const TIMING_UNITS = new Set(['ms', 's', 'samples/s', 'MiB']);
const TIMING_NAME = /latency|throughput|speedup|gain|Ms$|PerSec$|duration|seconds|peakRss|gpuMemory/i;
const TIMING_TABLES: Record<string, string[]> = {
  '6.3.1': ['epochs', 'provider', 'threads'],
  '6.3.2': ['sweep', 'training'],
  '6.3.3': ['epochs'],
  '6.3.4': ['latency', 'variants'],
  '6.3.9': ['sandbox'],
};
const TIMING_CLAUSES = new Set(['6.3.2', '6.3.4']);
const TIMING_COLUMN = /ms|seconds|perSecond|throughput|speedup|efficiency|latency|time|duration|queries|^low$|^high$/i;
/** Findings about the machine the timings ran on (e.g. `timing-loaded-machine`): present or not with the load. */
const TIMING_FINDING = /^timing-/;
/** Names of temporary files and folders, which differ from run to run. */
const TEMP_NAMES = [/ptmc-sandbox-[A-Za-z0-9]+/g, /mat-debug-\d+\.log/g, /ptmc-rerun-[A-Za-z0-9]+/g];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

interface Measurement {
  name?: string;
  unit?: string;
  value?: number;
  ci?: { low?: number; high?: number };
}

/** Whether a measurement is a timing (by unit or name). */
export function isTiming(m: Measurement): boolean {
  return TIMING_UNITS.has(String(m.unit)) || TIMING_NAME.test(String(m.name));
}

function strip(v: Json, replace: (s: string) => string): Json {
  if (typeof v === 'string') return replace(v);
  if (Array.isArray(v)) return v.map((x) => strip(x, replace));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x, replace)]));
  return v;
}

/**
 * A clause result with everything that may differ between two honest runs removed or masked.
 * @param r the result (parsed JSON)
 * @param bundle the bundle folder it came from (its path is masked as `<BUNDLE>`)
 * @param root optional checkout folder masked as `<ROOT>`
 */
export function normaliseResult(r: unknown, bundle: string, root?: string): Obj {
  const abs = resolve(bundle);
  const replace = (s: string) => {
    let t = s.split(abs).join('<BUNDLE>');
    if (root) t = t.split(resolve(root)).join('<ROOT>');
    return TEMP_NAMES.reduce((x, re) => x.replace(re, '<TEMP>'), t);
  };
  const x = strip(structuredClone(r) as Json, replace) as Obj;
  delete x.startedAt;
  delete x.finishedAt;
  delete x.environment;
  const clause = String(x.clause);
  const timingClause = TIMING_CLAUSES.has(clause);
  x.measurements = ((x.measurements ?? []) as unknown as Measurement[]).filter((m) => !isTiming(m)) as unknown as Json;
  x.claims = ((x.claims ?? []) as Obj[]).map((c) =>
    timingClause || TIMING_NAME.test(String(c.id)) ? { id: c.id ?? null, statement: c.statement ?? null } : c,
  );
  if (timingClause) x.verdict = '(timing clause)';
  x.findings = ((x.findings ?? []) as Obj[]).filter((f) => !TIMING_FINDING.test(String(f.id)));
  const skip = TIMING_TABLES[clause] ?? [];
  x.tables = ((x.tables ?? []) as Obj[]).map((t) => {
    if (!skip.includes(String(t.name))) return t;
    const keep = (t.columns as string[]).map((c) => !TIMING_COLUMN.test(c));
    return { ...t, rows: (t.rows as Json[][]).map((row) => row.filter((_, i) => keep[i])) };
  });
  const mask = (s: Json) => (typeof s === 'string' ? s.replace(/\d+(\.\d+)?/g, '#') : s);
  if (timingClause || clause === '6.3.1' || clause === '6.3.3') {
    const rat = x.rationale;
    x.rationale =
      typeof rat === 'string'
        ? mask(rat)
        : rat && typeof rat === 'object'
          ? { zh: mask((rat as Obj).zh!), en: mask((rat as Obj).en!) }
          : rat;
  }
  return x;
}

/** Paths (`/claims/2/measured`) where two JSON values differ, with both values (shortened). */
export function jsonDifferences(a: unknown, b: unknown, where = '', out: string[] = []): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return out;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    for (const k of new Set([...ka, ...kb]))
      jsonDifferences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${where}/${k}`, out);
    return out;
  }
  out.push(`${where || '/'}: ${JSON.stringify(a)?.slice(0, 160)} ≠ ${JSON.stringify(b)?.slice(0, 160)}`);
  return out;
}

/** How the timings of one clause compare: by confidence-interval overlap where both sides have one. */
export interface TimingComparison {
  name: string;
  unit: string;
  a: number | null;
  b: number | null;
  /** `overlap` / `disjoint` when both have a CI, `not-compared` otherwise. */
  status: 'overlap' | 'disjoint' | 'not-compared';
}

/**
 * The timing measurements of two results of the same clause, compared by CI overlap.
 * @param a the first result
 * @param b the second result
 */
export function compareTimings(a: unknown, b: unknown): TimingComparison[] {
  const ma = (((a as Obj)?.measurements ?? []) as unknown as Measurement[]).filter(isTiming);
  const mb = (((b as Obj)?.measurements ?? []) as unknown as Measurement[]).filter(isTiming);
  return ma.map((x) => {
    const y = mb.find((m) => m.name === x.name);
    const ci = (m?: Measurement) => (m?.ci && Number.isFinite(m.ci.low) && Number.isFinite(m.ci.high) ? m.ci : undefined);
    const cx = ci(x);
    const cy = ci(y);
    const status = !cx || !cy ? 'not-compared' : cx.low! <= cy.high! && cy.low! <= cx.high! ? 'overlap' : 'disjoint';
    return { name: String(x.name), unit: String(x.unit), a: x.value ?? null, b: y?.value ?? null, status };
  });
}

/** The comparison of one clause's results. */
export interface ClauseComparison {
  clause: string;
  /** True when verdict, claim decisions and every non-timing measurement, table and finding agree. */
  identical: boolean;
  /** Where they differ (JSON paths with both values); at most 40. */
  differences: string[];
  timings: TimingComparison[];
}

/**
 * Compares two results of one clause (timings by CI overlap, everything else for identity).
 * @param a result of the first bundle
 * @param b result of the second bundle
 * @param dirs the two bundle folders (their paths are masked)
 */
export function compareClauseResults(a: unknown, b: unknown, dirs: [string, string], roots: [string?, string?] = []): ClauseComparison {
  const differences = jsonDifferences(normaliseResult(a, dirs[0], roots[0]), normaliseResult(b, dirs[1], roots[1]));
  return {
    clause: String((a as Obj)?.clause ?? (b as Obj)?.clause),
    identical: differences.length === 0,
    differences: differences.slice(0, 40),
    timings: compareTimings(a, b),
  };
}
