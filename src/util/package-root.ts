import { existsSync } from 'node:fs';
import { PtmcError } from './errors.js';
import { dirname, join } from 'node:path';

let root: string | undefined;

/**
 * The package's root folder (where `package.json`, `templates/`, `notebooks/`, `examples/` are),
 * found from this compiled file whether it runs from `dist/src` or is installed under node_modules.
 */
export function packageRoot(): string {
  if (root) return root;
  let d = __dirname;
  for (;;) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'templates'))) return (root = d);
    const up = dirname(d);
    if (up === d) {
      throw new PtmcError(`ptm-conformity: package root not found above ${__dirname}`, {
        remedy: 'run from an installed package or a checkout (package.json and templates/ above the compiled files)',
      });
    }
    d = up;
  }
}
