import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../util/errors.js';

const cache = new Map<string, Promise<string>>();

/**
 * SHA-256 of a file (lower-case hex), streamed so large models never sit in memory whole.
 * Computed once per file version: the result is cached by resolved path, mtime and size, so a
 * changed file is hashed again.
 * @param path file to hash
 * @returns the hex digest
 * @throws InputError when the file does not exist or cannot be read
 * @example
 * await sha256File('examples/ct-body-segmentation/model.onnx'); // 'e3b0c442…'
 */
export async function sha256File(path: string): Promise<string> {
  const abs = resolve(path);
  let st;
  try {
    st = await fsp.stat(abs);
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${(e as Error).message}`, {
      file: path,
      remedy: 'check the path to the model file',
      cause: e,
    });
  }
  if (!st.isFile()) {
    throw new InputError(`${path} is not a file`, { file: path, remedy: 'give the path of a file' });
  }
  const key = `${abs}\u0000${st.mtimeMs}\u0000${st.size}`;
  let p = cache.get(key);
  if (!p) {
    p = new Promise<string>((res, rej) => {
      const h = createHash('sha256');
      createReadStream(abs)
        .on('data', (c) => h.update(c))
        .on('error', (e) => rej(new InputError(`cannot read ${path}: ${e.message}`, { file: path, cause: e })))
        .on('end', () => res(h.digest('hex')));
    });
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}
