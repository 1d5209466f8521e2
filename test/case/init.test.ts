import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASE_SKELETON, initCase } from '../../src/case/init.js';
import { caseCommand } from '../../src/cli/commands/case.js';
import { InputError, UsageError } from '../../src/util/errors.js';
import { packageRoot } from '../../src/util/package-root.js';
import { assertValid } from '../../src/util/schema.js';

describe('case/initCase and ptmc case init', () => {
  it('writes the three skeletons, each valid against its schema', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ptmc-init-')), 'new');
    const files = initCase(dir);
    assert.deepEqual(
      files,
      Object.keys(CASE_SKELETON).map((f) => join(dir, f)),
    );
    for (const [name, tpl] of Object.entries(CASE_SKELETON)) {
      const text = readFileSync(join(dir, name), 'utf8');
      assert.equal(text, readFileSync(join(packageRoot(), 'templates', tpl), 'utf8'));
      assertValid(JSON.parse(text), tpl.replace('.template.json', '.schema.json'), name);
    }
  });

  it('refuses a non-empty directory and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptmc-init-'));
    writeFileSync(join(dir, 'keep.txt'), 'x');
    assert.throws(
      () => initCase(dir),
      (e: unknown) => e instanceof InputError && e.constructor === InputError && /not empty/.test((e as Error).message),
    );
    await assert.rejects(caseCommand.run(['init', dir]), InputError);
    assert.equal(readFileSync(join(dir, 'keep.txt'), 'utf8'), 'x');
  });

  it('rejects a missing sub-command as usage', async () => {
    await assert.rejects(caseCommand.run(['make', 'x']), UsageError);
  });
});
