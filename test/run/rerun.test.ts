import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareClauseResults, compareTimings } from '../../src/evidence/compare.js';
import { packageRoot } from '../../src/util/package-root.js';
import { notebook, writesResult } from './notebooks.js';
import { pdfText } from '../report/pdf.js';

const CASE = join(packageRoot(), 'examples', 'breast-cancer-classifier');
const PTMC = join(packageRoot(), 'bin', 'ptmc.js');

function ptmc(args: string[]): Promise<{ code: number | null; out: string }> {
  const p = spawn(process.execPath, [PTMC, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (b: Buffer) => (out += b.toString()));
  p.stderr.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((r) => p.once('exit', (code) => r({ code, out })));
}

describe('run/ptmc verify --rerun', function () {
  this.timeout(400000);
  let tmp: string;
  let nb: string;
  let bundle: string;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ptmc-rerun-test-'));
    nb = join(tmp, 'nb');
    mkdirSync(nb);
    symlinkSync(join(packageRoot(), 'node_modules'), join(nb, 'node_modules'));
    // 6.3.5 measures the seed (deterministic), 6.3.7 an unseeded random number (leaks randomness)
    writeFileSync(join(nb, '6.3.5-repeatability.ipynb'), notebook([writesResult('6.3.5', 'seed / 100')]));
    writeFileSync(join(nb, '6.3.7-generalization.ipynb'), notebook([writesResult('6.3.7', 'Math.random()')]));
    bundle = join(tmp, 'bundle');
    const r = await ptmc(['run', '--case', CASE, '--only', '6.3.5,6.3.7', '--notebooks', nb, '--out', bundle, '--seed', '7']);
    assert.equal(r.code, 0, r.out);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('custom templates: marked on the PDF cover, in summary.json and in the manifest (which notebooks ran)', () => {
    const cover = pdfText(join(bundle, 'report.pdf'), 1).replace(/\s+/g, '');
    assert.match(cover, /自定义模板（--notebooks）/);
    assert.ok(cover.includes(nb.replace(/\s+/g, '')), 'the folder is named');
    assert.equal(JSON.parse(readFileSync(join(bundle, 'summary.json'), 'utf8')).customTemplates, true);
    const m = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8'));
    assert.equal(m.templates.custom, true);
    assert.deepEqual(
      m.templates.notebooks.map((n: { name: string }) => n.name),
      ['6.3.5-repeatability.ipynb', '6.3.7-generalization.ipynb'],
    );
    assert.equal(m.run.options.seed, 7);
  });

  it('re-runs with the recorded seed: the seeded clause is identical, the unseeded one differs (exit 1, path named)', async () => {
    const r = await ptmc(['verify', '--rerun', bundle, '--notebooks', nb]);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /re-run DIFFERS \(2 clause\(s\)/);
    assert.match(r.out, /6\.3\.5 +identical/);
    assert.match(r.out, /6\.3\.7 +differs \(2\)\n +\/claims\/0\/measured: 0\.\d+ ≠ 0\.\d+\n +\/measurements\/0\/value:/);
  });

  it('refuses to run templates other than the recorded ones, and a bundle that does not verify', async () => {
    let r = await ptmc(['verify', '--rerun', bundle]);
    assert.equal(r.code, 1);
    assert.match(
      r.out,
      /NOT re-run — the template notebooks that made the bundle are not the ones in .*notebooks: 6\.3\.5-repeatability\.ipynb/,
    );
    appendFileSync(join(bundle, 'results', '6.3.5.json'), ' ');
    r = await ptmc(['verify', '--rerun', bundle, '--notebooks', nb]);
    assert.equal(r.code, 1);
    assert.match(r.out, /changed: results\/6\.3\.5\.json/);
    assert.match(r.out, /NOT re-run — the bundle does not verify/);
  });

  it('compares timings by CI overlap, everything else for identity', () => {
    const a = { clause: '6.3.4', measurements: [{ name: 'latencyMs', unit: 'ms', value: 10, ci: { low: 9, high: 11 } }] };
    const b = { clause: '6.3.4', measurements: [{ name: 'latencyMs', unit: 'ms', value: 12, ci: { low: 10.5, high: 13 } }] };
    const c = { clause: '6.3.4', measurements: [{ name: 'latencyMs', unit: 'ms', value: 20, ci: { low: 19, high: 21 } }] };
    assert.equal(compareTimings(a, b)[0]!.status, 'overlap');
    assert.equal(compareTimings(a, c)[0]!.status, 'disjoint');
    assert.deepEqual(compareClauseResults(a, c, ['/x', '/y']).differences, []);
    const d = { ...a, clause: '6.3.7', verdict: 'pass', claims: [{ id: 'k', met: true }] };
    const e = { ...a, clause: '6.3.7', verdict: 'pass', claims: [{ id: 'k', met: false }] };
    assert.deepEqual(compareClauseResults(d, e, ['/x', '/y']).differences, ['/claims/0/met: true ≠ false']);
    // the machine's load is not the model's: a timing-* finding present in one run only is no difference
    const load = { id: 'timing-loaded-machine', severity: 'minor', text: { zh: '负载 9.3', en: 'load 9.3' } };
    assert.deepEqual(compareClauseResults({ ...d, findings: [load] }, { ...d, findings: [] }, ['/x', '/y']).differences, []);
    const other = { id: 'rob-ood', severity: 'major', text: { zh: '分布外', en: 'ood' } };
    assert.deepEqual(compareClauseResults({ ...d, findings: [other] }, { ...d, findings: [] }, ['/x', '/y']).differences, [
      `/findings/0: ${JSON.stringify(other)} ≠ undefined`,
    ]);
  });
});
