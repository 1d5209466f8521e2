import { createHash } from 'node:crypto';
import { createReadStream, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** One hashed file: its path (POSIX, relative to a root), SHA-256 (hex) and size in bytes. */
export interface FileEntry {
  path: string;
  sha256: string;
  bytes: number;
}

/**
 * SHA-256 of a file, streamed (large models do not need to fit in memory).
 * @param path file to hash
 * @returns the digest (64 lower-case hex digits) and the number of bytes read
 * @throws the fs error when the file cannot be read
 * @example
 * const { sha256, bytes } = await hashFile('model.onnx');
 */
export function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    let bytes = 0;
    const s = createReadStream(path);
    s.on('data', (chunk) => {
      bytes += chunk.length;
      h.update(chunk);
    });
    s.on('error', reject);
    s.on('end', () => resolve({ sha256: h.digest('hex'), bytes }));
  });
}

/** SHA-256 (hex) of a string or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Every regular file under `root`, as sorted POSIX paths relative to `root`. Symbolic links are
 * listed too (so that verification notices them) but never followed.
 * @param root folder to walk
 * @param exclude relative paths to leave out (e.g. `manifest.json`)
 * @example
 * listFiles('evidence/run1', new Set(['manifest.json'])); // ['figures/6.3.6-severity.svg', …]
 */
export function listFiles(root: string, exclude: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const abs = join(dir, name);
      const st = lstatSync(abs);
      if (st.isDirectory()) walk(abs);
      else {
        const rel = relative(root, abs).split(sep).join('/');
        if (!exclude.has(rel)) out.push(rel);
      }
    }
  };
  walk(root);
  return out.sort(compareStrings);
}

/** Code-point order (locale-independent, so manifests are identical everywhere). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Hashes files given relative to `root`. A symbolic link is never followed: its entry hashes the
 * text `symlink:<target>` (size 0), so a link pointing out of the bundle is recorded, not read.
 * @param root base folder
 * @param paths POSIX paths relative to `root`
 * @returns one entry per path, in the order given
 */
export async function hashFiles(root: string, paths: readonly string[]): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  for (const p of paths) {
    const abs = join(root, ...p.split('/'));
    if (lstatSync(abs).isSymbolicLink()) {
      out.push({ path: p, sha256: sha256Hex(`symlink:${readlinkSync(abs)}`), bytes: 0 });
      continue;
    }
    const { sha256, bytes } = await hashFile(abs);
    out.push({ path: p, sha256, bytes });
  }
  return out;
}
