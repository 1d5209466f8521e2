import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeCacheDir } from '../../src/kernel/code-cache.js';

describe('kernel/code-cache (V8 code cache for the TypeScript compiler)', function () {
  this.timeout(60000);
  it('lives under $XDG_CACHE_HOME/ptm-conformity', () => {
    assert.equal(codeCacheDir({ XDG_CACHE_HOME: '/c' }), '/c/ptm-conformity');
  });

  it('writes the cache on first use, V8 accepts it on the next start, and the compiler still works', () => {
    const xdg = mkdtempSync(join(tmpdir(), 'ptm-cc-'));
    try {
      const mod = JSON.stringify(join(__dirname, '..', '..', 'src', 'kernel', 'code-cache.js'));
      const script = `const cc = require(${mod}); const accepted = cc.preloadTypeScript();
        const ts = require('@tslab/typescript-for-tslab');
        const out = ts.transpileModule('const a: number = 1;', {}).outputText.trim();
        console.log(JSON.stringify({ accepted, saved: cc.saveTypeScriptCodeCache(), out }));`;
      const run = (): { accepted: boolean; saved: boolean; out: string } =>
        JSON.parse(
          execFileSync(process.execPath, ['-e', script], {
            env: { ...process.env, XDG_CACHE_HOME: xdg, PTMC_KERNEL_CODE_CACHE: '' },
            cwd: join(__dirname, '..', '..', '..'),
          }).toString(),
        );
      const first = run();
      assert.deepEqual(first, { accepted: false, saved: true, out: 'var a = 1;' });
      assert.equal(readdirSync(join(xdg, 'ptm-conformity')).filter((f) => f.endsWith('.v8cache')).length, 1);
      const second = run();
      assert.deepEqual(second, { accepted: true, saved: false, out: 'var a = 1;' });
    } finally {
      rmSync(xdg, { recursive: true, force: true });
    }
  });
});
