import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { InputError, SchemaError, UsageError } from '../../src/util/errors.js';
import { packageRoot } from '../../src/util/package-root.js';
import { loadReportInput } from '../../src/report/load.js';
import { renderReport, renderReportBuffer } from '../../src/report/render.js';
import { CLAUSES } from '../../src/results/clauses.js';
import { pageContaining, pdfFonts, pdfPages, pdfText, pixelStats, qpdfCheck, renderPage } from './pdf.js';

const FIXTURE = join(packageRoot(), 'test', 'fixtures', 'results', 'bundle');

describe('report/renderReport', function () {
  this.timeout(120000);
  let tmp: string;
  let zh: string;
  let en: string;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ptmc-report-'));
    zh = join(tmp, 'zh.pdf');
    en = join(tmp, 'en.pdf');
    await renderReport(FIXTURE, { lang: 'zh', out: zh });
    await renderReport(join(FIXTURE, 'results'), { lang: 'en', out: en });
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes PDFs that pass qpdf --check', () => {
    for (const f of [zh, en]) {
      const r = qpdfCheck(f);
      assert.equal(r.status, 0, r.out);
      assert.match(r.out, /No syntax or stream encoding errors/);
      assert.ok(pdfPages(f) >= 10, 'cover, contents, summary, clauses, two appendices');
    }
  });

  it('has every clause number and both the Chinese and the English clause title, in both languages', () => {
    for (const f of [zh, en]) {
      const text = pdfText(f);
      for (const c of CLAUSES) {
        assert.ok(text.includes(c.clause), `${f}: clause ${c.clause}`);
        assert.ok(text.includes(c.title.zh), `${f}: ${c.title.zh}`);
        assert.ok(text.includes(c.title.en), `${f}: ${c.title.en}`);
      }
    }
  });

  it('is in the chosen language: labels, verdicts and bilingual rationales', () => {
    const tz = pdfText(zh);
    const te = pdfText(en);
    assert.ok(tz.includes('预训练模型质量符合性评价报告'));
    assert.ok(tz.includes('不符合'), 'zh verdict of 6.3.4');
    assert.ok(tz.includes('第4章全部'), 'zh rationale of 6.2');
    assert.ok(tz.includes('附录A 运行环境') && tz.includes('附录B 证据清单'));
    assert.ok(te.includes('Conformity Evaluation Report'));
    assert.ok(te.includes('Summary of verdicts'));
    assert.ok(te.includes("All chapter-4 'shall' items are present"), 'en rationale of 6.2');
    assert.ok(te.includes('Appendix A Environment') && te.includes('Appendix B Evidence manifest'));
  });

  it('shows claims vs measured, the execution error, providers with fallbacks and the file hashes', () => {
    const te = pdfText(en);
    assert.match(te, /eff-latency[\s\S]*52\.31[\s\S]*not met/);
    assert.match(te, /execution failed: Error: membership attack needs a 'train' data set/);
    assert.match(te.replace(/\s+/g, ' '), /cuda onnxruntime-node was installed without CUDA binaries/, 'fallback reason in appendix A');
    const sha = readFileSync(join(FIXTURE, 'results', '6.3.6.json'));
    const hex = createHash('sha256').update(sha).digest('hex');
    assert.ok(te.replace(/\s+/g, '').includes(hex), 'manifest appendix lists the result hash');
  });

  it('has a running header with the model hash and page numbers', () => {
    const page3 = pdfText(en, 3);
    const sha = JSON.parse(readFileSync(join(FIXTURE, 'results', '6.2.json'), 'utf8')).modelSha256 as string;
    assert.ok(page3.includes(`Model SHA-256: ${sha}`));
    assert.match(page3, /Page 3 of \d+/);
    assert.match(pdfText(zh, 4), /第 4 页 \/ 共 \d+ 页/);
  });

  it('embeds its fonts as subsets (pdffonts: emb yes, sub yes)', () => {
    const fonts = pdfFonts(zh);
    assert.ok(fonts.length >= 2);
    for (const f of fonts) {
      assert.equal(f.emb, 'yes', f.name);
      assert.equal(f.sub, 'yes', f.name);
      assert.match(f.name, /^[A-Z]{6}\+NotoSansSC/);
    }
  });

  it('draws the figure as a vector graphic on its page (non-blank, plot colours present)', () => {
    const page = pageContaining(en, 'Figure 6.3.6-1');
    assert.ok(page > 0);
    const png = renderPage(en, page, 50, join(tmp, 'fig'));
    const { nonWhite, counts } = pixelStats(png, [
      [0x1f, 0x77, 0xb4],
      [0xd6, 0x27, 0x28],
    ]);
    assert.ok(nonWhite > 0.03, `non-white share ${nonWhite}`);
    assert.ok(counts[0]! > 50, `blue series pixels ${counts[0]}`);
    assert.ok(counts[1]! > 50, `red series pixels ${counts[1]}`);
    const blank = renderPage(en, pageContaining(en, 'Appendix A Environment'), 50, join(tmp, 'env'));
    assert.equal(pixelStats(blank, [[0x1f, 0x77, 0xb4]]).counts[0], 0, 'no figure colour on a page without figures');
  });

  it('is byte-identical across runs with SOURCE_DATE_EPOCH', async () => {
    const old = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1764300000';
    try {
      const a = await renderReportBuffer(FIXTURE, 'zh');
      const b = await renderReportBuffer(FIXTURE, 'zh');
      assert.ok(a.equals(b), 'identical bytes');
      assert.ok(a.toString('latin1').includes('D:20251128'), 'creation date from SOURCE_DATE_EPOCH');
    } finally {
      if (old === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = old;
    }
  });
});

describe('report/input errors', () => {
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), 'ptmc-report-bad-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('missing folder → InputError naming it', () => {
    assert.throws(
      () => loadReportInput(join(tmp, 'nope')),
      (e: unknown) => e instanceof InputError && e.file === join(tmp, 'nope'),
    );
  });

  it('a folder without results → InputError', () => {
    assert.throws(
      () => loadReportInput(tmp),
      (e: unknown) => e instanceof InputError && /no clause result/.test((e as Error).message),
    );
  });

  it('an invalid result → SchemaError naming file and JSON path, and no PDF written', async () => {
    cpSync(FIXTURE, tmp, { recursive: true });
    const f = join(tmp, 'results', '6.3.4.json');
    const doc = JSON.parse(readFileSync(f, 'utf8'));
    doc.verdict = 'passed';
    writeFileSync(f, JSON.stringify(doc));
    const out = join(tmp, 'r.pdf');
    await assert.rejects(
      renderReport(tmp, { lang: 'en', out }),
      (e: unknown) => e instanceof SchemaError && e.file === f && e.field === '/verdict',
    );
    assert.equal(existsSync(out), false);
  });

  it('two results for one clause → InputError', () => {
    cpSync(FIXTURE, tmp, { recursive: true });
    cpSync(join(tmp, 'results', '6.2.json'), join(tmp, 'results', 'copy.json'));
    assert.throws(
      () => loadReportInput(tmp),
      (e: unknown) => e instanceof InputError && e.field === '/clause' && e.clause === '6.2',
    );
  });

  it('unknown language → UsageError', async () => {
    await assert.rejects(renderReport(FIXTURE, { lang: 'fr' as 'en', out: join(tmp, 'x.pdf') }), UsageError);
  });
});

describe('cli/ptmc report', function () {
  this.timeout(60000);
  let tmp: string;
  before(() => (tmp = mkdtempSync(join(tmpdir(), 'ptmc-report-cli-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  async function ptmc(args: string[]): Promise<{ code: number; err: string }> {
    const e = process.stderr.write.bind(process.stderr);
    let err = '';
    process.stderr.write = ((s: string | Uint8Array) => ((err += String(s)), true)) as typeof process.stderr.write;
    try {
      return { code: await main(args), err };
    } finally {
      process.stderr.write = e;
    }
  }

  it('writes the PDF (exit 0); missing -o, a bad --lang or a missing folder exit 2', async () => {
    const out = join(tmp, 'r.pdf');
    assert.equal((await ptmc(['report', FIXTURE, '-o', out, '--lang', 'en'])).code, 0);
    assert.equal(readFileSync(out).subarray(0, 5).toString(), '%PDF-');
    const noOut = await ptmc(['report', FIXTURE]);
    assert.equal(noOut.code, 2);
    assert.match(noOut.err, /missing -o report\.pdf/);
    assert.equal((await ptmc(['report', FIXTURE, '-o', out, '--lang', 'de'])).code, 2);
    assert.equal((await ptmc(['report', join(tmp, 'none'), '-o', out])).code, 2);
  });
});
