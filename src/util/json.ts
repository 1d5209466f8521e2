import { InputError } from './errors.js';

/**
 * The JSON Pointer of the first number in `value` that is not finite (`1e999` parses as
 * Infinity), or undefined when every number is finite.
 * @example
 * nonFinitePath(JSON.parse('{"claims":[{"value":1e999}]}')); // '/claims/0/value'
 */
export function nonFinitePath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path || '/';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = nonFinitePath(value[i], `${path}/${i}`);
      if (p) return p;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = nonFinitePath(v, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      if (p) return p;
    }
  }
  return undefined;
}

/**
 * Parses JSON text from a file given by the user: refuses a byte-order mark (with its own
 * message) and numbers that overflow to ±Infinity, naming the file and JSON path.
 * @param text the file's text
 * @param file the file (for the message)
 * @throws {InputError} a BOM, invalid JSON, a non-finite number
 * @example
 * parseJsonStrict('{"a": 1}', 'x.json'); // { a: 1 }
 */
export function parseJsonStrict(text: string, file: string): unknown {
  if (text.charCodeAt(0) === 0xfeff)
    throw new InputError('the file begins with a UTF-8 byte-order mark (BOM) / 文件以 BOM 开头', {
      file,
      field: '/',
      remedy: 'save the file as UTF-8 without BOM (e.g. `sed -i "1s/^\\xEF\\xBB\\xBF//" FILE`)',
    });
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON: ${(e as Error).message} / 不是有效的 JSON`, {
      file,
      field: '/',
      remedy: 'fix the JSON syntax (a validator or `node -e "JSON.parse(...)"` shows the position)',
      cause: e,
    });
  }
  const bad = nonFinitePath(v);
  if (bad)
    throw new InputError(`a number at ${bad} is not finite (e.g. 1e999 overflows to Infinity) / 数值不是有限数`, {
      file,
      field: bad,
      remedy: 'write a finite number',
    });
  return v;
}
