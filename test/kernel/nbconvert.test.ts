import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installKernelSpec } from '../../src/kernel/install.js';
import { packageRoot } from '../../src/util/package-root.js';

const JUPYTER = '/usr/bin/jupyter';
const FIXTURE = join(packageRoot(), 'test', 'fixtures', 'kernel', 'interop.ipynb');

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  execution_count?: number;
}
const joined = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join('') : (t ?? ''));

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(JUPYTER, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe("Jupyter's own client (nbconvert --execute) runs notebooks on the kernel", function () {
  this.timeout(180000);
  let tmp: string;
  let env: NodeJS.ProcessEnv;

  before(function () {
    if (!existsSync(JUPYTER)) {
      if (process.env.CI === 'true')
        throw new Error(`${JUPYTER} is missing: CI must install jupyter-nbconvert (the nbconvert test never skips in CI)`);
      console.log(`      (skipped: ${JUPYTER} not found; install Debian's jupyter-nbconvert to run this test)`);
      this.skip();
    }
    tmp = mkdtempSync(join(tmpdir(), 'ptm-nbconvert-'));
    installKernelSpec({ prefix: tmp });
    // Only the temp prefix provides ptm-typescript; JUPYTER_DATA_DIR keeps the user's kernels out.
    env = { JUPYTER_PATH: join(tmp, 'share', 'jupyter'), JUPYTER_DATA_DIR: join(tmp, 'data') };
  });
  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('records stream text, execute_result and (with --allow-errors) the error output', async () => {
    const out = join(tmp, 'out.ipynb');
    const r = await run(
      [
        'nbconvert',
        '--to',
        'notebook',
        '--execute',
        '--ExecutePreprocessor.kernel_name=ptm-typescript',
        '--allow-errors',
        FIXTURE,
        '--output',
        out,
      ],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    const nb = JSON.parse(readFileSync(out, 'utf8')) as {
      cells: { cell_type: string; outputs?: Output[]; execution_count?: number }[];
      metadata: { language_info: Record<string, string> };
    };
    const code = nb.cells.filter((c) => c.cell_type === 'code');
    assert.deepEqual(
      code.map((c) => c.execution_count),
      [1, 2, 3, 4],
    );
    assert.deepEqual(code[0]!.outputs, [{ output_type: 'stream', name: 'stdout', text: ['hello from ptm-typescript\n'] }]);
    assert.deepEqual(
      code[1]!.outputs!.map((o) => [o.output_type, joined(o.data?.['text/plain']), o.execution_count]),
      [['execute_result', '42', 2]],
    );
    const err = code[2]!.outputs![0]!;
    assert.equal(err.output_type, 'error');
    assert.equal(err.ename, 'TypeError');
    assert.equal(err.evalue, 'deliberate failure');
    assert.equal(err.traceback![0], 'TypeError: deliberate failure');
    assert.deepEqual(
      code[3]!.outputs!.map((o) => joined(o.data?.['text/plain'])),
      ['43'],
    );
    assert.equal(nb.metadata.language_info.name, 'typescript');
    assert.equal(nb.metadata.language_info.file_extension, '.ts');
  });

  it('stops at the failing cell without --allow-errors and names the error', async () => {
    const out = join(tmp, 'stopped.ipynb');
    const r = await run(
      ['nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.kernel_name=ptm-typescript', FIXTURE, '--output', out],
      env,
    );
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /TypeError: deliberate failure/);
  });
});
