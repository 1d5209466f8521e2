import { strict as assert } from 'node:assert';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyBundle } from '../../src/evidence/verify.js';
import { type BundleManifest } from '../../src/evidence/manifest.js';
import { main } from '../../src/cli/main.js';
import { packageRoot } from '../../src/util/package-root.js';
import { assertValid } from '../../src/util/schema.js';
import type { ClauseResult } from '../../src/results/types.js';
import { pdfText, qpdfCheck } from '../report/pdf.js';

const CASE = join(packageRoot(), 'examples', 'breast-cancer-classifier');

/** A tiny TypeScript notebook: a `parameters` cell, then `cells`. */
function notebook(cells: string[]): string {
  const code = (source: string, i: number, tags?: string[]) => ({
    cell_type: 'code',
    execution_count: null,
    id: `c${i}`,
    metadata: tags ? { tags } : {},
    outputs: [],
    source,
  });
  return JSON.stringify(
    {
      cells: [
        code("const casePath = '';\nconst outDir = 'out';\nconst ep = 'cpu';\nconst lang = 'en';\nconst seed = 1;", 0, ['parameters']),
        ...cells.map((c, i) => code(c, i + 1)),
      ],
      metadata: {
        kernelspec: { display_name: 'TypeScript (ptm-conformity)', language: 'typescript', name: 'ptm-typescript' },
        language_info: { name: 'typescript' },
      },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  );
}

/** Cells that write a passing ClauseResult (and one figure) for `clause`, hashing the case's model. */
function writesResult(clause: string, en: string, zh: string, verdict = 'pass'): string[] {
  return [
    "import * as fs from 'fs';\nimport * as path from 'path';\nimport * as crypto from 'crypto';",
    `const spec = JSON.parse(fs.readFileSync(path.join(casePath, 'case.json'), 'utf8'));
const sha = crypto.createHash('sha256').update(fs.readFileSync(path.join(casePath, spec.model))).digest('hex');
fs.mkdirSync(path.join(outDir, 'results'), { recursive: true });
fs.mkdirSync(path.join(outDir, 'figures'), { recursive: true });
fs.writeFileSync(path.join(outDir, 'figures', '${clause}-bars.svg'), '<svg xmlns="http://www.w3.org/2000/svg" ` +
      `width="300" height="120"><rect x="10" y="10" width="120" height="100" fill="#1f77b4"/><rect x="150" ` +
      `y="40" width="120" height="70" fill="#d62728"/></svg>');
const result = {
  clause: '${clause}', title: { zh: '${zh}', en: '${en}' }, verdict: '${verdict}', rationale: 'demo', coverage: [], findings: [],
  claims: [{ id: 'c1', statement: 'demo claim', expected: '>= 0.5', measured: 0.75, met: ${verdict === 'pass'} }],
  measurements: [{ name: 'demo', value: 0.75, unit: '1' }], tables: [],
  figures: [{ name: 'bars', path: 'figures/${clause}-bars.svg' }],
  settings: { seed: seed, ep: ep, lang: lang }, modelSha256: sha,
  environment: { os: 'test', cpu: 'test', memory: '1 GiB', node: process.version, onnxruntime: 'n/a', ` +
      `executionProvider: 'cpu', requestedProvider: ep },
  startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(),
};
fs.writeFileSync(path.join(outDir, 'results', '${clause}.json'), JSON.stringify(result, null, 2));
console.log('wrote ${clause}');`,
  ];
}

function quiet(): { out(): string; restore(): void } {
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  let out = '';
  process.stdout.write = ((s: string | Uint8Array) => ((out += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((out += String(s)), true)) as typeof process.stderr.write;
  return { out: () => out, restore: () => ((process.stdout.write = o), (process.stderr.write = e)) };
}

async function ptmc(args: string[]): Promise<{ code: number; out: string }> {
  const q = quiet();
  try {
    const code = await main(args);
    return { code, out: q.out() };
  } finally {
    q.restore();
  }
}

describe('cli/ptmc run: bad input creates nothing (exit 2)', () => {
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), 'ptmc-run-bad-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('an invalid case → exit 2 with the file and field, no bundle folder', async () => {
    const caseDir = join(tmp, 'case');
    mkdirSync(caseDir);
    writeFileSync(join(caseDir, 'case.json'), JSON.stringify({ name: 'broken', task: 'segmentation' }));
    const out = join(tmp, 'bundle');
    const r = await ptmc(['run', '--case', caseDir, '--out', out]);
    assert.equal(r.code, 2);
    assert.match(r.out, /case\.json/);
    assert.equal(existsSync(out), false);
  });

  it('a missing case folder → exit 2, no bundle folder', async () => {
    const out = join(tmp, 'bundle');
    const r = await ptmc(['run', '--case', join(tmp, 'nope'), '--out', out]);
    assert.equal(r.code, 2);
    assert.equal(existsSync(out), false);
  });

  it('an unknown --only clause, --ep or --lang → exit 2 naming it', async () => {
    const out = join(tmp, 'bundle');
    let r = await ptmc(['run', '--case', CASE, '--out', out, '--only', '6.2,6.3.42']);
    assert.equal(r.code, 2);
    assert.match(r.out, /unknown clause\(s\) in --only: 6\.3\.42/);
    r = await ptmc(['run', '--case', CASE, '--out', out, '--ep', 'tpu']);
    assert.equal(r.code, 2);
    assert.match(r.out, /unknown execution provider "tpu"/);
    r = await ptmc(['run', '--case', CASE, '--out', out, '--lang', 'fr']);
    assert.equal(r.code, 2);
    assert.equal(existsSync(out), false);
  });

  it('a non-empty --out folder → exit 2', async () => {
    const out = join(tmp, 'bundle');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'x');
    const nb = join(tmp, 'nb');
    mkdirSync(nb);
    writeFileSync(join(nb, '6.2-description.ipynb'), notebook(['1']));
    const r = await ptmc(['run', '--case', CASE, '--out', out, '--notebooks', nb]);
    assert.equal(r.code, 2);
    assert.match(r.out, /exists and is not empty/);
    assert.deepEqual(readdirSync(out), ['keep.txt']);
  });
});

describe('cli/ptmc run: one notebook fails, the run goes on', function () {
  this.timeout(240000);
  let tmp: string;
  let out: string;
  let run: { code: number; out: string };

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ptmc-run-'));
    const nb = join(tmp, 'notebooks');
    mkdirSync(nb);
    writeFileSync(join(nb, '6.2-description.ipynb'), notebook(writesResult('6.2', 'Pre-trained model description', '预训练模型说明')));
    writeFileSync(join(nb, '6.3.5-repeatability.ipynb'), notebook(["console.log('ran, but wrote no result');"]));
    writeFileSync(
      join(nb, '6.3.6-robustness.ipynb'),
      notebook(["console.log('before');", "throw new Error('synthetic failure in the robustness notebook');", "console.log('never');"]),
    );
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    writeFileSync(join(tmp, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(tmp, 'pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    out = join(tmp, 'bundle');
    run = await ptmc([
      'run',
      '--case',
      CASE,
      '--out',
      out,
      '--notebooks',
      nb,
      '--lang',
      'en',
      '--seed',
      '7',
      '--ep',
      'cpu',
      '--timeout',
      '120',
      '--sign',
      join(tmp, 'key.pem'),
    ]);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('exits 1 and lists each clause, the failure and the skipped clauses', () => {
    assert.equal(run.code, 1, run.out);
    assert.match(run.out, /6\.2\s+pass/);
    assert.match(
      run.out,
      /6\.3\.6\s+inconclusive\s+0 major finding\(s\)\s+execution failed: Error: synthetic failure in the robustness notebook/,
    );
    assert.match(run.out, /no notebook yet for 6\.3\.1, 6\.3\.2, 6\.3\.3, 6\.3\.4, 6\.3\.7, 6\.3\.8, 6\.3\.9/);
  });

  it('writes one executed notebook and one result per clause that has a notebook', () => {
    assert.deepEqual(readdirSync(join(out, 'notebooks')).sort(), [
      '6.2-description.ipynb',
      '6.3.5-repeatability.ipynb',
      '6.3.6-robustness.ipynb',
    ]);
    assert.deepEqual(readdirSync(join(out, 'results')).sort(), ['6.2.json', '6.3.5.json', '6.3.6.json']);
    const nb = JSON.parse(readFileSync(join(out, 'notebooks', '6.3.6-robustness.ipynb'), 'utf8'));
    assert.equal(nb.nbformat, 4);
    assert.ok(JSON.stringify(nb).includes('synthetic failure'), 'the executed notebook keeps the error output');
  });

  it('passes the case, out folder, ep, lang and seed to the notebooks', () => {
    const r = JSON.parse(readFileSync(join(out, 'results', '6.2.json'), 'utf8')) as ClauseResult;
    assert.equal(r.verdict, 'pass');
    assert.deepEqual(r.settings, { seed: 7, ep: 'cpu', lang: 'en' });
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as BundleManifest;
    assert.equal(r.modelSha256, m.model!.sha256, 'the notebook hashed the model of the injected casePath');
  });

  it('records the failing and the result-less notebook as inconclusive — execution failed', () => {
    const f = JSON.parse(readFileSync(join(out, 'results', '6.3.6.json'), 'utf8')) as ClauseResult;
    assert.equal(f.verdict, 'inconclusive');
    const rationale = f.rationale as { zh: string; en: string };
    assert.match(rationale.en, /^execution failed: Error: synthetic failure in the robustness notebook \(cell \d+\)$/);
    assert.match(rationale.zh, /^笔记本执行失败：Error: synthetic failure in the robustness notebook（单元格 \d+）$/);
    assert.equal(f.error!.ename, 'Error');
    assert.deepEqual(f.title, { zh: '鲁棒性', en: 'Robustness' });
    const m = JSON.parse(readFileSync(join(out, 'results', '6.3.5.json'), 'utf8')) as ClauseResult;
    assert.equal(m.verdict, 'inconclusive');
    assert.deepEqual(m.rationale, {
      zh: '笔记本执行失败：MissingResult: the notebook did not write results/6.3.5.json',
      en: 'execution failed: MissingResult: the notebook did not write results/6.3.5.json',
    });
  });

  it('renders the report with the failed clause inconclusive', () => {
    const pdf = join(out, 'report.pdf');
    assert.equal(qpdfCheck(pdf).status, 0);
    const text = pdfText(pdf);
    assert.match(text, /execution failed: Error: synthetic failure in the robustness notebook/);
    assert.ok(text.includes('Figure 6.2-1'), 'the figure of 6.2 is in the report');
    assert.ok(text.includes('ptmc-wdbc-mlp / 1.0.0'), 'model name and version on the cover');
    // one evaluation period: the report written by the run shows the period the manifest records
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as BundleManifest;
    assert.ok(text.replace(/\s+/g, '').includes(`${m.startedAt}—${m.finishedAt}`), `period ${m.startedAt} — ${m.finishedAt} on the cover`);
    // the HTML report beside it: same failure, same period, self-contained
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /execution failed: Error: synthetic failure in the robustness notebook/);
    assert.ok(html.includes(`${m.startedAt} — ${m.finishedAt}`), 'the same evaluation period in report.html');
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    assert.match(
      html,
      /<div class="plot" id="plot-6-2-1"><img class="static" src="data:image\/svg\+xml;base64,/,
      'the SVG-only figure inlined',
    );
  });

  it('writes a manifest that verifies, with case documents, model, seeds and versions', async () => {
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as BundleManifest;
    assert.deepEqual(
      m.files.map((f) => f.path),
      [
        'figures/6.2-bars.svg',
        'notebooks/6.2-description.ipynb',
        'notebooks/6.3.5-repeatability.ipynb',
        'notebooks/6.3.6-robustness.ipynb',
        'report.html',
        'report.pdf',
        'results/6.2.json',
        'results/6.3.5.json',
        'results/6.3.6.json',
        'summary.json',
      ],
    );
    assert.ok(m.case!.files.some((f) => f.path === 'case.json'));
    assert.ok(m.case!.files.some((f) => f.path === 'claims.json'));
    assert.ok(
      m.case!.files.some((f) => /manifest\.csv$|\.json$/.test(f.path) && f.path.startsWith('data')),
      'data manifests hashed',
    );
    assert.equal(m.model!.path, 'model.onnx');
    assert.deepEqual(m.seeds, { default: 7 });
    assert.equal(m.environment.requestedProvider, 'cpu');
    const v = await verifyBundle(out, { publicKey: join(tmp, 'pub.pem') });
    assert.equal(v.ok, true, JSON.stringify(v));
    assert.equal(v.signature, 'valid', 'signed with --sign');
    assert.equal(await ptmc(['verify', out, '--key', join(tmp, 'pub.pem')]).then((r) => r.code), 0);
    // which code ran: custom templates and their hashes; the signer's key recorded, so verify checks it without --key
    assert.equal(m.templates!.custom, true);
    assert.deepEqual(
      m.templates!.notebooks.map((n) => n.name),
      ['6.2-description.ipynb', '6.3.5-repeatability.ipynb', '6.3.6-robustness.ipynb'],
    );
    const nbHash = createHash('sha256')
      .update(readFileSync(join(m.templates!.dir, '6.2-description.ipynb')))
      .digest('hex');
    assert.equal(m.templates!.notebooks[0]!.sha256, nbHash);
    assert.match(m.signer!.fingerprint, /^SHA256:[0-9a-f]{64}$/);
    const embedded = await verifyBundle(out);
    assert.equal(embedded.signature, 'valid');
    assert.equal(embedded.fingerprint, m.signer!.fingerprint);
    assert.ok(!existsSync(join(out, 'INCOMPLETE')), 'the INCOMPLETE note is gone once the manifest is written');
  });
});

describe('cli/ptmc run: summary.json and --fail-on (CI gating)', function () {
  this.timeout(240000);
  let tmp: string;
  let nb: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ptmc-gate-'));
    nb = join(tmp, 'notebooks');
    mkdirSync(nb);
    writeFileSync(join(nb, '6.2-description.ipynb'), notebook(writesResult('6.2', 'Pre-trained model description', '预训练模型说明')));
    writeFileSync(join(nb, '6.3.7-generalization.ipynb'), notebook(writesResult('6.3.7', 'Generalisation', '泛化性', 'fail')));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('a fail verdict: exit 3 with --fail-on fail or inconclusive, 0 with --fail-on major-finding and without', async () => {
    const codes: Record<string, number> = {};
    for (const gate of ['fail', 'inconclusive', 'major-finding', '']) {
      const out = join(tmp, `bundle-${gate || 'none'}`);
      const r = await ptmc([
        'run',
        '--case',
        CASE,
        '--out',
        out,
        '--notebooks',
        nb,
        '--only',
        '6.2,6.3.7',
        ...(gate ? ['--fail-on', gate] : []),
      ]);
      codes[gate || 'none'] = r.code;
      if (gate === 'fail') assert.match(r.out, /--fail-on holds for: 6\.3\.7 \(exit 3\)/);
    }
    assert.deepEqual(codes, { fail: 3, inconclusive: 3, 'major-finding': 0, none: 0 });
  });

  it('summary.json validates, counts claims per clause, names the paths, and the manifest hashes it', () => {
    const out = join(tmp, 'bundle-fail');
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    assertValid(s, 'summary.schema.json', 'summary.json');
    assert.equal(s.customTemplates, true, 'the notebooks of this run came from --notebooks');
    assert.deepEqual(
      s.clauses.map((c: { clause: string; verdict: string; claims: unknown }) => [c.clause, c.verdict, c.claims]),
      [
        ['6.2', 'pass', { met: 1, notMet: 0, inconclusive: 0 }],
        ['6.3.7', 'fail', { met: 0, notMet: 1, inconclusive: 0 }],
      ],
    );
    assert.deepEqual(s.clauses[1].paths, {
      notebook: 'notebooks/6.3.7-generalization.ipynb',
      result: 'results/6.3.7.json',
      figures: ['figures/6.3.7-bars.svg'],
    });
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as BundleManifest;
    assert.ok(m.files.some((f) => f.path === 'summary.json'));
  });

  it('an unknown --fail-on value is exit 2 naming it, and nothing is written', async () => {
    const out = join(tmp, 'bundle-bad');
    const r = await ptmc(['run', '--case', CASE, '--out', out, '--notebooks', nb, '--fail-on', 'sometimes']);
    assert.equal(r.code, 2);
    assert.match(r.out, /unknown gate condition "sometimes"/);
    assert.equal(existsSync(out), false);
  });
});
