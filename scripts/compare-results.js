#!/usr/bin/env node
/**
 * Compares the clause results of two evidence bundles, timings and dates aside:
 *   node scripts/compare-results.js BUNDLE_A BUNDLE_B [--root-a DIR --root-b DIR]
 * (--root-a/--root-b: the checkouts that made A and B, when they differ; their paths are compared as <ROOT>.)
 * Exit 0 when every results/<clause>.json agrees, 1 with the differences listed otherwise.
 * Ignored: start/finish times, the environment (machine, load), every timing quantity (measurements in
 * ms, s or samples/s, speed-ups, and the timing tables of 6.3.2 and 6.3.4), numbers inside the rationale
 * of the timing clauses, the bundle folder's own path and temporary file names inside strings.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const TIMING_UNITS = new Set(['ms', 's', 'samples/s', 'MiB']);
const TIMING_NAME = /latency|throughput|speedup|gain|Ms$|PerSec$|duration|seconds|peakRss|gpuMemory/i;
const TIMING_TABLES = {
  '6.3.1': ['epochs', 'provider', 'threads'],
  '6.3.2': ['sweep'],
  '6.3.3': ['epochs'],
  '6.3.4': ['latency', 'variants'],
  '6.3.9': ['sandbox'],
};
const TIMING_CLAUSES = new Set(['6.3.2', '6.3.4']);
const TIMING_COLUMN = /ms|seconds|perSecond|throughput|speedup|efficiency|latency|time|duration|queries/i;
/** Names of temporary files and folders, which differ from run to run. */
const TEMP_NAMES = [/ptmc-sandbox-[A-Za-z0-9]+/g, /mat-debug-\d+\.log/g];

function load(dir) {
  const res = path.join(dir, 'results');
  const out = {};
  for (const f of fs.readdirSync(res).filter((n) => n.endsWith('.json'))) out[f] = JSON.parse(fs.readFileSync(path.join(res, f), 'utf8'));
  return out;
}

function normalise(r, dir, root) {
  const abs = path.resolve(dir);
  const strip = (v) =>
    typeof v === 'string'
      ? TEMP_NAMES.reduce((t, re) => t.replace(re, '<TEMP>'), rooted(v.split(abs).join('<BUNDLE>'), root))
      : Array.isArray(v)
        ? v.map(strip)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x)]))
          : v;
  const x = strip(structuredClone(r));
  delete x.startedAt;
  delete x.finishedAt;
  delete x.environment;
  const timingClause = TIMING_CLAUSES.has(x.clause);
  x.measurements = (x.measurements ?? []).filter((m) => !(TIMING_UNITS.has(m.unit) || TIMING_NAME.test(m.name)));
  x.claims = (x.claims ?? []).map((c) => (timingClause || TIMING_NAME.test(String(c.id)) ? { id: c.id, statement: c.statement } : c));
  if (timingClause) x.verdict = '(timing clause)';
  const skip = TIMING_TABLES[x.clause] ?? [];
  x.tables = (x.tables ?? []).map((t) => {
    if (!skip.includes(t.name)) return t;
    const keep = t.columns.map((c) => !TIMING_COLUMN.test(c));
    return { ...t, rows: t.rows.map((row) => row.filter((_, i) => keep[i])) };
  });
  const maskNumbers = (s) => (typeof s === 'string' ? s.replace(/\d+(\.\d+)?/g, '#') : s);
  if (timingClause || x.clause === '6.3.1' || x.clause === '6.3.3') {
    x.rationale =
      typeof x.rationale === 'string' ? maskNumbers(x.rationale) : { zh: maskNumbers(x.rationale.zh), en: maskNumbers(x.rationale.en) };
  }
  return x;
}

function rooted(s, root) {
  return root ? s.split(path.resolve(root)).join('<ROOT>') : s;
}

function diff(a, b, where, out) {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diff(a[k], b[k], `${where}/${k}`, out);
    return;
  }
  out.push(`${where}: ${JSON.stringify(a)?.slice(0, 160)} ≠ ${JSON.stringify(b)?.slice(0, 160)}`);
}

function main() {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const rootA = opt('--root-a');
  const rootB = opt('--root-b');
  const [a, b] = args;
  if (!a || !b) {
    process.stderr.write('usage: node scripts/compare-results.js BUNDLE_A BUNDLE_B\n');
    process.exit(2);
  }
  const ra = load(a);
  const rb = load(b);
  const out = [];
  for (const f of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
    if (!ra[f] || !rb[f]) out.push(`${f}: only in ${ra[f] ? a : b}`);
    else diff(normalise(ra[f], a, rootA), normalise(rb[f], b, rootB), f, out);
  }
  if (out.length) {
    process.stdout.write(`${out.length} difference(s):\n${out.map((l) => `  ${l}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`results agree (${Object.keys(ra).length} clauses, timings and dates aside)\n`);
}

main();
