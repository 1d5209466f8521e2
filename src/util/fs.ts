import * as fs from 'node:fs';
import { dirname } from 'node:path';

/**
 * The file-system calls {@link writeFileAtomic} uses; tests replace them to simulate a full disk
 * or a read-only file system (`atomicFs.writeFileSync = () => { throw enospc }`).
 */
export const atomicFs: { writeFileSync: typeof fs.writeFileSync; renameSync: typeof fs.renameSync } = {
  writeFileSync: fs.writeFileSync,
  renameSync: fs.renameSync,
};

/**
 * Writes `path` atomically: a temp file beside it, then a rename, so a reader never sees half a
 * file. On any failure (ENOSPC, EACCES, EROFS, EISDIR…) the temp file is removed and the error is
 * rethrown with `path` set to the destination (the CLI turns it into "cannot write FILE: reason — fix").
 * @param path destination
 * @param data file content
 * @throws the fs error (`code`, `path` = destination)
 * @example
 * writeFileAtomic('evidence/run1/summary.json', JSON.stringify(summary));
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.mkdirSync(dirname(path), { recursive: true });
    atomicFs.writeFileSync(tmp, data);
    atomicFs.renameSync(tmp, path);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* the temp file could not be created in the first place */
    }
    const err = e as NodeJS.ErrnoException;
    if (err && typeof err === 'object' && typeof err.code === 'string') err.path = path;
    throw e;
  }
}
