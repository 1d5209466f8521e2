/**
 * `ptmc kernel install`: writes the kernelspec (kernel.json and logos) where Jupyter looks, without
 * Python — the same layout as `jupyter kernelspec install [--user | --prefix DIR]`.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';
import { DEFAULT_KERNEL_NAME, KERNEL_NAME_PATTERN, kernelSpecJson, type KernelSpec } from '../jupyter/kernelspec.js';

/** Options of {@link installKernelSpec}. */
export interface InstallOptions {
  /** Install under `PREFIX/share/jupyter/kernels/<name>/` instead of the user's folder. */
  prefix?: string;
  /** Kernel name (folder name); default `ptm-typescript`. */
  name?: string;
  /** Display name; default "TypeScript (ptm-conformity)". */
  displayName?: string;
  /** Environment used to find the user's data folder (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/** What {@link installKernelSpec} wrote. */
export interface InstallResult {
  /** Kernel name. */
  name: string;
  /** Folder written. */
  dir: string;
  /** The kernel.json written. */
  spec: KernelSpec;
}

/** The logo files copied from the package's `kernel/` folder. */
export const LOGO_FILES = ['logo-32x32.png', 'logo-64x64.png'] as const;

/**
 * The kernels folder an install writes to: `PREFIX/share/jupyter/kernels` with a prefix, else the
 * user's Jupyter data folder (`$JUPYTER_DATA_DIR` or `~/.local/share/jupyter`) + `/kernels`.
 * @param opts the prefix and environment
 * @returns the absolute kernels folder
 * @example
 * kernelsInstallDir({ prefix: '/opt/venv' }); // '/opt/venv/share/jupyter/kernels'
 */
export function kernelsInstallDir(opts: { prefix?: string; env?: NodeJS.ProcessEnv } = {}): string {
  if (opts.prefix !== undefined) return join(resolve(opts.prefix), 'share', 'jupyter', 'kernels');
  const env = opts.env ?? process.env;
  return join(env.JUPYTER_DATA_DIR ? resolve(env.JUPYTER_DATA_DIR) : join(homedir(), '.local', 'share', 'jupyter'), 'kernels');
}

/**
 * Installs the kernelspec: `kernel.json` (argv = this Node, this package's launcher) and the logos.
 * An existing kernelspec of the same name is replaced as a whole; the new folder is assembled
 * beside it and renamed into place, so a failure leaves no half-written kernelspec.
 * @param opts prefix, name and display name
 * @returns the name, folder and kernel.json written
 * @throws InputError when the name is not a valid kernel name, the display name is empty, or the
 *   folder cannot be written (the message names it)
 * @example
 * installKernelSpec({ prefix: '/tmp/jp' }).dir; // '/tmp/jp/share/jupyter/kernels/ptm-typescript'
 */
export function installKernelSpec(opts: InstallOptions = {}): InstallResult {
  const name = opts.name ?? DEFAULT_KERNEL_NAME;
  if (!KERNEL_NAME_PATTERN.test(name)) {
    throw new InputError(`invalid kernel name "${name}"`, { field: '--name', remedy: 'use letters, digits, ".", "_" and "-" only' });
  }
  if (opts.displayName !== undefined && opts.displayName.trim() === '') {
    throw new InputError('empty display name', {
      field: '--display-name',
      remedy: 'give a non-empty name, e.g. "TypeScript (ptm-conformity)"',
    });
  }
  const spec = kernelSpecJson({ displayName: opts.displayName });
  const dir = join(kernelsInstallDir(opts), name);
  const srcDir = join(packageRoot(), 'kernel');
  let tmp: string | undefined;
  try {
    mkdirSync(dirname(dir), { recursive: true });
    tmp = mkdtempSync(join(dirname(dir), `.${name}-`));
    writeFileSync(join(tmp, 'kernel.json'), JSON.stringify(spec, null, 2) + '\n');
    for (const logo of LOGO_FILES) {
      if (existsSync(join(srcDir, logo))) copyFileSync(join(srcDir, logo), join(tmp, logo));
    }
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    tmp = undefined;
  } catch (e) {
    throw new InputError(`cannot write the kernelspec: ${(e as Error).message}`, {
      file: dir,
      remedy: 'choose a writable place with --prefix DIR, or check the folder permissions',
      cause: e,
    });
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
  return { name, dir, spec };
}
