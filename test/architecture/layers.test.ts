import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLAUSES } from '../../src/results/clauses.js';
import { packageRoot } from '../../src/util/package-root.js';

const ROOT = packageRoot();

describe('architecture: one house a newcomer can read', () => {
  it('imports run one way between the folders of src/ and no file imports itself round a cycle (dependency-cruiser)', function () {
    this.timeout(60_000);
    const bin = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
    const out = execFileSync(process.execPath, [bin, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    }).toString();
    const report = JSON.parse(out) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
    assert.deepEqual(
      report.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`),
      [],
    );
  });

  it('every clause of the registry has its notebook, its source folder and its test folder, named after it', () => {
    for (const c of CLAUSES) {
      assert.ok(existsSync(join(ROOT, 'notebooks', `${c.notebook}.ipynb`)), `notebooks/${c.notebook}.ipynb`);
      assert.ok(existsSync(join(ROOT, 'src', 'clauses', c.notebook, 'evaluate.ts')), `src/clauses/${c.notebook}/evaluate.ts`);
      assert.ok(
        readdirSync(join(ROOT, 'test', 'clauses', c.notebook)).some((f) => f.endsWith('.test.ts')),
        `test/clauses/${c.notebook}/`,
      );
    }
    const folders = readdirSync(join(ROOT, 'src', 'clauses'), { withFileTypes: true }).filter(
      (d) => d.isDirectory() && /^6\./.test(d.name),
    );
    assert.deepEqual(folders.map((d) => d.name).sort(), CLAUSES.map((c) => c.notebook).sort());
  });

  it('the public surface lists its names: no `export *` in src/index.ts', () => {
    const index = readFileSync(join(ROOT, 'src', 'index.ts'), 'utf8');
    assert.doesNotMatch(index, /export \*/);
    assert.match(index, /export \{ evaluateRobustness, type RobustnessOptions \} from '\.\/clauses\/6\.3\.6-robustness\/evaluate\.js';/);
  });
});
