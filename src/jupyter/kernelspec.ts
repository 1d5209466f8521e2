/**
 * Kernelspecs: the project's own (`ptm-typescript`) built from `kernel/kernel.template.json`, and
 * lookup of any installed kernelspec the way Jupyter finds them, so that `ptmc execute` can start a
 * kernel by name without Python.
 *
 * @see https://jupyter-client.readthedocs.io/en/stable/kernels.html#kernel-specs
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { InputError } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';

/** The name under which the project's kernel is installed and found. */
export const DEFAULT_KERNEL_NAME = 'ptm-typescript';

/** The display name of the project's kernel in Jupyter's launcher. */
export const DEFAULT_DISPLAY_NAME = 'TypeScript (ptm-conformity)';

/** A kernel.json document. */
export interface KernelSpec {
  /** Command line; `{connection_file}` is replaced by the connection file's path. */
  argv: string[];
  /** Name shown in Jupyter's launcher. */
  display_name: string;
  /** Language of the kernel. */
  language: string;
  /** `signal` (SIGINT) or `message` (interrupt_request on the control channel). */
  interrupt_mode?: 'signal' | 'message';
  /** Extra environment variables for the kernel process. */
  env?: Record<string, string>;
  /** Free-form metadata. */
  metadata?: Record<string, unknown>;
}

/** A kernelspec found on disk (or the package's built-in one). */
export interface FoundKernelSpec {
  /** Kernel name (the folder name). */
  name: string;
  /** Folder holding kernel.json (the package's `kernel/` folder for the built-in spec). */
  dir: string;
  /** The parsed kernel.json. */
  spec: KernelSpec;
}

/** Jupyter's rule for kernel names. */
export const KERNEL_NAME_PATTERN = /^[a-z0-9._-]+$/i;

/**
 * Absolute path of the compiled kernel launcher (`dist/src/kernel/launcher.js`).
 * @returns the path that kernel.json's argv runs with Node
 * @example
 * spawn(process.execPath, [launcherPath(), '--connection-file', file]);
 */
export function launcherPath(): string {
  return join(__dirname, '..', 'kernel', 'launcher.js');
}

/**
 * The project's kernelspec for this installation: `kernel/kernel.template.json` with `{node}`
 * replaced by this Node executable and `{launcher}` by {@link launcherPath}.
 * @param opts.displayName display name to use instead of "TypeScript (ptm-conformity)"
 * @returns the kernel.json document
 * @throws InputError when the template is missing or not valid JSON (a broken installation)
 * @example
 * kernelSpecJson().argv; // ['/usr/bin/node', '/…/dist/src/kernel/launcher.js', '--connection-file', '{connection_file}']
 */
export function kernelSpecJson(opts: { displayName?: string } = {}): KernelSpec {
  const file = join(packageRoot(), 'kernel', 'kernel.template.json');
  let template: KernelSpec;
  try {
    template = JSON.parse(readFileSync(file, 'utf8')) as KernelSpec;
  } catch (e) {
    throw new InputError(`cannot read the kernelspec template: ${(e as Error).message}`, {
      file,
      remedy: 'reinstall ptm-conformity (the package ships kernel/kernel.template.json)',
    });
  }
  const subst: Record<string, string> = { '{node}': process.execPath, '{launcher}': launcherPath() };
  const spec: KernelSpec = { ...template, argv: template.argv.map((a) => subst[a] ?? a) };
  if (opts.displayName !== undefined) spec.display_name = opts.displayName;
  if (spec.env && Object.keys(spec.env).length === 0) delete spec.env;
  return spec;
}

/**
 * The folders that hold `kernels/<name>/kernel.json`, in Jupyter's order of precedence:
 * `$JUPYTER_PATH` entries, the user data dir (`$JUPYTER_DATA_DIR` or `~/.local/share/jupyter`),
 * `/usr/local/share/jupyter`, `/usr/share/jupyter`.
 * @param env the environment to read (default `process.env`)
 * @returns absolute `…/kernels` folders (existing or not), without duplicates
 * @example
 * kernelSearchPath(); // ['/home/me/.local/share/jupyter/kernels', '/usr/local/share/jupyter/kernels', …]
 */
export function kernelSearchPath(env: NodeJS.ProcessEnv = process.env): string[] {
  const data: string[] = [];
  for (const p of (env.JUPYTER_PATH ?? '').split(delimiter)) if (p) data.push(resolve(p));
  data.push(env.JUPYTER_DATA_DIR ? resolve(env.JUPYTER_DATA_DIR) : join(homedir(), '.local', 'share', 'jupyter'));
  data.push('/usr/local/share/jupyter', '/usr/share/jupyter');
  return [...new Set(data.map((d) => join(d, 'kernels')))];
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Reads and checks `DIR/kernel.json`.
 * @param dir the kernelspec folder
 * @returns the parsed kernelspec
 * @throws InputError naming the file and the field when it is not valid JSON or lacks `argv`,
 *   `display_name` or `language`
 * @example
 * readKernelSpec('/usr/share/jupyter/kernels/python3').argv[0]; // 'python3'
 */
export function readKernelSpec(dir: string): KernelSpec {
  const file = join(dir, 'kernel.json');
  let spec: unknown;
  try {
    spec = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`cannot read kernelspec: ${(e as Error).message}`, {
      file,
      remedy: 'fix or remove the file, or reinstall the kernel (ptmc kernel install)',
    });
  }
  const s = spec as Partial<KernelSpec> | null;
  const fail = (field: string, what: string): never => {
    throw new InputError(`kernelspec ${what}`, { file, field, remedy: 'reinstall the kernel (e.g. ptmc kernel install)' });
  };
  if (s === null || typeof s !== 'object' || Array.isArray(s)) return fail('/', 'is not a JSON object');
  if (!Array.isArray(s.argv) || s.argv.length === 0 || !s.argv.every((a) => typeof a === 'string')) {
    fail('/argv', 'argv must be a non-empty array of strings');
  }
  if (typeof s.display_name !== 'string') fail('/display_name', 'display_name must be a string');
  if (typeof s.language !== 'string') fail('/language', 'language must be a string');
  if (s.interrupt_mode !== undefined && s.interrupt_mode !== 'signal' && s.interrupt_mode !== 'message') {
    fail('/interrupt_mode', 'interrupt_mode must be "signal" or "message"');
  }
  return s as KernelSpec;
}

/**
 * Every installed kernelspec (the first of each name along {@link kernelSearchPath}), plus the
 * package's built-in `ptm-typescript` when it is not installed. Unreadable specs are skipped.
 * @param env the environment to read (default `process.env`)
 * @returns kernelspecs sorted by name
 * @example
 * listKernelSpecs().map((k) => k.name); // ['ptm-typescript', 'python3']
 */
export function listKernelSpecs(env: NodeJS.ProcessEnv = process.env): FoundKernelSpec[] {
  const found = new Map<string, FoundKernelSpec>();
  for (const kdir of kernelSearchPath(env)) {
    if (!isDir(kdir)) continue;
    for (const name of readdirSync(kdir).sort()) {
      const key = name.toLowerCase();
      const dir = join(kdir, name);
      if (found.has(key) || !existsSync(join(dir, 'kernel.json'))) continue;
      try {
        found.set(key, { name, dir, spec: readKernelSpec(dir) });
      } catch {
        // an unreadable spec elsewhere must not break listing; findKernelSpec reports it by name
      }
    }
  }
  if (!found.has(DEFAULT_KERNEL_NAME)) found.set(DEFAULT_KERNEL_NAME, builtinKernelSpec());
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The package's own kernelspec, usable without `ptmc kernel install`.
 * @returns `{ name: 'ptm-typescript', dir: <package>/kernel, spec }`
 * @example
 * builtinKernelSpec().spec.language; // 'typescript'
 */
export function builtinKernelSpec(): FoundKernelSpec {
  return { name: DEFAULT_KERNEL_NAME, dir: join(packageRoot(), 'kernel'), spec: kernelSpecJson() };
}

/**
 * Finds a kernelspec by name as Jupyter does (case-insensitive), falling back to the package's
 * built-in spec for `ptm-typescript`.
 * @param name kernel name (default `ptm-typescript`)
 * @param env the environment to read (default `process.env`)
 * @returns the kernelspec and its folder
 * @throws InputError (exit 2) when no kernel has that name (the message lists the kernels found),
 *   or when its kernel.json is invalid
 * @example
 * const { spec } = findKernelSpec();
 * const argv = spec.argv.map((a) => a.replace('{connection_file}', connFile));
 */
export function findKernelSpec(name: string = DEFAULT_KERNEL_NAME, env: NodeJS.ProcessEnv = process.env): FoundKernelSpec {
  if (!KERNEL_NAME_PATTERN.test(name)) {
    throw new InputError(`invalid kernel name "${name}"`, {
      field: 'kernel',
      remedy: 'kernel names use letters, digits, ".", "_" and "-" only',
    });
  }
  for (const kdir of kernelSearchPath(env)) {
    if (!isDir(kdir)) continue;
    const entry = readdirSync(kdir).find((n) => n.toLowerCase() === name.toLowerCase());
    if (entry && existsSync(join(kdir, entry, 'kernel.json'))) {
      return { name: entry, dir: join(kdir, entry), spec: readKernelSpec(join(kdir, entry)) };
    }
  }
  if (name.toLowerCase() === DEFAULT_KERNEL_NAME) return builtinKernelSpec();
  const names = listKernelSpecs(env).map((k) => k.name);
  throw new InputError(`no kernel named "${name}"; kernels found: ${names.join(', ')}`, {
    field: 'kernel',
    remedy: `use one of: ${names.join(', ')} (or install it, e.g. ptmc kernel install --name ${name})`,
  });
}
