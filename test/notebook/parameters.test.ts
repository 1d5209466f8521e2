import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/util/errors.js';
import { cellTags, codeCell, joinSource, markdownCell, newNotebook } from '../../src/notebook/nbformat.js';
import {
  declaredNames,
  declaredTypes,
  injectParameters,
  parameterLine,
  parseParameterArgs,
  readParameterFile,
} from '../../src/notebook/parameters.js';

function nbWithParams() {
  const nb = newNotebook();
  nb.cells = [markdownCell('# t'), codeCell("const seed = 1;\nlet lang = 'zh';", ['parameters']), codeCell('seed')];
  return nb;
}

describe('notebook/parameters', () => {
  it('renders TypeScript and Python literals', () => {
    assert.equal(parameterLine('seed', 7), 'const seed = 7;');
    assert.equal(parameterLine('path', 'a "b"\n'), 'const path = "a \\"b\\"\\n";');
    assert.equal(parameterLine('o', { a: [1, null, true] }), 'const o = {"a":[1,null,true]};');
    assert.equal(parameterLine('o', { a: [1, null, true] }, 'python'), 'o = {"a": [1, None, True]}');
    assert.throws(
      () => parameterLine('1x', 1),
      (e: unknown) => e instanceof InputError && e.message === 'parameter name "1x" is not a valid TypeScript identifier',
    );
    assert.throws(
      () => parameterLine('f', undefined),
      (e: unknown) => e instanceof InputError && e.message === 'parameter "f" has a value that cannot be written as a literal',
    );
  });

  it('finds the names a parameters cell declares', () => {
    assert.deepEqual(declaredNames("const seed = 1;\n  let lang = 'zh';\nexport var $x = 2;\n// const no = 1\nfoo(); const notTop = 1;"), [
      'seed',
      'lang',
      '$x',
    ]);
    assert.deepEqual(declaredNames('seed = 1\nlang: str = "zh"\nif a == 1: pass', 'python'), ['seed', 'lang']);
  });

  it('injects right after the parameters cell and warns about undeclared names', () => {
    const nb = nbWithParams();
    const r = injectParameters(nb, { seed: 7, extra: 'x' });
    assert.equal(r.index, 2);
    assert.deepEqual(r.warnings, ['parameter "extra" is not declared in the "parameters" cell (cell 1)']);
    assert.equal(nb.cells.length, 4);
    assert.deepEqual(cellTags(nb.cells[2]!), ['injected-parameters']);
    assert.equal(joinSource(nb.cells[2]!.source), '// Injected parameters\nconst seed = 7;\nconst extra = "x";');
    assert.equal(joinSource(nb.cells[1]!.source), "const seed = 1;\nlet lang = 'zh';", 'defaults are kept');
  });

  it('replaces an earlier injected cell', () => {
    const nb = nbWithParams();
    injectParameters(nb, { seed: 7 });
    const r = injectParameters(nb, { lang: 'en' });
    assert.deepEqual(r.warnings, []);
    assert.equal(nb.cells.filter((c) => cellTags(c).includes('injected-parameters')).length, 1);
    assert.equal(joinSource(nb.cells[2]!.source), '// Injected parameters\nconst lang = "en";');
    assert.equal(nb.cells.length, 4);
  });

  it('injects at the top with a warning when no cell is tagged parameters', () => {
    const nb = newNotebook();
    nb.cells = [codeCell('1')];
    const r = injectParameters(nb, { a: 1 });
    assert.equal(r.index, 0);
    assert.deepEqual(r.warnings, ['no cell is tagged "parameters": the parameters are injected at the top of the notebook']);
    assert.deepEqual(cellTags(nb.cells[0]!), ['injected-parameters']);
  });

  it('uses the notebook kernel language for Python notebooks', () => {
    const nb = newNotebook({ name: 'python3', display_name: 'Python 3', language: 'python' });
    nb.cells = [codeCell('seed = 1', ['parameters'])];
    assert.deepEqual(injectParameters(nb, { seed: false }).warnings, []);
    assert.equal(joinSource(nb.cells[1]!.source), '# Parameters\nseed = False');
  });

  it('parses -p values as JSON when they parse, else as strings', () => {
    assert.deepEqual(parseParameterArgs(['a=1', 'b=true', 'c=[1,2]', 'd=hello', 'e="quoted"', 'f=', 'g=x=y', 'a=2']), {
      a: 2,
      b: true,
      c: [1, 2],
      d: 'hello',
      e: 'quoted',
      f: '',
      g: 'x=y',
    });
    for (const bad of ['noequals', '=1', '9a=1', 'class=1']) {
      assert.throws(
        () => parseParameterArgs([bad]),
        (e: unknown) => e instanceof InputError && e.message === `malformed parameter "-p ${bad}"` && e.field === '-p',
      );
    }
  });

  it('reads a parameters file and rejects bad ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptmc-params-'));
    const ok = join(dir, 'p.json');
    writeFileSync(ok, '{"seed": 3, "lang": "en"}');
    assert.deepEqual(readParameterFile(ok), { seed: 3, lang: 'en' });
    const y = join(dir, 'p.yaml');
    writeFileSync(y, 'seed: 3\nlang: en\nseverities: [1, 3, 5]\nnested:\n  a: 0.5\n');
    assert.deepEqual(readParameterFile(y), { seed: 3, lang: 'en', severities: [1, 3, 5], nested: { a: 0.5 } });
    const ybad = join(dir, 'b.yml');
    writeFileSync(ybad, 'a: [1, 2\n');
    assert.throws(
      () => readParameterFile(ybad),
      (e: unknown) => e instanceof InputError && e.message.startsWith(`parameters file ${ybad} is not valid YAML: `),
    );
    const arr = join(dir, 'a.json');
    writeFileSync(arr, '[1]');
    assert.throws(
      () => readParameterFile(arr),
      (e: unknown) => e instanceof InputError && e.message === `parameters file ${arr} is not a JSON object`,
    );
    const bad = join(dir, 'b.json');
    writeFileSync(bad, '{nope');
    assert.throws(
      () => readParameterFile(bad),
      (e: unknown) => e instanceof InputError && e.message.startsWith(`parameters file ${bad} is not valid JSON: `),
    );
    const inf = join(dir, 'i.json');
    writeFileSync(inf, '{"noise": [0.1, 1e999]}');
    assert.throws(
      () => readParameterFile(inf),
      (e: unknown) => e instanceof InputError && e.field === '/noise/1' && /not finite/.test(e.message),
    );
    const bom = join(dir, 'bom.json');
    writeFileSync(bom, '\uFEFF{"seed": 3}');
    assert.throws(
      () => readParameterFile(bom),
      (e: unknown) => e instanceof InputError && /byte-order mark/.test(e.message),
    );
    assert.throws(
      () => readParameterFile(join(dir, 'missing.json')),
      (e: unknown) => e instanceof InputError && e.message === `parameters file ${join(dir, 'missing.json')} does not exist`,
    );
  });

  it('escapes U+2028/U+2029 in injected strings and refuses non-finite numbers', () => {
    assert.equal(parameterLine('s', 'a\u2028b\u2029c'), 'const s = "a\\u2028b\\u2029c";');
    assert.throws(
      () => parameterLine('x', Infinity),
      (e: unknown) => e instanceof InputError && e.field === 'x' && /not finite/.test(e.message),
    );
  });

  it('an injected value keeps the type annotated in the parameters cell', () => {
    assert.deepEqual(
      [...declaredTypes("const lang: 'zh' | 'en' = 'zh';\nconst seed = 42;\nconst f = (a: number) => a;").entries()],
      [['lang', "'zh' | 'en'"]],
    );
    const nb = newNotebook();
    nb.cells.push(codeCell("const lang: 'zh' | 'en' = 'zh';\nconst seed = 1;", ['parameters']));
    injectParameters(nb, { lang: 'en', seed: 3 });
    assert.equal(joinSource(nb.cells[1]!.source), `// Injected parameters\nconst lang: 'zh' | 'en' = "en";\nconst seed = 3;`);
  });
});
