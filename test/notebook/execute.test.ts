import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CodeCell, Notebook, Output } from '../../src/notebook/nbformat.js';
import { validateNotebook } from '../../src/notebook/schema.js';

const ROOT = resolve(__dirname, '..', '..', '..');
const FIX = join(ROOT, 'test', 'fixtures', 'notebooks');
const BIN = join(ROOT, 'bin', 'ptmc.js');
const out = mkdtempSync(join(tmpdir(), 'ptmc-exec-'));
const PY = '/usr/bin/python3';
const hasPy = (mod: string) => {
  try {
    execFileSync(PY, ['-c', `import ${mod}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

interface Run {
  code: number | null;
  stderr: string;
  stdout: string;
}

/** Runs `node bin/ptmc.js execute ARGS`; `onStderr` sees stderr as it arrives (and may kill). */
function ptmc(args: string[], onStderr?: (text: string, kill: (sig: NodeJS.Signals) => void) => void): Promise<Run> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [BIN, 'execute', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => {
      stderr += b;
      onStderr?.(stderr, (sig) => child.kill(sig));
    });
    child.on('close', (code) => res({ code, stderr, stdout }));
  });
}

function load(path: string): Notebook {
  return JSON.parse(readFileSync(path, 'utf8')) as Notebook;
}

function text(o: Output | undefined): string {
  if (!o) return '';
  if (o.output_type === 'stream') return ([] as string[]).concat(o.text).join('');
  if (o.output_type === 'error') return `${o.ename}: ${o.evalue}`;
  const d = o.data['text/plain'];
  return Array.isArray(d) ? d.join('') : String(d);
}

function code(nb: Notebook): CodeCell[] {
  return nb.cells.filter((c): c is CodeCell => c.cell_type === 'code');
}

function kernelPid(stderr: string): number {
  const m = /kernel ptm-typescript \(pid (\d+)\) ready/.exec(stderr);
  assert.ok(m, `no kernel pid in stderr:\n${stderr}`);
  return Number(m[1]);
}

/** Asserts that the kernel process and its process group are gone (allowing 2 s for reaping). */
async function assertGone(pid: number): Promise<void> {
  const alive = (target: number) => {
    try {
      process.kill(target, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code !== 'ESRCH';
    }
  };
  for (let i = 0; i < 20 && (alive(pid) || alive(-pid)); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(pid), false, `kernel process ${pid} is still alive`);
  assert.equal(alive(-pid), false, `kernel process group ${pid} is still alive`);
}

function assertValid(path: string): void {
  assert.deepEqual(validateNotebook(load(path)), []);
  if (hasPy('nbformat')) {
    execFileSync(PY, ['-c', 'import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], 4))', path]);
  }
}

describe('ptmc execute (integration, ptm-typescript kernel)', function () {
  this.timeout(120_000);

  it('hello: streams merged, results, counts, timings and ptmc metadata; valid for Jupyter', async () => {
    const o = join(out, 'hello.ipynb');
    const r = await ptmc([join(FIX, 'hello.ipynb'), '-o', o]);
    assert.equal(r.code, 0, r.stderr);
    const nb = load(o);
    const cells = code(nb);
    assert.deepEqual(cells[0]!.outputs, [{ output_type: 'stream', name: 'stdout', text: ['hello\n', 'world\n'] }]);
    assert.deepEqual(
      cells[1]!.outputs.map((x) => [x.output_type, text(x)]),
      [
        ['stream', 'to stderr\n'],
        ['stream', 'line 1\nline 2\n'],
      ],
    );
    assert.equal(text(cells[2]!.outputs[0]), '42');
    assert.deepEqual(
      cells.map((c) => c.execution_count),
      [1, 2, 3],
    );
    assert.deepEqual(Object.keys(cells[0]!.metadata.execution!).sort(), [
      'iopub.execute_input',
      'iopub.status.busy',
      'iopub.status.idle',
      'shell.execute_reply',
    ]);
    const meta = nb.metadata.ptmc as Record<string, unknown>;
    assert.equal(meta.input_path, join(FIX, 'hello.ipynb'));
    assert.equal(meta.output_path, o);
    assert.equal(meta.exception, null);
    assert.equal(meta.node, process.versions.node);
    assert.match(String(meta.typescript), /^\d+\.\d+\.\d+/);
    assert.ok(typeof meta.duration === 'number' && meta.duration > 0);
    assert.equal(nb.metadata.language_info?.name, 'typescript');
    assert.equal(nb.metadata.language_info?.version, meta.typescript);
    assert.match(r.stderr, /cell 3 \(3\/3\) ok in [\d.]+ s/);
    // papermill's records beside ptmc's: every cell, and the notebook
    for (const c of nb.cells) {
      const pm = c.metadata.papermill as Record<string, unknown>;
      assert.deepEqual(Object.keys(pm).sort(), ['duration', 'end_time', 'exception', 'start_time', 'status']);
      if (c.cell_type !== 'code') continue;
      assert.equal(pm.status, 'completed');
      assert.equal(pm.exception, null);
      assert.ok(typeof pm.duration === 'number' && pm.duration >= 0);
      assert.ok(Date.parse(pm.end_time as string) >= Date.parse(pm.start_time as string));
    }
    const pmn = nb.metadata.papermill as Record<string, unknown>;
    assert.deepEqual(Object.keys(pmn).sort(), [
      'default_parameters',
      'duration',
      'end_time',
      'environment_variables',
      'exception',
      'input_path',
      'output_path',
      'parameters',
      'start_time',
      'version',
    ]);
    assert.equal(pmn.input_path, join(FIX, 'hello.ipynb'));
    assert.equal(pmn.output_path, o);
    assert.equal(pmn.exception, null);
    assert.equal(pmn.duration, meta.duration);
    assertValid(o);
    await assertGone(kernelPid(r.stderr));
  });

  it('parameters: -p overrides --parameters FILE, which overrides the defaults; unknown names warn', async () => {
    const o = join(out, 'parameters.ipynb');
    const pf = join(out, 'params.json');
    writeFileSync(pf, JSON.stringify({ count: 3, weights: [1, 2] }));
    const r = await ptmc([
      join(FIX, 'parameters.ipynb'),
      '-o',
      o,
      '--parameters',
      pf,
      '-p',
      'count=5',
      '-p',
      'greeting=hi there',
      '-p',
      'extra=1',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: parameter "extra" is not declared in the "parameters" cell \(cell 1\)/);
    const nb = load(o);
    assert.deepEqual(nb.cells[2]!.metadata.tags, ['injected-parameters']);
    assert.equal(
      ([] as string[]).concat(nb.cells[2]!.source).join(''),
      '// Injected parameters\nconst count = 5;\nconst weights = [1,2];\nconst greeting = "hi there";\nconst extra = 1;',
    );
    const cells = code(nb);
    assert.equal(text(cells[2]!.outputs[0]), '{"greeting":"hi there","count":5,"weights":[1,2]}\n');
    assert.equal(text(cells[3]!.outputs[0]), "'hi there x5'");
    assert.deepEqual((nb.metadata.ptmc as { parameters: unknown }).parameters, {
      count: 5,
      weights: [1, 2],
      greeting: 'hi there',
      extra: 1,
    });
    const pmn = nb.metadata.papermill as { parameters: unknown; default_parameters: unknown };
    assert.deepEqual(pmn.parameters, { count: 5, weights: [1, 2], greeting: 'hi there', extra: 1 });
    assert.deepEqual(pmn.default_parameters, { greeting: 'hello', count: 2, weights: [0.5, 0.5] });
    assertValid(o);
  });

  it('broken-cell: exit 1, error on stderr, every earlier output saved, error banner, no kernel left', async () => {
    const o = join(out, 'broken.ipynb');
    const r = await ptmc([join(FIX, 'broken-cell.ipynb'), '-o', o]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /ptmc execute: failed at cell 2: RangeError: deliberate failure in cell 2\n/);
    const nb = load(o);
    assert.deepEqual(nb.cells[0]!.metadata.tags, ['ptmc-error', 'papermill-error-cell-tag']);
    assert.match(([] as string[]).concat(nb.cells[0]!.source).join(''), /Execution failed\*\* in cell 2 \(cell id `broken-cell-2`\)/);
    const cells = code(nb);
    assert.equal(text(cells[0]!.outputs[0]), 'cell 0 ran\n');
    assert.equal(text(cells[1]!.outputs[0]), '42');
    assert.deepEqual(cells[2]!.outputs.map(text), ['before the error\n', 'RangeError: deliberate failure in cell 2']);
    assert.deepEqual(cells[3]!.outputs, []);
    assert.equal(cells[3]!.execution_count, null);
    const status = (c: { metadata: Record<string, unknown> }): unknown => (c.metadata.papermill as { status: string }).status;
    assert.deepEqual(cells.map(status), ['completed', 'completed', 'failed', 'pending']);
    assert.equal((cells[2]!.metadata.papermill as { exception: unknown }).exception, true);
    assert.equal((nb.metadata.papermill as { exception: unknown }).exception, true);
    assert.deepEqual((nb.metadata.ptmc as { exception: unknown }).exception, {
      cell: 2,
      cell_id: 'broken-cell-2',
      ename: 'RangeError',
      evalue: 'deliberate failure in cell 2',
    });
    assertValid(o);
    await assertGone(kernelPid(r.stderr));
  });

  it('--allow-errors records the error and goes on (exit 0)', async () => {
    const o = join(out, 'broken-allowed.ipynb');
    const r = await ptmc([join(FIX, 'broken-cell.ipynb'), '-o', o, '--allow-errors']);
    assert.equal(r.code, 0, r.stderr);
    const cells = code(load(o));
    assert.equal(text(cells[2]!.outputs[1]), 'RangeError: deliberate failure in cell 2');
    assert.equal(text(cells[3]!.outputs[0]), 'must not run\n');
  });

  it('raises-exception: a tagged cell may fail', async () => {
    const o = join(out, 'raises.ipynb');
    const r = await ptmc([join(FIX, 'raises-exception.ipynb'), '-o', o]);
    assert.equal(r.code, 0, r.stderr);
    const cells = code(load(o));
    assert.equal(text(cells[1]!.outputs[0]), 'TypeError: expected failure');
    assert.equal(text(cells[2]!.outputs[0]), 'still running\n');
  });

  it('timeout: the cell is interrupted, recorded as a timeout error, saved; exit 1; no kernel left', async () => {
    const o = join(out, 'timeout.ipynb');
    const t0 = Date.now();
    const r = await ptmc([join(FIX, 'timeout.ipynb'), '-o', o, '--timeout', '12']);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(Date.now() - t0 < 45_000, 'the 60 s sleep was cut short');
    assert.match(r.stderr, /failed at cell 2: CellTimeoutError: the cell did not finish within 12 s and was interrupted \(--timeout\)/);
    const cells = code(load(o));
    assert.equal(text(cells[0]!.outputs[0]), 'before the slow cell\n');
    assert.equal(text(cells[1]!.outputs[0]), "'busy done'", 'a long synchronous cell is busy, not dead');
    assert.equal(text(cells[2]!.outputs[0]), 'sleeping\n');
    assert.equal(text(cells[2]!.outputs.at(-1)), 'CellTimeoutError: the cell did not finish within 12 s and was interrupted (--timeout)');
    assert.deepEqual(cells[3]!.outputs, []);
    assertValid(o);
    await assertGone(kernelPid(r.stderr));
  });

  it('kernel-exit: a dying kernel is detected within seconds; saved; exit 1', async () => {
    const o = join(out, 'exit.ipynb');
    const r = await ptmc([join(FIX, 'kernel-exit.ipynb'), '-o', o]);
    assert.equal(r.code, 1, r.stderr);
    // exit code 3, or SIGABRT when the kernel crashes in its ZeroMQ teardown on process.exit (reported)
    assert.match(r.stderr, /failed at cell 1: DeadKernelError: the kernel died \((exit code 3|signal SIGABRT)\)/);
    const secs = Number(/cell 1 \(2\/3\) dead in ([\d.]+) s/.exec(r.stderr)?.[1]);
    assert.ok(secs < 5, `detected after ${secs} s`);
    const cells = code(load(o));
    assert.equal(text(cells[0]!.outputs[0]), 'before the exit\n');
    assert.match(text(cells[1]!.outputs.at(-1)), /^DeadKernelError: the kernel died \((exit code 3|signal SIGABRT)\)/);
    assertValid(o);
    await assertGone(kernelPid(r.stderr));
  });

  it('SIGTERM to ptmc kills the kernel too', async () => {
    const o = join(out, 'sigterm.ipynb');
    let sent = false;
    const r = await ptmc([join(FIX, 'timeout.ipynb'), '-o', o], (err, kill) => {
      if (!sent && /cell 0 \(1\/4\) ok/.test(err)) {
        sent = true;
        setTimeout(() => kill('SIGTERM'), 300);
      }
    });
    assert.ok(sent, r.stderr);
    assert.equal(r.code, 143);
    assert.equal(text(code(load(o))[0]!.outputs[0]), 'before the slow cell\n', 'saved after cell 0');
    await assertGone(kernelPid(r.stderr));
  });

  it('--start-timeout: a kernel that does not answer in time fails the run (exit 1) with a banner', async () => {
    const o = join(out, 'start-timeout.ipynb');
    const r = await ptmc([join(FIX, 'hello.ipynb'), '-o', o, '--start-timeout', '0.05']);
    assert.equal(r.code, 1, r.stderr);
    const msg =
      'kernel "ptm-typescript" did not answer kernel_info_request within 0.05 s (raise --start-timeout, or check that the kernel starts)';
    assert.ok(r.stderr.includes(`ptmc execute: failed at kernel start: ExecutionError: ${msg}`), r.stderr);
    const nb = load(o);
    assert.deepEqual(nb.cells[0]!.metadata.tags, ['ptmc-error', 'papermill-error-cell-tag']);
    assert.deepEqual((nb.metadata.ptmc as { exception: unknown }).exception, {
      cell: -1,
      cell_id: null,
      ename: 'ExecutionError',
      evalue: msg,
    });
    assertValid(o);
  });

  it('rich-outputs: display helpers, update by display id, clear_output(wait)', async () => {
    const o = join(out, 'rich.ipynb');
    const r = await ptmc([join(FIX, 'rich-outputs.ipynb'), '-o', o]);
    assert.equal(r.code, 0, r.stderr);
    const cells = code(load(o));
    const shown = cells[1]!.outputs as { output_type: string; data: Record<string, unknown> }[];
    assert.deepEqual(
      shown.map((x) => x.output_type),
      ['display_data', 'display_data', 'display_data'],
    );
    assert.deepEqual(shown[0]!.data['text/html'], ['<b>bold</b>']);
    assert.deepEqual(shown[1]!.data['text/markdown'], ['**status**: done'], 'updated by display id from a later cell');
    assert.deepEqual(shown[2]!.data['application/json'], { a: 1, b: [1, 2] });
    assert.deepEqual(cells[2]!.outputs.map(text), ['updated\n']);
    assert.deepEqual(cells[3]!.outputs.map(text), ['step 2\n']);
    assertValid(o);
  });

  it('await and redeclare-const run as written', async () => {
    const oa = join(out, 'await.ipynb');
    const ra = await ptmc([join(FIX, 'await.ipynb'), '-o', oa]);
    assert.equal(ra.code, 0, ra.stderr);
    const ca = code(load(oa));
    assert.equal(text(ca[1]!.outputs[0]), 'waited 50 ms\n');
    assert.equal(text(ca[2]!.outputs[0]), '[ 10, 20 ]');
    const or = join(out, 'redeclare.ipynb');
    const rr = await ptmc([join(FIX, 'redeclare-const.ipynb'), '-o', or]);
    assert.equal(rr.code, 0, rr.stderr);
    assert.deepEqual(
      code(load(or)).map((c) => c.outputs.map(text).join('')),
      ['1\n', 'two\n', "'two'"],
    );
  });
});

describe('ptmc execute: bad input → exit 2, nothing written', function () {
  this.timeout(30_000);
  const cases: [string, () => string[], RegExp][] = [
    ['not JSON', () => [write('bad.ipynb', '{oops'), '-o'], /is not valid JSON/],
    [
      'nbformat 3',
      () => [write('v3.ipynb', '{"nbformat":3,"nbformat_minor":0,"metadata":{},"worksheets":[]}'), '-o'],
      /is nbformat 3; nbformat 4 is required/,
    ],
    ['missing input', () => [join(out, 'nope.ipynb'), '-o'], /notebook .*nope\.ipynb does not exist/],
    [
      'unknown kernel',
      () => [join(FIX, 'hello.ipynb'), '--kernel', 'no-such-kernel', '-o'],
      /no kernel named "no-such-kernel"; kernels found: /,
    ],
    ['malformed -p', () => [join(FIX, 'hello.ipynb'), '-p', 'novalue', '-o'], /malformed parameter "-p novalue"/],
    [
      'bad --timeout',
      () => [join(FIX, 'hello.ipynb'), '--timeout', 'soon', '-o'],
      /--timeout must be a positive number of seconds, got "soon"/,
    ],
    ['missing --cwd', () => [join(FIX, 'hello.ipynb'), '--cwd', join(out, 'no-dir'), '-o'], /working folder .*no-dir does not exist/],
  ];
  function write(name: string, body: string): string {
    const p = join(out, name);
    writeFileSync(p, body);
    return p;
  }
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const target = join(out, `never-${name.replace(/\W+/g, '-')}.ipynb`);
      const r = await ptmc([...args(), target]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(existsSync(target), false);
    });
  }
  it('no output path', async () => {
    const r = await ptmc([join(FIX, 'hello.ipynb')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ptmc execute: UsageError: no output notebook given/);
  });
});

const hasNbconvert = existsSync('/usr/bin/jupyter') && hasPy('nbconvert');
(hasNbconvert || process.env.CI === 'true' ? describe : describe.skip)(
  'an executed notebook re-runs in Jupyter (nbconvert) with this kernel',
  function () {
    this.timeout(120_000);
    it('ptmc output → jupyter nbconvert --execute gives the same outputs', async () => {
      const prefix = mkdtempSync(join(tmpdir(), 'ptmc-kprefix-'));
      execFileSync(process.execPath, [BIN, 'kernel', 'install', '--prefix', prefix], { stdio: 'ignore' });
      const first = join(out, 'rerun-1.ipynb');
      const r = await ptmc([join(FIX, 'parameters.ipynb'), '-o', first, '-p', 'count=4']);
      assert.equal(r.code, 0, r.stderr);
      const second = join(out, 'rerun-2.ipynb');
      execFileSync(
        '/usr/bin/jupyter',
        ['nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.kernel_name=ptm-typescript', '--output', second, first],
        { env: { ...process.env, JUPYTER_PATH: join(prefix, 'share', 'jupyter') }, stdio: 'pipe' },
      );
      const a = code(load(first)).map((c) => c.outputs.map(text));
      const b = code(load(second)).map((c) => c.outputs.map(text));
      assert.deepEqual(b, a);
      assert.equal(text(code(load(second))[3]!.outputs[0]), "'hello x4'");
    });
  },
);

(hasPy('ipykernel') ? describe : describe.skip)('ptmc execute with a Python kernel (kernel-agnostic client)', function () {
  this.timeout(60_000);
  it('runs ipykernel: parameters, display updates, clear_output, error stops the run', async () => {
    const nb = {
      nbformat: 4,
      nbformat_minor: 4,
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
      cells: [
        { cell_type: 'code', metadata: { tags: ['parameters'] }, source: 'a = 1', outputs: [], execution_count: null },
        {
          cell_type: 'code',
          metadata: {},
          source: "from IPython.display import display, clear_output\nh = display('first', display_id=True)\nh.update('updated')\nprint(a)",
          outputs: [],
          execution_count: null,
        },
        {
          cell_type: 'code',
          metadata: {},
          source: 'for i in range(3):\n    clear_output(wait=True)\n    print(i)\nimport os; print(os.getcwd())',
          outputs: [],
          execution_count: null,
        },
        { cell_type: 'code', metadata: {}, source: '1/0', outputs: [], execution_count: null },
        { cell_type: 'code', metadata: {}, source: "print('never')", outputs: [], execution_count: null },
      ],
    };
    const inp = join(out, 'py.ipynb');
    writeFileSync(inp, JSON.stringify(nb));
    const o = join(out, 'py.out.ipynb');
    const cwd = mkdtempSync(join(tmpdir(), 'ptmc-cwd-'));
    const r = await ptmc([inp, '-o', o, '-p', 'a=[1,true,null]', '--cwd', cwd]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /failed at cell 4: ZeroDivisionError: division by zero/);
    const cells = code(load(o));
    assert.equal(([] as string[]).concat(cells[1]!.source).join(''), '# Parameters\na = [1, True, None]');
    assert.deepEqual(cells[2]!.outputs.map(text), ["'updated'", '[1, True, None]\n']);
    assert.deepEqual(cells[3]!.outputs.map(text), [`2\n${realpathSync(cwd)}\n`], 'clear_output(wait) and --cwd');
    assert.deepEqual(cells[5]!.outputs, []);
    assertValid(o);
  });
});
