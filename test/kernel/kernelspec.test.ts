import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/util/errors.js';
import {
  DEFAULT_KERNEL_NAME,
  findKernelSpec,
  kernelSearchPath,
  kernelSpecJson,
  launcherPath,
  listKernelSpecs,
} from '../../src/jupyter/kernelspec.js';
import { installKernelSpec, kernelsInstallDir } from '../../src/kernel/install.js';
import { packageRoot } from '../../src/util/package-root.js';

describe('kernel/kernelspec', () => {
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ptm-kspec-'));
    // A private data dir and JUPYTER_PATH so the user's real kernels do not interfere.
    env = { JUPYTER_PATH: join(tmp, 'jp'), JUPYTER_DATA_DIR: join(tmp, 'data') };
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('builds kernel.json from the template with this node and the compiled launcher', () => {
    const spec = kernelSpecJson();
    assert.deepEqual(spec.argv, [process.execPath, launcherPath(), '--connection-file', '{connection_file}']);
    assert.equal(spec.display_name, 'TypeScript (ptm-conformity)');
    assert.equal(spec.language, 'typescript');
    assert.equal(spec.interrupt_mode, 'message');
    assert.ok(existsSync(launcherPath()), 'the launcher is compiled next to kernelspec.js');
    assert.equal(kernelSpecJson({ displayName: 'X' }).display_name, 'X');
  });

  it('searches JUPYTER_PATH first, then the data dir, then the system folders', () => {
    const p = kernelSearchPath({ JUPYTER_PATH: ['/a', '/b'].join(':'), JUPYTER_DATA_DIR: '/d' });
    assert.deepEqual(p, ['/a/kernels', '/b/kernels', '/d/kernels', '/usr/local/share/jupyter/kernels', '/usr/share/jupyter/kernels']);
  });

  it('falls back to the built-in ptm-typescript spec when none is installed', () => {
    const k = findKernelSpec(undefined, env);
    assert.equal(k.name, DEFAULT_KERNEL_NAME);
    assert.equal(k.dir, join(packageRoot(), 'kernel'));
    assert.equal(k.spec.argv[1], launcherPath());
  });

  it('finds an installed spec on JUPYTER_PATH, case-insensitively, before the built-in one', () => {
    const dir = join(tmp, 'jp', 'kernels', 'My-Kernel');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'kernel.json'), JSON.stringify({ argv: ['x', '{connection_file}'], display_name: 'Mine', language: 'python' }));
    const k = findKernelSpec('my-kernel', env);
    assert.equal(k.name, 'My-Kernel');
    assert.equal(k.dir, dir);
    assert.equal(k.spec.display_name, 'Mine');
    assert.deepEqual(
      listKernelSpecs(env)
        .map((s) => s.name)
        .filter((n) => n === 'My-Kernel' || n === DEFAULT_KERNEL_NAME),
      ['My-Kernel', DEFAULT_KERNEL_NAME],
    );
  });

  it('rejects an unknown kernel with InputError listing the kernels found', () => {
    assert.throws(
      () => findKernelSpec('no-such-kernel', env),
      (e: unknown) =>
        e instanceof InputError &&
        e.exitCode === 2 &&
        /no kernel named "no-such-kernel"/.test(e.message) &&
        e.message.includes(DEFAULT_KERNEL_NAME),
    );
  });

  it('rejects an invalid kernel.json naming the file and field', () => {
    const dir = join(tmp, 'jp', 'kernels', 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'kernel.json'), JSON.stringify({ argv: [], display_name: 'B', language: 'x' }));
    assert.throws(
      () => findKernelSpec('broken', env),
      (e: unknown) => e instanceof InputError && e.file === join(dir, 'kernel.json') && e.field === '/argv',
    );
    writeFileSync(join(dir, 'kernel.json'), '{ not json');
    assert.throws(
      () => findKernelSpec('broken', env),
      (e: unknown) => e instanceof InputError && e.file === join(dir, 'kernel.json'),
    );
  });

  it('installs with --prefix as `jupyter kernelspec install --prefix` does, replacing an older install', () => {
    const prefix = join(tmp, 'prefix');
    const r = installKernelSpec({ prefix });
    const dir = join(prefix, 'share', 'jupyter', 'kernels', 'ptm-typescript');
    assert.equal(r.dir, dir);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'kernel.json'), 'utf8')), kernelSpecJson());
    assert.deepEqual(readFileSync(join(dir, 'logo-64x64.png')).subarray(1, 4).toString(), 'PNG');
    writeFileSync(join(dir, 'stale.txt'), 'old');
    installKernelSpec({ prefix, displayName: 'TS 2' });
    assert.equal(existsSync(join(dir, 'stale.txt')), false);
    assert.equal(
      findKernelSpec('ptm-typescript', { JUPYTER_PATH: join(prefix, 'share', 'jupyter'), JUPYTER_DATA_DIR: join(tmp, 'none') }).spec
        .display_name,
      'TS 2',
    );
  });

  it('installs for the user under JUPYTER_DATA_DIR (or ~/.local/share/jupyter) by default', () => {
    assert.equal(kernelsInstallDir({ env: { JUPYTER_DATA_DIR: '/x/data' } }), '/x/data/kernels');
    const r = installKernelSpec({ env, name: 'ts-test' });
    assert.equal(r.dir, join(tmp, 'data', 'kernels', 'ts-test'));
    assert.equal(findKernelSpec('ts-test', env).dir, r.dir);
  });

  it('rejects a bad name or empty display name before writing anything', () => {
    const prefix = join(tmp, 'p2');
    assert.throws(
      () => installKernelSpec({ prefix, name: 'a b' }),
      (e: unknown) => e instanceof InputError && e.field === '--name',
    );
    assert.throws(
      () => installKernelSpec({ prefix, displayName: ' ' }),
      (e: unknown) => e instanceof InputError && e.field === '--display-name',
    );
    assert.equal(existsSync(prefix), false);
  });
});
