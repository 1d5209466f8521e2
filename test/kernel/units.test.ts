import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/util/errors.js';
import { filterTypeRootListing } from '../../src/kernel/auto-types.js';
import { endpoint, readConnectionFile } from '../../src/jupyter/connection.js';
import { parseLauncherArgs } from '../../src/kernel/launcher.js';
import { codePointToOffset, offsetToCodePoint, kernelInfoContent, isCompleteContent, resultData } from '../../src/kernel/replies.js';
import {
  clearOutput,
  inKernel,
  installKernelHook,
  MIME_BUNDLE_KEY,
  publishDisplayData,
  type DisplayContent,
} from '../../src/kernel/runtime.js';
import { errorFields, INTERRUPT_ENAME } from '../../src/kernel/cell-session.js';

describe('kernel/runtime (display channel)', () => {
  afterEach(() => installKernelHook(undefined));

  it('does nothing and returns false outside the kernel', () => {
    assert.equal(inKernel(), false);
    assert.equal(publishDisplayData({ 'text/plain': 'x' }), false);
    assert.equal(clearOutput(), false);
  });

  it('forwards to the process-global hook (found by Symbol.for, so any copy of the package sees it)', () => {
    const seen: [string, unknown][] = [];
    installKernelHook({
      version: 1,
      display: (c: DisplayContent, u: boolean) => seen.push([u ? 'update' : 'display', c]),
      clear: (w) => seen.push(['clear', w]),
    });
    assert.ok((globalThis as Record<symbol, unknown>)[Symbol.for('ptm-conformity.kernel')]);
    assert.equal(inKernel(), true);
    assert.equal(publishDisplayData({ 'text/html': '<b>a</b>' }, { m: 1 }, { display_id: 'd' }), true);
    assert.equal(publishDisplayData({ 'text/plain': 'b' }, undefined, { display_id: 'd' }, true), true);
    assert.equal(clearOutput(true), true);
    assert.deepEqual(seen, [
      ['display', { data: { 'text/html': '<b>a</b>' }, metadata: { m: 1 }, transient: { display_id: 'd' } }],
      ['update', { data: { 'text/plain': 'b' }, metadata: {}, transient: { display_id: 'd' } }],
      ['clear', true],
    ]);
  });

  it('rejects a non-object bundle and an update without a display id', () => {
    assert.throws(() => publishDisplayData('x' as never), TypeError);
    assert.throws(() => publishDisplayData({ 'text/plain': 'x' }, {}, {}, true), TypeError);
  });
});

describe('kernel/session errorFields and resultData', () => {
  it('maps an Error to ename, evalue and a traceback without kernel frames', () => {
    const e = new RangeError('too big');
    e.stack =
      'RangeError: too big\n    at evalmachine.<anonymous>:3:9\n    at Object.execute ' +
      '(/x/node_modules/tslab/dist/executor.js:1:1)\n    at node:internal/process/task_queues:95:5';
    assert.deepEqual(errorFields(e), { ename: 'RangeError', evalue: 'too big', traceback: ['RangeError: too big', '    at <cell>'] });
  });

  it('uses describe() of project errors and handles non-Error throws and interrupts', () => {
    const f = errorFields(new InputError('bad', { file: 'a.json', remedy: 'fix it' }));
    assert.equal(f.ename, 'InputError');
    assert.equal(f.evalue, 'bad');
    assert.deepEqual(f.traceback.slice(0, 3), ['InputError: bad', '  in: a.json', '  fix: fix it']);
    assert.deepEqual(errorFields('boom'), {
      ename: 'Error',
      evalue: "'boom' (a non-Error value was thrown)",
      traceback: ["Uncaught 'boom'"],
    });
    assert.equal(errorFields(new Error('x'), true).ename, INTERRUPT_ENAME);
  });

  it('shows values with util.inspect, and rich bundles through MIME_BUNDLE_KEY', () => {
    assert.deepEqual(resultData(42), { 'text/plain': '42' });
    assert.deepEqual(resultData('a'), { 'text/plain': "'a'" });
    const rich = { [MIME_BUNDLE_KEY]: () => ({ 'text/html': '<i>r</i>' }) };
    const d = resultData(rich);
    assert.equal(d['text/html'], '<i>r</i>');
    assert.equal(typeof d['text/plain'], 'string');
  });

  it('a danfojs DataFrame, a Series or an array of plain records as a cell value is an HTML table with a text table', () => {
    const dfd = require('danfojs-node') as { DataFrame: new (rows: object[]) => { column(c: string): unknown } };
    const df = new dfd.DataFrame([
      { id: 'a<b', dice: 0.5 },
      { id: 'c', dice: 0.25 },
    ]);
    const d = resultData(df);
    assert.deepEqual(Object.keys(d).sort(), ['text/html', 'text/plain']);
    assert.ok((d['text/html'] as string).includes('<tr><th>0</th><td>a&lt;b</td><td>0.5</td></tr>'));
    assert.equal(d['text/plain'], '    id  dice\n0  a<b   0.5\n1    c  0.25');
    assert.ok((resultData(df.column('dice'))['text/html'] as string).includes('<tr><th>1</th><td>0.25</td></tr>'));
    assert.equal(resultData([{ x: 1 }, { x: 2, y: 'z' }])['text/plain'], 'x  y\n1\n2  z');
    assert.deepEqual(Object.keys(resultData([1, 2])), ['text/plain'], 'an array of numbers stays inspected');
    assert.deepEqual(Object.keys(resultData([new Date(0)])), ['text/plain'], 'class instances are not records');
  });
});

describe('kernel/replies', () => {
  it('converts between code points and UTF-16 offsets', () => {
    const s = 'a😀b';
    assert.equal(codePointToOffset(s, 2), 3);
    assert.equal(offsetToCodePoint(s, 3), 2);
    assert.equal(codePointToOffset(s, 99), 4);
  });

  it('reports honest language_info', () => {
    const k = kernelInfoContent();
    assert.equal(k.protocol_version, '5.3');
    assert.equal(k.implementation, 'ptm-conformity');
    assert.equal(k.language_info.name, 'typescript');
    assert.equal(k.language_info.version, require('@tslab/typescript-for-tslab/package.json').version);
    assert.equal(k.implementation_version, require('../../../package.json').version);
  });

  it('answers is_complete from tslab', () => {
    assert.deepEqual(isCompleteContent('const a = 1;'), { status: 'complete' });
    assert.equal(isCompleteContent('if (a) {').status, 'incomplete');
    assert.deepEqual(isCompleteContent('const z = )'), { status: 'invalid' });
    assert.deepEqual(isCompleteContent('const r = await fetchIt();\nr'), { status: 'complete' });
  });
});

describe('kernel/connection and launcher arguments', () => {
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), 'ptm-conn-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));
  const good = {
    transport: 'tcp',
    ip: '127.0.0.1',
    shell_port: 1,
    iopub_port: 2,
    stdin_port: 3,
    control_port: 4,
    hb_port: 5,
    key: 'k',
    signature_scheme: 'hmac-sha256',
  };

  it('reads a valid connection file', () => {
    const f = join(tmp, 'c.json');
    writeFileSync(f, JSON.stringify(good));
    const c = readConnectionFile(f);
    assert.equal(endpoint(c, c.shell_port), 'tcp://127.0.0.1:1');
  });

  it('rejects a missing port or another signature scheme naming file and field', () => {
    const f = join(tmp, 'c.json');
    writeFileSync(f, JSON.stringify({ ...good, hb_port: undefined }));
    assert.throws(
      () => readConnectionFile(f),
      (e: unknown) => e instanceof InputError && e.file === f && e.field === '/hb_port',
    );
    writeFileSync(f, JSON.stringify({ ...good, signature_scheme: 'hmac-md5' }));
    assert.throws(
      () => readConnectionFile(f),
      (e: unknown) => e instanceof InputError && e.field === '/signature_scheme',
    );
    assert.throws(() => readConnectionFile(join(tmp, 'missing.json')), InputError);
  });

  it('parses --connection-file and -f', () => {
    assert.equal(parseLauncherArgs(['--connection-file', 'a.json']), 'a.json');
    assert.equal(parseLauncherArgs(['-f', 'b.json']), 'b.json');
    assert.equal(parseLauncherArgs(['--connection-file=c.json']), 'c.json');
    assert.throws(() => parseLauncherArgs([]), InputError);
  });
});

describe('kernel/auto-types', () => {
  it('keeps only @types/node when TypeScript lists a node_modules/@types type root', () => {
    assert.deepEqual(filterTypeRootListing('/p/node_modules/@types', ['jsdom', 'mocha', 'node', 'webgl2']), ['node']);
    assert.deepEqual(filterTypeRootListing('/p/node_modules/@types/', ['mocha']), []);
    assert.deepEqual(filterTypeRootListing('/p/node_modules', ['jsdom', 'tslab']), ['jsdom', 'tslab']);
  });
});

describe('kernel/cell-positions: emitted JavaScript positions mapped back to the cell', () => {
  const { mapPosition } = require('../../src/kernel/cell-positions.js') as typeof import('../../src/kernel/cell-positions.js');
  const ts = [
    'interface P { a: number }',
    'const x: number = 1;',
    'function f(n: number): number {',
    "  if (n > 0) throw new Error('boom ' + n);",
    '  return n;',
    '}',
    'const y = f(x) + 2;',
  ].join('\n');
  // What tslab emits for this cell (its converter's output, wrapped as its executor runs it).
  const js = [
    '(function(exports, require) { Object.defineProperty(exports, "__esModule", { value: true });',
    'exports.y = exports.x = exports.f = void 0;',
    'const x = 1;',
    'exports.x = x;',
    'function f(n) {',
    '    if (n > 0)',
    "        throw new Error('boom ' + n);",
    '    return n;',
    '}',
    'exports.f = f;',
    'const y = f(x) + 2;',
    'exports.y = y;',
  ].join('\n');
  it('a throw split onto its own emitted line maps to the cell line and the column of `new`', () => {
    assert.deepEqual(mapPosition(ts, js, 7, 15), { line: 4, column: 20 });
  });
  it('a call maps to its own column; type annotations on the cell side are skipped', () => {
    assert.deepEqual(mapPosition(ts, js, 11, 11), { line: 7, column: 11 });
    assert.deepEqual(mapPosition(ts, js, 3, 7), { line: 2, column: 7 });
  });
  it('a line with no token in common with the cell gives no position', () => {
    assert.equal(mapPosition('a', '\n}', 2, 1), undefined);
  });
});
