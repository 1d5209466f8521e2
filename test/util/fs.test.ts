import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atomicFs, writeFileAtomic } from '../../src/util/fs.js';
import { main } from '../../src/cli/main.js';
import { packageRoot } from '../../src/util/package-root.js';

/** Captures stderr (and silences stdout) while `fn` runs. */
async function capture(fn: () => Promise<number>): Promise<{ code: number; err: string }> {
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  let err = '';
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((err += String(s)), true)) as typeof process.stderr.write;
  try {
    return { code: await fn(), err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

const enospc = (path: string) => Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC', path });

describe('util/fs writeFileAtomic: failures leave nothing half-done', () => {
  let tmp: string;
  const real = { ...atomicFs };
  beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), 'ptmc-fs-'))));
  afterEach(() => {
    Object.assign(atomicFs, real);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('a rename onto a folder (EISDIR) removes the temp file and names the destination', () => {
    mkdirSync(join(tmp, 'out.pdf'));
    assert.throws(
      () => writeFileAtomic(join(tmp, 'out.pdf'), 'x'),
      (e: NodeJS.ErrnoException) => e.code === 'EISDIR' && e.path === join(tmp, 'out.pdf'),
    );
    assert.deepEqual(readdirSync(tmp), ['out.pdf']);
  });

  it('a full disk mid-write (ENOSPC, mocked after half the bytes) removes the temp file', () => {
    atomicFs.writeFileSync = ((p: string) => {
      writeFileSync(p, 'half');
      throw enospc(p);
    }) as typeof atomicFs.writeFileSync;
    assert.throws(
      () => writeFileAtomic(join(tmp, 'a.json'), '{}'),
      (e: NodeJS.ErrnoException) => e.code === 'ENOSPC',
    );
    assert.deepEqual(readdirSync(tmp), []);
  });

  it('ptmc report on a full disk: exit 1, one line "cannot write FILE: ENOSPC … — fix", no stack, no .tmp', async () => {
    atomicFs.writeFileSync = ((p: string) => {
      writeFileSync(p, 'half');
      throw enospc(p);
    }) as typeof atomicFs.writeFileSync;
    const out = join(tmp, 'report.pdf');
    const r = await capture(() =>
      main(['report', join(packageRoot(), 'test', 'fixtures', 'results', 'bundle'), '-o', out, '--lang', 'en']),
    );
    assert.equal(r.code, 1);
    const lines = r.err.trim().split('\n');
    assert.equal(lines.length, 1, r.err);
    assert.equal(
      lines[0],
      `ptmc report: cannot write ${out}: ENOSPC no space left on the device — free space or choose another disk (--out DIR)`,
    );
    assert.ok(!/\bat \S+ \(/.test(r.err), 'no stack trace');
    assert.deepEqual(readdirSync(tmp), []);
  });

  it('ptmc report -o DIR (EISDIR): exit 1, one clear line; PTMC_DEBUG=1 adds the stack', async () => {
    const out = join(tmp, 'dir.pdf');
    mkdirSync(out);
    const bundle = join(packageRoot(), 'test', 'fixtures', 'results', 'bundle');
    const r = await capture(() => main(['report', bundle, '-o', out, '--lang', 'en']));
    assert.equal(r.code, 1);
    assert.equal(r.err.trim(), `ptmc report: cannot write ${out}: EISDIR it is a folder — give a file name (e.g. -o report.pdf)`);
    process.env['PTMC_DEBUG'] = '1';
    try {
      const d = await capture(() => main(['report', bundle, '-o', out, '--lang', 'en']));
      assert.match(d.err, /\n\s*at /);
    } finally {
      delete process.env['PTMC_DEBUG'];
    }
    assert.deepEqual(readdirSync(tmp), ['dir.pdf']);
  });
});
