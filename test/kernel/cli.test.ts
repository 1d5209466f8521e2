import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';

/** Runs `ptmc` in-process, capturing stdout and stderr. */
async function ptmc(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = process.stdout.write;
  const e = process.stderr.write;
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof o;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof e;
  try {
    return { code: await main(args), out, err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

describe('ptmc kernel', () => {
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), 'ptm-kcli-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('install --prefix writes kernel.json and logos under DIR/share/jupyter/kernels/<name>', async () => {
    const r = await ptmc(['kernel', 'install', '--prefix', tmp, '--name', 'ptm-ts-test', '--display-name', 'TS test']);
    assert.equal(r.code, 0, r.err);
    const dir = join(tmp, 'share', 'jupyter', 'kernels', 'ptm-ts-test');
    assert.match(r.out, new RegExp(`Installed kernelspec ptm-ts-test \\("TS test"\\) in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const spec = JSON.parse(readFileSync(join(dir, 'kernel.json'), 'utf8'));
    assert.equal(spec.display_name, 'TS test');
    assert.equal(spec.interrupt_mode, 'message');
    assert.ok(existsSync(join(dir, 'logo-32x32.png')) && existsSync(join(dir, 'logo-64x64.png')));
  });

  it('exits 2 on --user with --prefix, a bad name, or an unknown subcommand, writing nothing', async () => {
    const a = await ptmc(['kernel', 'install', '--user', '--prefix', tmp]);
    assert.equal(a.code, 2);
    assert.match(a.err, /--user and --prefix exclude each other/);
    const b = await ptmc(['kernel', 'install', '--prefix', tmp, '--name', 'bad name']);
    assert.equal(b.code, 2);
    assert.match(b.err, /invalid kernel name "bad name"/);
    assert.equal(existsSync(join(tmp, 'share')), false);
    assert.equal((await ptmc(['kernel', 'frobnicate'])).code, 2);
    assert.equal((await ptmc(['kernel'])).code, 2);
  });

  it('list shows the kernels Jupyter would find, the built-in ptm-typescript included', async () => {
    const r = await ptmc(['kernel', 'list', '--json']);
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out) as { kernelspecs: Record<string, { resource_dir: string; spec: { language: string } }> };
    assert.equal(j.kernelspecs['ptm-typescript']?.spec.language, 'typescript');
  });
});
