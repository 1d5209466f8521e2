#!/usr/bin/env node
/**
 * Compares the clause results of two evidence bundles, timings and dates aside:
 *   node scripts/compare-results.js BUNDLE_A BUNDLE_B [--root-a DIR --root-b DIR]
 * (--root-a/--root-b: the checkouts that made A and B, when they differ; their paths are compared as <ROOT>.)
 * Exit 0 when every results/<clause>.json agrees, 1 with the differences listed otherwise.
 * The rules (what counts as timing, what is masked) live in src/evidence/compare.ts, which
 * `ptmc verify --rerun` uses too; this script needs the build (`npm run build`).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

let compare;
try {
  compare = require(path.join(__dirname, '..', 'dist', 'src', 'evidence', 'compare.js'));
} catch {
  process.stderr.write('compare-results: build first (npm run build): dist/src/evidence/compare.js is missing\n');
  process.exit(2);
}

function load(dir) {
  const res = path.join(dir, 'results');
  const out = {};
  for (const f of fs.readdirSync(res).filter((n) => n.endsWith('.json'))) out[f] = JSON.parse(fs.readFileSync(path.join(res, f), 'utf8'));
  return out;
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
    else for (const d of compare.compareClauseResults(ra[f], rb[f], [a, b], [rootA, rootB]).differences) out.push(`${f}${d}`);
  }
  if (out.length) {
    process.stdout.write(`${out.length} difference(s):\n${out.map((l) => `  ${l}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`results agree (${Object.keys(ra).length} clauses, timings and dates aside)\n`);
}

main();
