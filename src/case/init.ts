import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';

/** The skeleton files `initCase` writes: target name → template in `templates/`. */
export const CASE_SKELETON: Readonly<Record<string, string>> = {
  'case.json': 'case.template.json',
  'description.json': 'description.template.json',
  'claims.json': 'claims.template.json',
};

/**
 * Creates a case skeleton a provider fills in: `case.json`, `description.json` and `claims.json`
 * copied from `templates/*.template.json` (every `TODO` is a placeholder the 6.2 check counts as
 * missing). The directory is created when absent and must be empty when present.
 * @param dir the new case directory
 * @returns the absolute paths written
 * @throws {InputError} when `dir` exists and is not an empty directory
 * @example
 * initCase('cases/my-model'); // ['…/case.json', '…/description.json', '…/claims.json']
 */
export function initCase(dir: string): string[] {
  const abs = resolve(dir);
  if (existsSync(abs)) {
    if (!statSync(abs).isDirectory())
      throw new InputError(`${dir} exists and is not a directory / 已存在且不是目录`, { file: dir, remedy: 'choose a new directory name' });
    const entries = readdirSync(abs);
    if (entries.length)
      throw new InputError(`${dir} is not empty (${entries.slice(0, 5).join(', ')}${entries.length > 5 ? ', …' : ''}) / 目录非空`, {
        file: dir,
        remedy: 'give a new or empty directory; nothing was written',
      });
  }
  mkdirSync(abs, { recursive: true });
  const out: string[] = [];
  for (const [name, tpl] of Object.entries(CASE_SKELETON)) {
    const to = join(abs, name);
    copyFileSync(join(packageRoot(), 'templates', tpl), to);
    out.push(to);
  }
  return out;
}
