#!/usr/bin/env node
// Makes `import … from 'ptm-conformity'` resolve inside this repository (notebooks, examples):
// creates node_modules/ptm-conformity -> .. (a relative symlink to the repo root) when it is absent.
// Runs from package.json's `prepare` script. Idempotent, and never fails the install: it only acts
// when run in a checkout of ptm-conformity (not when the package is itself installed under
// node_modules), and any problem is reported as a warning.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function main() {
  const root = path.resolve(__dirname, '..');
  if (root.split(path.sep).includes('node_modules')) return 'installed as a dependency; nothing to link';
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  if (pkg.name !== 'ptm-conformity') return `not the ptm-conformity checkout (${pkg.name}); nothing to link`;
  const nm = path.join(root, 'node_modules');
  if (!fs.existsSync(nm)) return 'no node_modules folder; nothing to link';
  const link = path.join(nm, pkg.name);
  let st;
  try {
    st = fs.lstatSync(link);
  } catch {
    st = undefined;
  }
  if (st) {
    const ok = st.isSymbolicLink() && fs.realpathSync(link) === fs.realpathSync(root);
    return ok ? 'node_modules/ptm-conformity already links to the repository' : 'node_modules/ptm-conformity exists; left as it is';
  }
  fs.symlinkSync('..', link, process.platform === 'win32' ? 'junction' : 'dir');
  return 'linked node_modules/ptm-conformity -> .. (self-reference for notebooks)';
}

try {
  process.stdout.write(`link-self: ${main()}\n`);
} catch (e) {
  process.stderr.write(`link-self: warning: ${e && e.message ? e.message : e} (notebooks in this repo may not resolve 'ptm-conformity')\n`);
}
process.exitCode = 0;
