import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bundled } from './helpers.js';

const PY = '/usr/bin/python3';
const havePython = existsSync(PY) && spawnSync(PY, ['-c', 'import numpy, sklearn'], { encoding: 'utf8' }).status === 0;

describe('bundled cases: committed data match data.sha256, and the scripts re-create them', () => {
  for (const name of ['ct-body-segmentation', 'breast-cancer-classifier'] as const) {
    const dir = bundled(name);
    it(`${name}: every data file has the hash in data.sha256`, () => {
      const lines = readFileSync(join(dir, 'data.sha256'), 'utf8').trim().split('\n');
      assert.ok(lines.length > 5);
      let bytes = 0;
      for (const l of lines) {
        const [hash, rel] = l.split('  ');
        const buf = readFileSync(join(dir, rel!));
        bytes += buf.length;
        assert.equal(createHash('sha256').update(buf).digest('hex'), hash, rel);
      }
      for (const f of ['model.onnx', 'description.json', 'claims.json', 'case.json']) bytes += statSync(join(dir, f)).size;
      assert.ok(bytes <= 10 * 2 ** 20, `case artefacts ${bytes} bytes > 10 MiB`);
    });
    (havePython ? it : it.skip)(`${name}: make_case.py --check regenerates byte-identical data`, function () {
      this.timeout(120000);
      const r = spawnSync(PY, ['make_case.py', '--check'], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /re-created with identical SHA-256/);
    });
  }
});
