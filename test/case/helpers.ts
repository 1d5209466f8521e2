import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';

/** Absolute path of a bundled case. */
export function bundled(name: 'ct-body-segmentation' | 'breast-cancer-classifier'): string {
  return join(packageRoot(), 'examples', name);
}

/** Copies a bundled case into a fresh temp dir (inside `<tmp>/case`) and returns the case dir. */
export function copyCase(name: 'ct-body-segmentation' | 'breast-cancer-classifier'): string {
  const root = mkdtempSync(join(tmpdir(), 'ptmc-case-'));
  const dir = join(root, 'case');
  cpSync(bundled(name), dir, { recursive: true, filter: (src) => !src.includes('__pycache__') });
  return dir;
}

/** Reads, edits and writes back a JSON file. */
export function editJson(path: string, edit: (doc: any) => void): void {
  const doc = JSON.parse(readFileSync(path, 'utf8'));
  edit(doc);
  writeFileSync(path, JSON.stringify(doc, null, 2));
}
