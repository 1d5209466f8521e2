import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, SchemaError } from '../../src/util/errors.js';
import {
  codeCell,
  markdownCell,
  newNotebook,
  parseNotebook,
  readNotebook,
  serializeNotebook,
  writeNotebook,
} from '../../src/notebook/nbformat.js';
import { validateNotebook } from '../../src/notebook/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'ptmc-nbformat-'));
const PY = '/usr/bin/python3';
const hasNbformat = (() => {
  try {
    execFileSync(PY, ['-c', 'import nbformat'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('notebook/nbformat', () => {
  it('reads with clear errors: missing, not JSON, not a notebook, nbformat < 4, bad cell type', () => {
    const missing = join(dir, 'missing.ipynb');
    assert.throws(
      () => readNotebook(missing),
      (e: unknown) => e instanceof InputError && e.message === `notebook ${missing} does not exist` && e.exitCode === 2,
    );
    const notJson = write('bad.ipynb', '{"cells": [');
    assert.throws(
      () => readNotebook(notJson),
      (e: unknown) => e instanceof InputError && e.message.startsWith(`${notJson} is not valid JSON: `) && e.file === notJson,
    );
    const v3 = write('v3.ipynb', JSON.stringify({ nbformat: 3, nbformat_minor: 0, worksheets: [], metadata: {} }));
    assert.throws(
      () => readNotebook(v3),
      (e: unknown) =>
        e instanceof InputError &&
        e.message === `${v3} is nbformat 3; nbformat 4 is required` &&
        e.field === '/nbformat' &&
        e.remedy === `convert it first: jupyter nbconvert --to notebook --nbformat 4 ${v3}`,
    );
    const arr = write('arr.ipynb', '[]');
    assert.throws(
      () => readNotebook(arr),
      (e: unknown) => e instanceof InputError && e.message === `${arr} is not a notebook: the top level is not a JSON object`,
    );
    const noNb = write('nonb.ipynb', '{"cells": []}');
    assert.throws(
      () => readNotebook(noNb),
      (e: unknown) => e instanceof InputError && e.message === `${noNb} is not a notebook: "nbformat" is missing`,
    );
    const badCell = write(
      'cell.ipynb',
      JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'heading' }] }),
    );
    assert.throws(
      () => readNotebook(badCell),
      (e: unknown) =>
        e instanceof InputError && e.message === `${badCell}: cell 0 has cell_type "heading"` && e.field === '/cells/0/cell_type',
    );
  });

  it('upgrades 4.0–4.4 notebooks to 4.5: ids added, malformed and duplicate ids replaced', () => {
    const nb = parseNotebook(
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 2,
        metadata: {},
        cells: [
          { cell_type: 'markdown', metadata: {}, source: 'a' },
          { cell_type: 'code', metadata: {}, source: 'b', outputs: [], execution_count: null, id: 'keep-me' },
          { cell_type: 'code', metadata: {}, source: 'c', id: 'keep-me' },
          { cell_type: 'raw', metadata: {}, source: 'd', id: 'bad id!' },
        ],
      }),
    );
    assert.equal(nb.nbformat_minor, 5);
    const ids = nb.cells.map((c) => c.id);
    assert.equal(ids[1], 'keep-me');
    assert.equal(new Set(ids).size, 4);
    for (const id of ids) assert.match(id, /^[a-zA-Z0-9-_]{1,64}$/);
    assert.deepEqual(nb.cells[2], { cell_type: 'code', metadata: {}, source: 'c', id: ids[2], outputs: [], execution_count: null });
    assert.deepEqual(validateNotebook(nb), []);
  });

  it('validates against the official 4.5 schema and reports every violation', () => {
    const nb = newNotebook();
    nb.cells.push(codeCell('1'), markdownCell('x'));
    assert.deepEqual(validateNotebook(nb), []);
    const bad = JSON.parse(JSON.stringify(nb)) as { cells: Record<string, unknown>[] };
    bad.cells[0]!.id = 'has space';
    delete bad.cells[1]!.id;
    bad.cells.push({ ...bad.cells[0]!, id: nb.cells[0]!.id });
    bad.cells.push({ ...bad.cells[0]!, id: nb.cells[0]!.id });
    const v = validateNotebook(bad);
    assert.ok(
      v.some((x) => x.path === '/cells/0/id' && x.message === 'must match pattern "^[a-zA-Z0-9-_]+$"'),
      JSON.stringify(v),
    );
    assert.ok(
      v.some((x) => x.path === '/cells/1' && x.message === 'misses required property "id"'),
      JSON.stringify(v),
    );
    assert.ok(
      v.some((x) => x.path === '/cells/3/id' && x.message === `duplicates the id of cell 2 ("${nb.cells[0]!.id}")`),
      JSON.stringify(v),
    );
    assert.deepEqual(
      validateNotebook({ nbformat: 4 })
        .map((x) => x.message)
        .sort(),
      ['misses required property "cells"', 'misses required property "metadata"', 'misses required property "nbformat_minor"'],
    );
  });

  it('writes atomically as Jupyter does and refuses an invalid notebook (nothing written)', () => {
    const nb = newNotebook();
    const c = codeCell('console.log(1)\nx');
    c.outputs.push({ output_type: 'stream', name: 'stdout', text: 'a\nb\n' });
    c.outputs.push({ output_type: 'display_data', data: { 'text/html': '<b>\n</b>', 'application/json': { z: 1, a: 2 } }, metadata: {} });
    c.execution_count = 1;
    nb.cells.push(c);
    const out = join(dir, 'sub', 'w.ipynb');
    writeNotebook(out, nb);
    const text = readFileSync(out, 'utf8');
    assert.equal(text, serializeNotebook(nb));
    const doc = JSON.parse(text);
    assert.deepEqual(doc.cells[0].source, ['console.log(1)\n', 'x']);
    assert.deepEqual(doc.cells[0].outputs[0].text, ['a\n', 'b\n']);
    assert.deepEqual(doc.cells[0].outputs[1].data['text/html'], ['<b>\n', '</b>']);
    assert.deepEqual(Object.keys(doc.cells[0].outputs[1].data['application/json']), ['a', 'z']);
    assert.ok(text.startsWith('{\n "cells": [\n'));
    // a large JSON MIME value goes on one line (same value), small ones are indented as Jupyter does
    const big = { data: [{ z: Array.from({ length: 600 }, (_, i) => i / 7) }], layout: {} };
    c.outputs.push({ output_type: 'display_data', data: { 'application/vnd.plotly.v1+json': big, 'text/plain': 'fig' }, metadata: {} });
    const t2 = serializeNotebook(nb);
    assert.ok(t2.includes(`"application/vnd.plotly.v1+json": ${JSON.stringify(big)},\n`));
    assert.ok(t2.includes('"application/json": {\n'));
    assert.deepEqual(JSON.parse(t2).cells[0].outputs[2].data['application/vnd.plotly.v1+json'], big);
    c.outputs.pop();
    assert.deepEqual(readNotebook(out), parseNotebook(text));
    const bad = newNotebook();
    (bad as unknown as { nbformat_minor: string }).nbformat_minor = 'five';
    const badOut = join(dir, 'never.ipynb');
    assert.throws(
      () => writeNotebook(badOut, bad),
      (e: unknown) =>
        e instanceof SchemaError &&
        e.message === `${badOut} is not a valid nbformat 4.5 notebook: /nbformat_minor must be integer` &&
        e.field === '/nbformat_minor',
    );
    assert.equal(existsSync(badOut), false);
  });

  (hasNbformat ? it : it.skip)("written notebooks pass Jupyter's own nbformat.validate", function () {
    this.timeout(20000);
    const nb = newNotebook();
    const c = codeCell('1', ['parameters']);
    c.outputs.push({ output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '1' }, metadata: {} });
    c.outputs.push({ output_type: 'error', ename: 'E', evalue: 'v', traceback: ['E: v'] });
    c.metadata.execution = { 'iopub.status.busy': new Date().toISOString() };
    nb.cells.push(markdownCell('# t'), c);
    const out = join(dir, 'py.ipynb');
    writeNotebook(out, nb);
    const r = execFileSync(
      PY,
      ['-c', 'import nbformat,sys; nb=nbformat.read(sys.argv[1], 4); nbformat.validate(nb); print(nb.nbformat_minor, len(nb.cells))', out],
      { encoding: 'utf8' },
    );
    assert.equal(r.trim(), '5 2');
  });
});
