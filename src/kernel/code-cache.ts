/**
 * A V8 code cache for the TypeScript compiler that tslab uses (`@tslab/typescript-for-tslab`, a
 * 9 MB script). Node 20 has no built-in compile cache, so the kernel loads that one module through
 * `vm.Script` with `cachedData`, and after its first cell writes the cache (which then also holds
 * the functions compiled while type-checking), saving about 100 ms of CPU per kernel start.
 * V8 checks the cache against the source, its own version and flags and ignores a stale one; any
 * failure falls back to a normal `require`. `PTMC_KERNEL_CODE_CACHE=0` turns it off.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

interface Loaded {
  script: Script;
  cacheFile: string;
  accepted: boolean;
}

let loaded: Loaded | undefined;

/**
 * The folder holding code caches: `$XDG_CACHE_HOME/ptm-conformity` or `~/.cache/ptm-conformity`.
 * @param env the environment (default `process.env`)
 * @returns the folder path (it may not exist yet)
 * @example
 * codeCacheDir({ XDG_CACHE_HOME: '/c' }); // '/c/ptm-conformity'
 */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || (homedir() ? join(homedir(), '.cache') : tmpdir());
  return join(base, 'ptm-conformity');
}

/**
 * Loads tslab's TypeScript compiler into `require.cache` using a V8 code cache when one exists.
 * Does nothing when the module is already loaded or the cache is disabled.
 * @returns whether a cache was found and accepted by V8
 * @example
 * preloadTypeScript(); // then require('tslab/dist/converter') finds the compiler already loaded
 */
export function preloadTypeScript(): boolean {
  if (process.env.PTMC_KERNEL_CODE_CACHE === '0' || loaded) return loaded?.accepted ?? false;
  try {
    const tslabPkg = require.resolve('tslab/package.json');
    const file = require.resolve('@tslab/typescript-for-tslab', { paths: [dirname(tslabPkg)] });
    if (require.cache[file]) return false;
    const st = statSync(file);
    const key = createHash('sha256')
      .update(`${file}\0${st.size}\0${st.mtimeMs}\0${process.version}\0${process.arch}`)
      .digest('hex')
      .slice(0, 16);
    const cacheFile = join(codeCacheDir(), `typescript-${key}.v8cache`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
    const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
    const accepted = cachedData !== undefined && script.cachedDataRejected === false;
    const m = new Module(file, module);
    m.filename = file;
    (m as unknown as { paths: string[] }).paths = (Module as unknown as { _nodeModulePaths(d: string): string[] })._nodeModulePaths(
      dirname(file),
    );
    const fn = script.runInThisContext() as (e: unknown, r: NodeRequire, m: Module, f: string, d: string) => void;
    require.cache[file] = m;
    try {
      fn.call(m.exports, m.exports, Module.createRequire(file), m, file, dirname(file));
    } catch (e) {
      delete require.cache[file];
      throw e;
    }
    m.loaded = true;
    loaded = { script, cacheFile, accepted };
    return accepted;
  } catch {
    return false;
  }
}

/**
 * Writes the code cache if the one loaded was missing or rejected. Call it once the compiler has
 * done real work (after the first cell), so the cache covers the functions that work compiled.
 * Failures (read-only home, full disk) are ignored.
 * @returns true when a cache file was written
 * @example
 * await session.run(code); saveTypeScriptCodeCache();
 */
export function saveTypeScriptCodeCache(): boolean {
  const l = loaded;
  if (!l || l.accepted) return false;
  l.accepted = true; // once per process
  try {
    const data = l.script.createCachedData();
    mkdirSync(dirname(l.cacheFile), { recursive: true });
    const tmp = `${l.cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, l.cacheFile);
    return true;
  } catch {
    return false;
  }
}
