import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installKernelSpec } from '../../src/kernel/install.js';
import { packageRoot } from '../../src/util/package-root.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(packageRoot(), 'test', 'fixtures', 'kernel', 'jupyter_client_check.py');

interface Seen {
  type: string;
  parent: string;
  mimes: string[];
  name?: string;
}
interface Report {
  dataframe: { status: string; outputs: Seen[]; html: string };
  plot: { status: string; cell: string; next: string; outputs: Seen[]; next_outputs: Seen[] };
  is_complete: { status: string };
  error: { reply: { status: string; ename: string; evalue: string; traceback: string[]; execution_count: number } };
}

describe("Jupyter's own client (jupyter_client 7.4) drives the kernel from our kernelspec", function () {
  this.timeout(300000);
  let tmp: string;
  let report: Report;

  before(function () {
    const probe = spawnSync(PYTHON, ['-c', 'import jupyter_client; print(jupyter_client.__version__)'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      if (process.env.CI === 'true') throw new Error(`${PYTHON} has no jupyter_client: CI must install python3-jupyter-client`);
      console.log('      (skipped: python3-jupyter-client is not installed)');
      this.skip();
    }
    tmp = mkdtempSync(join(tmpdir(), 'ptm-jclient-'));
    installKernelSpec({ prefix: tmp });
    const r = spawnSync(PYTHON, [SCRIPT, 'ptm-typescript', packageRoot()], {
      encoding: 'utf8',
      env: { ...process.env, JUPYTER_PATH: join(tmp, 'share', 'jupyter'), JUPYTER_DATA_DIR: join(tmp, 'data') },
      timeout: 280000,
    });
    assert.equal(r.status, 0, `${SCRIPT} failed:\n${r.stderr}`);
    report = JSON.parse(r.stdout) as Report;
  });
  after(() => {
    if (tmp && existsSync(tmp)) rmSync(tmp, { recursive: true, force: true });
  });

  it('a bare danfojs DataFrame as the cell value gives text/html (a table) beside text/plain, and no stderr', () => {
    const d = report.dataframe;
    assert.equal(d.status, 'ok');
    const res = d.outputs.filter((o) => o.type === 'execute_result');
    assert.equal(res.length, 1);
    assert.deepEqual(res[0].mimes, ['text/html', 'text/plain']);
    assert.match(d.html, /<table[\s\S]*<th[^>]*>sample<\/th>[\s\S]*0\.91[\s\S]*<\/table>/);
    assert.ok(!d.outputs.some((o) => o.type === 'stream' && o.name === 'stderr'), JSON.stringify(d.outputs));
  });

  it('an un-awaited displayPlot puts its display_data in its own cell (its parent msg id), none in the next cell', () => {
    const p = report.plot;
    assert.equal(p.status, 'ok');
    const shown = p.outputs.filter((o) => o.type === 'display_data');
    assert.equal(shown.length, 1, JSON.stringify(p.outputs));
    assert.equal(shown[0].parent, p.cell);
    assert.deepEqual(shown[0].mimes, ['application/vnd.plotly.v1+json', 'image/png', 'image/svg+xml', 'text/plain']);
    assert.ok(!p.next_outputs.some((o) => o.type === 'display_data'), JSON.stringify(p.next_outputs));
    assert.ok(!p.outputs.some((o) => o.type === 'execute_result' && o.mimes.join() === 'text/plain'), 'no Promise { <pending> }');
  });

  it('is_complete on `const z = )` is invalid', () => {
    assert.equal(report.is_complete.status, 'invalid');
  });

  it("a runtime error's traceback names the cell, line and column where it was thrown and called", () => {
    const e = report.error.reply;
    assert.equal(e.status, 'error');
    assert.equal(e.ename, 'Error');
    assert.equal(e.evalue, 'boom');
    const n = e.execution_count;
    // `throw new Error('boom')` is on line 3 of the cell, `new` at column 9; the call boom() is at 5:1.
    assert.deepEqual(e.traceback, ['Error: boom', `    at boom (<cell ${n}>:3:9)`, `    at <cell ${n}>:5:1`]);
  });
});
