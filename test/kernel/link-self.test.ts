import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';

/** A fake checkout holding package.json and scripts/link-self.js; returns the script's output. */
function fakeRepo(root: string, name = 'ptm-conformity', withNodeModules = true): () => string {
  mkdirSync(join(root, 'scripts'), { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name }));
  copyFileSync(join(packageRoot(), 'scripts', 'link-self.js'), join(root, 'scripts', 'link-self.js'));
  if (withNodeModules) mkdirSync(join(root, 'node_modules'));
  return () =>
    execFileSync(process.execPath, [join(root, 'scripts', 'link-self.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('scripts/link-self.js', () => {
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), 'ptm-link-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('links node_modules/ptm-conformity to the checkout, idempotently', () => {
    const run = fakeRepo(join(tmp, 'repo'));
    assert.match(run(), /linked node_modules\/ptm-conformity -> \.\./);
    const link = join(tmp, 'repo', 'node_modules', 'ptm-conformity');
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readlinkSync(link), '..');
    assert.equal(realpathSync(link), realpathSync(join(tmp, 'repo')));
    assert.match(run(), /already links to the repository/);
  });

  it('does nothing inside node_modules, in another package, without node_modules, or over an existing entry', () => {
    assert.match(fakeRepo(join(tmp, 'node_modules', 'ptm-conformity'))(), /installed as a dependency/);
    assert.equal(existsSync(join(tmp, 'node_modules', 'ptm-conformity', 'node_modules', 'ptm-conformity')), false);
    assert.match(fakeRepo(join(tmp, 'other'), 'other-pkg')(), /not the ptm-conformity checkout/);
    assert.match(fakeRepo(join(tmp, 'bare'), 'ptm-conformity', false)(), /no node_modules folder/);
    const run = fakeRepo(join(tmp, 'taken'));
    mkdirSync(join(tmp, 'taken', 'node_modules', 'ptm-conformity'));
    assert.match(run(), /exists; left as it is/);
  });

  it('never fails the install (a failure is a warning on stderr, exit 0)', () => {
    const run = fakeRepo(join(tmp, 'broken'), 'ptm-conformity', false);
    writeFileSync(join(tmp, 'broken', 'node_modules'), 'a file where a folder should be');
    assert.equal(run(), ''); // execFileSync throws on a non-zero exit
  });

  it('is wired into the prepare script after tsc', () => {
    const pkg = require(join(packageRoot(), 'package.json')) as { scripts: Record<string, string> };
    // the project's own TypeScript, named by path: npm may link node_modules/.bin/tsc to tslab's TypeScript 5.0
    assert.equal(pkg.scripts.prepare, 'node node_modules/typescript/bin/tsc -p tsconfig.json && node scripts/link-self.js');
  });
});
