import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeStaleConnectionDirs } from '../../src/notebook/launch.js';
import { packageRoot } from '../../src/util/package-root.js';
import { notebook, processesWithMarker, spawnsDescendants } from '../run/notebooks.js';

const PTMC = join(packageRoot(), 'bin', 'ptmc.js');

async function until(what: string, cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function connectionDirs(pid: number): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith(`ptmc-kernel-${pid}-`));
}

describe('notebook/launch: descendants and connection files', function () {
  this.timeout(240000);
  let tmp: string;
  const marker = `ptmc-desc-${process.pid}-${Date.now()}`;
  before(() => (tmp = mkdtempSync(join(tmpdir(), 'ptmc-desc-'))));
  after(() => {
    for (const p of processesWithMarker(marker)) process.kill(p, 'SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  });

  it('ptmc execute: a child and a detached grandchild (own session) are gone when it ends; the 0700 folder too', async () => {
    const nb = join(tmp, 'spawn.ipynb');
    writeFileSync(
      nb,
      notebook([
        spawnsDescendants(`${marker}-a`),
        "console.log('mode', (require('fs').statSync(process.env.PTMC_CONNECTION_DIR).mode & 0o777).toString(8));",
      ]),
    );
    const p = spawn(process.execPath, [PTMC, 'execute', nb, '-o', join(tmp, 'out.ipynb'), '--quiet'], { stdio: 'ignore' });
    let seen = 0;
    const poll = setInterval(() => (seen = Math.max(seen, processesWithMarker(`${marker}-a`).length)), 200);
    const code = await new Promise<number | null>((r) => p.once('exit', r));
    clearInterval(poll);
    assert.equal(code, 0);
    assert.equal(seen, 2, 'the child and the grandchild ran');
    await until('the descendants to be gone', () => processesWithMarker(`${marker}-a`).length === 0, 3000);
    assert.deepEqual(connectionDirs(p.pid!), []);
    assert.match(readFileSync(join(tmp, 'out.ipynb'), 'utf8'), /mode 700/);
  });

  it('ptmc execute killed with SIGKILL: the orphaned kernel removes the connection folder and kills what it started', async () => {
    const nb = join(tmp, 'wait.ipynb');
    writeFileSync(nb, notebook([spawnsDescendants(`${marker}-b`), 'await new Promise((r) => setTimeout(r, 600000));']));
    const p = spawn(process.execPath, [PTMC, 'execute', nb, '-o', join(tmp, 'wait-out.ipynb'), '--quiet'], { stdio: 'ignore' });
    await until('the descendants', () => processesWithMarker(`${marker}-b`).length === 2, 120000);
    const dirs = connectionDirs(p.pid!);
    assert.equal(dirs.length, 1);
    assert.equal(statSync(join(tmpdir(), dirs[0]!)).mode & 0o777, 0o700);
    p.kill('SIGKILL');
    await until('the connection folder to go', () => !existsSync(join(tmpdir(), dirs[0]!)), 10000);
    await until('the descendants to be gone', () => processesWithMarker(`${marker}-b`).length === 0, 10000);
  });

  it('ptmc execute stopped by SIGTERM: exit 143, kernel, descendants and connection folder gone', async () => {
    const nb = join(tmp, 'term.ipynb');
    writeFileSync(nb, notebook([spawnsDescendants(`${marker}-c`), 'await new Promise((r) => setTimeout(r, 600000));']));
    const p = spawn(process.execPath, [PTMC, 'execute', nb, '-o', join(tmp, 'term-out.ipynb'), '--quiet'], { stdio: 'ignore' });
    const exited = new Promise<number | null>((r) => p.once('exit', r));
    await until('the descendants', () => processesWithMarker(`${marker}-c`).length === 2, 120000);
    assert.equal(connectionDirs(p.pid!).length, 1);
    p.kill('SIGTERM');
    assert.equal(await exited, 143);
    await until('the descendants to be gone', () => processesWithMarker(`${marker}-c`).length === 0, 3000);
    assert.deepEqual(connectionDirs(p.pid!), []);
  });

  it('removeStaleConnectionDirs removes the folders of dead ptmc processes only', () => {
    const root = join(tmp, 'tmp');
    mkdirSync(root);
    // a pid far above pid_max (4194304) cannot exist; this process and pid 1 do
    const dead = join(root, 'ptmc-kernel-99999999-abc');
    const alive = join(root, `ptmc-kernel-${process.pid}-abc`);
    const init = join(root, 'ptmc-kernel-1-abc');
    const other = join(root, 'ptmc-kernel-abc');
    for (const d of [dead, alive, init, other]) mkdirSync(d);
    writeFileSync(join(dead, 'kernel-1.json'), '{}');
    assert.deepEqual(removeStaleConnectionDirs(root), [dead]);
    assert.deepEqual(readdirSync(root).sort(), ['ptmc-kernel-1-abc', `ptmc-kernel-${process.pid}-abc`, 'ptmc-kernel-abc'].sort());
  });
});
