/**
 * Papermill-style parameters: parsing `-p NAME=VALUE` and `--parameters FILE.json`, and injecting
 * a cell tagged `injected-parameters` that redeclares the values as TypeScript constants.
 *
 * @see https://papermill.readthedocs.io/en/latest/usage-parameterize.html
 */
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../util/errors.js';
import { nonFinitePath, parseJsonStrict } from '../util/json.js';
import { cellTags, codeCell, joinSource, type Notebook } from './nbformat.js';

/** Tag of the cell that holds a notebook's default parameters. */
export const PARAMETERS_TAG = 'parameters';
/** Tag of the cell the executor injects. */
export const INJECTED_TAG = 'injected-parameters';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
    'instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface ' +
    'package private protected public await'
  ).split(' '),
);

/** Result of {@link injectParameters}. */
export interface InjectionResult {
  /** Index of the injected cell in the notebook. */
  index: number;
  /** Warnings for the user (no parameters cell, names the parameters cell does not declare). */
  warnings: string[];
}

/** A Python literal for a JSON value (`true` → `True`, `null` → `None`; strings as JSON, which Python reads). */
function pythonLiteral(v: unknown): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (Array.isArray(v)) return `[${v.map(pythonLiteral).join(', ')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v as object)
      .map(([k, x]) => `${JSON.stringify(k)}: ${pythonLiteral(x)}`)
      .join(', ')}}`;
  if (typeof v === 'number' && !Number.isFinite(v)) return 'None';
  return JSON.stringify(v);
}

/**
 * Renders a value as a constant declaration in the kernel's language: TypeScript (the default;
 * the ptm-typescript kernel allows redeclaring `const`), or Python for Python kernels.
 * @param name a JavaScript identifier
 * @param value any JSON-serialisable value
 * @param language the kernel's language (default `typescript`)
 * @returns e.g. `const seed = 7;` (or `seed = 7` for Python)
 * @throws InputError when the name is not an identifier or the value cannot be written as JSON
 * @example
 * parameterLine('sweep', [0.1, 0.2]); // 'const sweep = [0.1,0.2];'
 */
export function parameterLine(name: string, value: unknown, language = 'typescript', type?: string): string {
  if (!IDENTIFIER.test(name) || RESERVED.has(name)) {
    throw new InputError(`parameter name "${name}" is not a valid TypeScript identifier`, {
      field: name,
      remedy: 'use letters, digits, _ or $, not starting with a digit',
    });
  }
  const bad = nonFinitePath(value);
  if (bad !== undefined)
    throw new InputError(`parameter "${name}" holds a number that is not finite (at ${bad})`, {
      field: name,
      remedy: 'give a finite number (NaN and Infinity cannot be written as literals)',
    });
  // U+2028/U+2029 are valid in JSON strings but end a line in older JavaScript grammars: escape them
  const literal =
    value === undefined
      ? undefined
      : JSON.stringify(value)
          ?.replace(/\u2028/g, '\\u2028')
          .replace(/\u2029/g, '\\u2029');
  if (literal === undefined) {
    throw new InputError(`parameter "${name}" has a value that cannot be written as a literal`, {
      field: name,
      remedy: 'use a JSON value: number, string, boolean, null, array or object',
    });
  }
  if (language === 'python') return `${name} = ${pythonLiteral(value)}`;
  return type ? `const ${name}: ${type} = ${literal};` : `const ${name} = ${literal};`;
}

/**
 * The names a parameters cell declares at top level (`const`/`let`/`var NAME`; Python: `NAME =`).
 * @param source the cell source
 * @param language the kernel's language (default `typescript`)
 * @example
 * declaredNames('const seed = 1;\nlet lang = "en";'); // ['seed', 'lang']
 */
export function declaredNames(source: string, language = 'typescript'): string[] {
  const names: string[] = [];
  const re =
    language === 'python'
      ? /^([A-Za-z_][A-Za-z0-9_]*)[ \t]*(?::[^=\n]*)?=(?!=)/gm
      : /^[ \t]*(?:export[ \t]+)?(?:const|let|var)[ \t]+([A-Za-z_$][A-Za-z0-9_$]*)/gm;
  for (let m = re.exec(source); m; m = re.exec(source)) names.push(m[1]!);
  return names;
}

/**
 * Injects parameters into a notebook in place, as papermill does: earlier `injected-parameters`
 * cells are removed; a new cell tagged `injected-parameters` goes right after the first cell tagged
 * `parameters`, or at the top (with a warning) when no cell is tagged.
 * @param nb the notebook (modified)
 * @param params name → value
 * @param language the kernel's language (default: the notebook's kernelspec language, else `typescript`)
 * @returns where the cell went and any warnings
 * @throws InputError for a name that is not an identifier or a value that is not JSON
 * @example
 * injectParameters(nb, { seed: 7, outDir: 'out' }); // cell: const seed = 7;\nconst outDir = "out";
 */
export function injectParameters(nb: Notebook, params: Record<string, unknown>, language?: string): InjectionResult {
  const lang = (language ?? nb.metadata.kernelspec?.language ?? nb.metadata.language_info?.name ?? 'typescript').toLowerCase();
  const warnings: string[] = [];
  nb.cells = nb.cells.filter((c) => !cellTags(c).includes(INJECTED_TAG));
  const p = nb.cells.findIndex((c) => cellTags(c).includes(PARAMETERS_TAG));
  const types = p >= 0 && lang !== 'python' ? declaredTypes(joinSource(nb.cells[p]!.source)) : new Map<string, string>();
  const lines = Object.entries(params).map(([k, v]) => parameterLine(k, v, lang, types.get(k)));
  if (p < 0) {
    warnings.push(`no cell is tagged "${PARAMETERS_TAG}": the parameters are injected at the top of the notebook`);
  } else {
    const declared = new Set(declaredNames(joinSource(nb.cells[p]!.source), lang));
    for (const k of Object.keys(params)) {
      if (!declared.has(k)) warnings.push(`parameter "${k}" is not declared in the "${PARAMETERS_TAG}" cell (cell ${p})`);
    }
  }
  const cell = codeCell([lang === 'python' ? '# Parameters' : '// Injected parameters', ...lines].join('\n'), [INJECTED_TAG]);
  const index = p + 1;
  nb.cells.splice(index, 0, cell);
  return { index, warnings };
}

/**
 * Type annotations of the TypeScript declarations in a parameters cell (`const lang: 'zh' | 'en' = 'zh';`
 * → `lang → 'zh' | 'en'`), so that an injected value keeps the declared type: without it,
 * `const lang = "en";` has the literal type `"en"` and a later `lang === 'zh'` does not compile.
 * Only annotations on the declaration's own line are read.
 * @example
 * declaredTypes("const lang: 'zh' | 'en' = 'zh';\nconst seed = 42;"); // Map { 'lang' => "'zh' | 'en'" }
 */
export function declaredTypes(source: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /^[ \t]*(?:export[ \t]+)?(?:const|let|var)[ \t]+([A-Za-z_$][A-Za-z0-9_$]*)[ \t]*:[ \t]*([^=\n]+?)[ \t]*=(?![=>])/gm;
  for (let m = re.exec(source); m; m = re.exec(source)) out.set(m[1]!, m[2]!);
  return out;
}

/**
 * Parses `-p NAME=VALUE` arguments: the value is JSON when it parses as JSON, else a string.
 * @param args the `NAME=VALUE` strings
 * @returns name → value (later arguments win)
 * @throws InputError for an argument without `=` or with a name that is not an identifier
 * @example
 * parseParameterArgs(['seed=7', 'lang=en', 'sweep=[0.1,0.2]']); // { seed: 7, lang: 'en', sweep: [0.1, 0.2] }
 */
export function parseParameterArgs(args: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of args) {
    const eq = a.indexOf('=');
    const name = eq < 0 ? a : a.slice(0, eq);
    if (eq < 0 || !IDENTIFIER.test(name) || RESERVED.has(name)) {
      throw new InputError(`malformed parameter "-p ${a}"`, {
        field: '-p',
        remedy: 'write -p NAME=VALUE with NAME a TypeScript identifier, e.g. -p seed=7 or -p casePath=examples/ct',
      });
    }
    const raw = a.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    out[name] = value;
  }
  return out;
}

/**
 * Reads a `--parameters FILE` file: a JSON object of name → value, or (`.yaml`/`.yml`, as papermill's
 * `-f`) a YAML mapping.
 * @param path the file
 * @returns name → value
 * @throws InputError when the file is missing, not JSON/YAML, not an object, or a name is not an identifier
 * @example
 * readParameterFile('params.yaml'); // { seed: 7, severities: [1, 3, 5] } from "seed: 7\nseverities: [1, 3, 5]"
 */
export function readParameterFile(path: string): Record<string, unknown> {
  if (!existsSync(path))
    throw new InputError(`parameters file ${path} does not exist`, { file: path, remedy: 'check the path given to --parameters' });
  let doc: unknown;
  const yaml = /\.ya?ml$/i.test(path);
  try {
    if (yaml) {
      doc = (require('js-yaml') as { load(s: string): unknown }).load(readFileSync(path, 'utf8'));
      const bad = nonFinitePath(doc);
      if (bad !== undefined) {
        throw new InputError(`a non-finite number (.inf or .nan) at ${bad || '/'}`, {
          file: path,
          field: bad || '/',
          remedy: 'give a finite number',
        });
      }
    } else doc = parseJsonStrict(readFileSync(path, 'utf8'), path);
  } catch (e) {
    // js-yaml's own parse errors are not ours: say which format failed
    const msg = yaml && !(e instanceof InputError) ? `not valid YAML: ${(e as Error).message}` : (e as Error).message;
    const kind = yaml ? 'YAML' : 'JSON';
    throw new InputError(`parameters file ${path} ${msg.startsWith(`not valid ${kind}`) ? 'is ' : ': '}${msg}`, {
      file: path,
      field: (e as InputError).field ?? '/',
      remedy: (e as InputError).remedy ?? (yaml ? 'write a YAML mapping of name: value' : 'write a JSON object of name → value'),
    });
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new InputError(`parameters file ${path} is not a JSON object`, {
      file: path,
      field: '/',
      remedy: 'write a JSON object of name → value, e.g. {"seed": 7}',
    });
  }
  for (const k of Object.keys(doc)) {
    if (!IDENTIFIER.test(k) || RESERVED.has(k)) {
      throw new InputError(`parameters file ${path}: "${k}" is not a valid TypeScript identifier`, {
        file: path,
        field: `/${k}`,
        remedy: 'use letters, digits, _ or $, not starting with a digit',
      });
    }
  }
  return doc as Record<string, unknown>;
}
