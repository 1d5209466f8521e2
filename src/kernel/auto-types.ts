/**
 * Limits the `@types` packages that tslab's compiler includes automatically to `@types/node`, as a
 * tsconfig with `"types": ["node"]` would. Without it, every package under `node_modules/@types`
 * (test-runner globals, WebGL, jsdom…) is parsed at kernel start, and some pull in the whole DOM
 * library: in this repository that costs about 0.6 s of CPU per kernel start. Packages a cell
 * imports still get their types (module resolution finds them). `PTMC_KERNEL_ALL_TYPES=1` restores
 * tslab's default.
 *
 * tslab exposes no compiler options, so this wraps `getDirectories` of the `sys` object of tslab's
 * own TypeScript copy (`@tslab/typescript-for-tslab`), the call TypeScript uses to list type roots.
 */

let installed = false;

/**
 * The `@types` listing filter: in a `node_modules/@types` folder only `node` is kept; other
 * listings pass unchanged.
 * @param path the folder TypeScript lists
 * @param entries its sub-folders
 * @returns the entries TypeScript gets to see
 * @example
 * filterTypeRootListing('/p/node_modules/@types', ['jsdom', 'node']); // ['node']
 */
export function filterTypeRootListing(path: string, entries: string[]): string[] {
  return /[\\/]node_modules[\\/]@types$/.test(path.replace(/[\\/]+$/, '')) ? entries.filter((d) => d === 'node') : entries;
}

/**
 * Installs the filter on tslab's TypeScript (once per process; a no-op with
 * `PTMC_KERNEL_ALL_TYPES=1`).
 * @returns whether the filter is active
 * @example
 * limitAutomaticTypes(); // before tslab creates its converter
 */
export function limitAutomaticTypes(): boolean {
  if (process.env.PTMC_KERNEL_ALL_TYPES === '1') return false;
  if (installed) return true;
  const tslabPkg = require.resolve('tslab/package.json');
   
  const ts = require(require.resolve('@tslab/typescript-for-tslab', { paths: [tslabPkg.replace(/package\.json$/, '')] })) as {
    sys: { getDirectories(path: string): string[] };
  };
  const original = ts.sys.getDirectories;
  ts.sys.getDirectories = function (path: string): string[] {
    return filterTypeRootListing(path, original.call(this, path));
  };
  installed = true;
  return true;
}
