import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareClauseResults } from '../../src/evidence/compare.js';
import { verifyBundle } from '../../src/evidence/verify.js';
import { packageRoot } from '../../src/util/package-root.js';
import { notebook, processesWithMarker, spawnsDescendants, writesResult } from './notebooks.js';

const CASE = join(packageRoot(), 'examples', 'breast-cancer-classifier');
const PTMC = join(packageRoot(), 'bin', 'ptmc.js');

function start(args: string[], env: Record<string, string> = {}): { p: ChildProcess; log: () => string; done: Promise<number | null> } {
  const p = spawn(process.execPath, [PTMC, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let log = '';
  p.stdout!.on('data', (b: Buffer) => (log += b.toString()));
  p.stderr!.on('data', (b: Buffer) => (log += b.toString()));
  const done = new Promise<number | null>((r) => p.once('exit', (code) => r(code)));
  return { p, log: () => log, done };
}

async function until(what: string, cond: () => boolean, ms = 180000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function connectionDirs(pid: number): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith(`ptmc-kernel-${pid}-`));
}

/** The JSON of a result file. */
function result(bundle: string, clause: string): unknown {
  return JSON.parse(readFileSync(join(bundle, 'results', `${clause}.json`), 'utf8'));
}

describe('run/ptmc run: SIGINT mid-clause, then --resume', function () {
  this.timeout(600000);
  let tmp: string;
  let nb: string;
  const marker = `ptmc-i14-${process.pid}-${Date.now()}`;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ptmc-resume-'));
    nb = join(tmp, 'nb');
    mkdirSync(nb);
    // the real 6.2 template, and a 6.3.4 that starts descendants and, on its first run only, waits to be interrupted
    copyFileSync(join(packageRoot(), 'notebooks', '6.2-description.ipynb'), join(nb, '6.2-description.ipynb'));
    symlinkSync(join(packageRoot(), 'node_modules'), join(nb, 'node_modules')); // the kernel runs in the notebooks' folder
    writeFileSync(
      join(nb, '6.3.4-efficiency.ipynb'),
      notebook([
        spawnsDescendants(marker),
        "const flag = process.env.PTMC_TEST_FLAG!;\nif (!require('fs').existsSync(flag)) { require('fs').writeFileSync(flag, 'x'); " +
          'await new Promise((r) => setTimeout(r, 600000)); }',
        writesResult('6.3.4', '0.5'),
      ]),
    );
  });
  after(() => {
    for (const p of processesWithMarker(marker)) process.kill(p, 'SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  });

  it('exit 130, INCOMPLETE naming what finished, no manifest, nothing left running; the resume re-uses 6.2 and verifies', async () => {
    const clean = join(tmp, 'clean');
    const c = start(['run', '--case', CASE, '--only', '6.2', '--notebooks', nb, '--out', clean, '--lang', 'en']);
    assert.equal(await c.done, 0, c.log());

    const out = join(tmp, 'bundle');
    const flag = join(tmp, 'flag');
    const r = start(['run', '--case', CASE, '--only', '6.2,6.3.4', '--notebooks', nb, '--out', out, '--lang', 'en'], {
      PTMC_TEST_FLAG: flag,
    });
    await until('the 6.3.4 notebook to wait', () => existsSync(flag) && processesWithMarker(`${marker}-grandchild`).length > 0);
    assert.equal(connectionDirs(r.p.pid!).length, 1, 'the kernel connection folder exists while it runs');
    r.p.kill('SIGINT');
    assert.equal(await r.done, 130, r.log());
    assert.equal(existsSync(join(out, 'manifest.json')), false);
    const note = readFileSync(join(out, 'INCOMPLETE'), 'utf8');
    assert.match(note, /finished clauses \/ 已完成条款: 6\.2\n/);
    assert.match(note, /SIGINT during clause 6\.3\.4/);
    await until('every descendant to be gone', () => processesWithMarker(marker).length === 0, 5000);
    assert.deepEqual(connectionDirs(r.p.pid!), [], 'the connection folder is removed');

    const again = start(['run', '--resume', out, '--only', '6.2']);
    assert.equal(await again.done, 2, 'options of the run cannot be changed on resume');
    assert.match(again.log(), /--resume takes the options the run was started with; only/);

    const res = start(['run', '--resume', out], { PTMC_TEST_FLAG: flag });
    assert.equal(await res.done, 0, res.log());
    assert.match(res.log(), /re-used from the interrupted run \(inputs unchanged\): 6\.2/);
    assert.equal(existsSync(join(out, 'INCOMPLETE')), false);
    assert.equal(existsSync(join(out, 'run-state.json')), false);
    const v = await verifyBundle(out);
    assert.equal(v.ok, true, JSON.stringify(v));
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    assert.equal(m.run.resumed, true);
    assert.deepEqual(
      m.run.clauses.map((k: { clause: string; reused: boolean }) => [k.clause, k.reused]),
      [
        ['6.2', true],
        ['6.3.4', false],
      ],
    );
    const cmp = compareClauseResults(result(clean, '6.2'), result(out, '6.2'), [clean, out]);
    assert.deepEqual(cmp.differences, []);
    assert.equal(processesWithMarker(marker).length, 0, 'the resumed run left no descendant behind');
  });

  it('--resume of a finished bundle, or of a folder that is not a run → exit 2', async () => {
    const done = join(tmp, 'clean');
    let r = start(['run', '--resume', done]);
    assert.equal(await r.done, 2);
    assert.match(r.log(), /the bundle is finished \(it has a manifest\); there is nothing to resume/);
    r = start(['run', '--resume', tmp]);
    assert.equal(await r.done, 2);
    assert.match(r.log(), /not an interrupted ptmc run/);
  });
});
