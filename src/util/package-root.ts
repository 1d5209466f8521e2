import { existsSync } from 'node:fs';
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
    if (up === d) throw new Error(`ptm-conformity: package root not found above ${__dirname}`);
    d = up;
  }
}
