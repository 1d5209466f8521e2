import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from '../util/errors.js';

/**
 * Resolves a path a case file names, relative to the case directory, and checks that it stays
 * inside the directory: absolute paths, drive letters, backslashes and `..` segments that escape
 * are refused, and so is a symbolic link that leads outside.
 *
 * @param caseDir absolute case directory
 * @param rel the path as written in the case file
 * @param file the file that names it (for the message)
 * @param field JSON path of the field that holds it, e.g. `/datasets/test/manifest`
 * @returns the absolute path
 * @throws {InputError} when the path is absolute or leaves the case directory
 * @example
 * confinedPath('/cases/ct', 'data/test/manifest.csv', '/cases/ct/case.json', '/datasets/test/manifest');
 */
export function confinedPath(caseDir: string, rel: string, file: string, field: string): string {
  const remedy =
    'name the file relative to the case directory, with "/" separators, and keep it inside the case directory (copy it in if needed)';
  if (typeof rel !== 'string' || rel.length === 0) throw new InputError('empty path', { file, field, remedy });
  if (isAbsolute(rel) || /^[A-Za-z]:/.test(rel) || rel.includes('\\'))
    throw new InputError(`path "${rel}" is absolute; case paths must be relative to the case directory / 路径必须相对于案例目录`, {
      file,
      field,
      remedy,
    });
  const abs = resolve(caseDir, rel);
  const inside = (p: string, root: string) => {
    const r = relative(root, p);
    return r === '' || (!r.startsWith('..' + sep) && r !== '..' && !isAbsolute(r));
  };
  if (!inside(abs, caseDir) || rel.split('/').includes('..'))
    throw new InputError(`path "${rel}" escapes the case directory / 路径越出案例目录`, { file, field, remedy });
  if (existsSync(abs)) {
    const real = realpathSync(abs);
    if (!inside(real, realpathSync(caseDir)))
      throw new InputError(`path "${rel}" leads outside the case directory through a symbolic link / 路径经符号链接越出案例目录`, {
        file,
        field,
        remedy,
      });
  }
  return abs;
}

/**
 * Checks that a confined path names an existing regular file.
 * @param abs absolute path from {@link confinedPath}
 * @param rel the path as written (for the message)
 * @param file the file that names it
 * @param field JSON path of the field
 * @throws {InputError} when the file is missing or is not a regular file
 */
export function requireFile(abs: string, rel: string, file: string, field: string): void {
  if (!existsSync(abs))
    throw new InputError(`file "${rel}" not found / 文件不存在`, {
      file,
      field,
      remedy: `add ${rel} to the case directory or correct ${field}`,
    });
  if (!statSync(abs).isFile())
    throw new InputError(`"${rel}" is not a regular file / 不是普通文件`, { file, field, remedy: `point ${field} at a file` });
}
