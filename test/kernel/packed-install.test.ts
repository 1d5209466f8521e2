/**
 * Outside the repository, from a packed tarball: `npm pack` → an empty folder → `npm i <tarball>` →
 * `npx ptmc kernel install --prefix DIR` → a notebook there that imports the library runs on that
 * kernelspec (nbconvert --execute), and its figure and table render in headless Chromium.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';
import { dark, JUPYTER, nbconvertHtml, region, saturated, screenshot, screenshotToolsMissing } from '../notebook/screenshot.js';

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 400000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} (in ${cwd}) failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const cell = (id: string, source: string) => ({ cell_type: 'code', id, metadata: {}, execution_count: null, outputs: [], source });

describe('packed install outside the repository: npm pack → npm i → ptmc kernel install → a notebook runs and renders', function () {
  this.timeout(600000);
  let tmp: string;

  before(function () {
    const npm = spawnSync('npm', ['--version'], { encoding: 'utf8' });
    if (npm.status !== 0) {
      if (process.env.CI === 'true') throw new Error('npm is not available: the packed-install test never skips in CI');
      console.log('      (skipped: npm pack is not possible here)');
      this.skip();
    }
    const missing = screenshotToolsMissing();
    if (missing) {
      if (process.env.CI === 'true') throw new Error(missing);
      console.log(`      (skipped: ${missing})`);
      this.skip();
    }
    tmp = mkdtempSync(join(tmpdir(), 'ptmc-packed-'));
  });
  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the tarball ships dist, the kernel, templates and notebooks; the notebook shows its figure and table', () => {
    // --ignore-scripts: `prepare` (tsc) already ran for this checkout (npm test builds first).
    sh('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', tmp], packageRoot());
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    assert.ok(tgz, 'npm pack wrote a tarball');
    const list = sh('tar', ['-tzf', join(tmp, tgz)], tmp);
    for (const p of [
      'dist/src/index.js',
      'dist/src/kernel/launcher.js',
      'kernel/',
      'templates/',
      'notebooks/6.3.6-robustness.ipynb',
      'bin/ptmc.js',
    ])
      assert.ok(list.includes(`package/${p}`), `the tarball has ${p}`);

    const proj = join(tmp, 'project');
    mkdirSync(proj);
    // What README's "Outside the repository" asks of a project: danfojs-node's tfjs-node replaced by the
    // pure-JS tfjs the library uses (one TensorFlow.js), and onnxruntime-node's CUDA download skipped.
    const overrides = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { overrides: object }).overrides;
    writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'outside', version: '1.0.0', private: true, overrides }, null, 2));
    writeFileSync(join(proj, '.npmrc'), 'onnxruntime-node-install=skip\n');
    sh('npm', ['i', join(tmp, tgz), '--prefer-offline', '--no-audit', '--no-fund', '--silent'], proj);
    assert.ok(existsSync(join(proj, 'node_modules', 'ptm-conformity', 'dist', 'src', 'index.js')));

    const prefix = join(tmp, 'jupyter');
    sh('npx', ['--no-install', 'ptmc', 'kernel', 'install', '--prefix', prefix], proj);
    const spec = JSON.parse(readFileSync(join(prefix, 'share', 'jupyter', 'kernels', 'ptm-typescript', 'kernel.json'), 'utf8')) as {
      argv: string[];
    };
    assert.ok(
      spec.argv[1]!.startsWith(join(proj, 'node_modules', 'ptm-conformity')),
      `the kernelspec runs the installed copy: ${spec.argv[1]}`,
    );

    const nb = {
      cells: [
        cell(
          'plot',
          "import { displayPlot, lineChart, displayTable } from 'ptm-conformity';\n" +
            "displayPlot(lineChart({ x: [0, 1, 2, 3], series: [{ name: 'dice', y: [0.9, 0.85, 0.7, 0.6] }], title: 'outside' }));",
        ),
        cell('table', "displayTable([{ sample: 'a', dice: 0.91 }, { sample: 'b', dice: 0.42 }, { sample: 'c', dice: 0.77 }]);"),
      ],
      metadata: { kernelspec: { name: 'ptm-typescript', display_name: 'TypeScript (ptm-conformity)', language: 'typescript' } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    writeFileSync(join(proj, 'outside.ipynb'), JSON.stringify(nb, null, 1));
    const env = { JUPYTER_PATH: join(prefix, 'share', 'jupyter'), JUPYTER_DATA_DIR: join(tmp, 'data') };
    sh(
      JUPYTER,
      [
        'nbconvert',
        '--to',
        'notebook',
        '--execute',
        '--ExecutePreprocessor.kernel_name=ptm-typescript',
        'outside.ipynb',
        '--output',
        'run.ipynb',
      ],
      proj,
      env,
    );
    type Out = { output_type: string; name?: string; data?: Record<string, unknown> };
    const run = JSON.parse(readFileSync(join(proj, 'run.ipynb'), 'utf8')) as { cells: { outputs: Out[] }[] };
    const outs = run.cells.flatMap((c) => c.outputs);
    assert.ok(!outs.some((o) => o.output_type === 'stream' && o.name === 'stderr'), JSON.stringify(outs).slice(0, 2000));
    assert.ok(outs.some((o) => o.data && 'image/svg+xml' in o.data) && outs.some((o) => o.data && 'text/html' in o.data));

    const html = nbconvertHtml(join(proj, 'run.ipynb'), env);
    assert.match(readFileSync(html, 'utf8'), /<table[\s\S]*0\.42/);
    const img = screenshot(html, join(tmp, 'shot.png'), 1000, 1000);
    const colour = region(img, saturated);
    assert.ok(colour.count > 300 && colour.x1 - colour.x0 > 200, `the figure's coloured trace: ${JSON.stringify(colour)}`);
    const below = region({ ...img, height: img.height - colour.y1 - 1, data: img.data.subarray(4 * img.width * (colour.y1 + 1)) }, dark);
    assert.ok(below.count > 300, `table text below the figure: ${below.count} dark pixels`);
  });
});
