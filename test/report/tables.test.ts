import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderHtmlReportString } from '../../src/report/html/render.js';
import { renderReport } from '../../src/report/render.js';
import { packageRoot } from '../../src/util/package-root.js';
import { pdfPages, pdfText } from './pdf.js';

const FIXTURE = join(packageRoot(), 'test', 'fixtures', 'results', 'bundle');
const CT_62 = join(packageRoot(), 'test', 'fixtures', 'results', 'ct-6.2');

/** Twelve numeric columns: at a full page width each is narrow, so a number would wrap if it could. */
const WIDE_COLUMNS = [
  'group',
  'zzUnknownColumnId',
  'pValue',
  'exitCode',
  'n',
  'samples',
  'speedup',
  'low',
  'high',
  'ratio',
  'steps',
  'runs',
];

describe('report/tables: settings, bilingual cells, numbers and column labels', function () {
  this.timeout(120000);
  let tmp: string;
  let zh: string;
  let en: string;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ptmc-tables-'));
    cpSync(FIXTURE, join(tmp, 'b'), { recursive: true });
    const file = join(tmp, 'b', 'results', '6.3.4.json');
    const r = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    r['settings'] = {
      trainable: { lastLayers: 2, from: '/up3/ConvTranspose' },
      batchSizes: [1, 8, 32],
      mode: { zh: '冻结前缀', en: 'frozen prefix' },
    };
    r['tables'] = [
      {
        name: 'wide',
        columns: WIDE_COLUMNS,
        rows: [
          [
            { zh: '测试分组甲', en: 'test group A' },
            'x',
            0.000123456,
            0,
            36110336,
            123456789,
            3.14159,
            0.99991,
            1.23456,
            12345.678,
            1000000,
            7,
          ],
        ],
      },
    ];
    writeFileSync(file, JSON.stringify(r));
    zh = join(tmp, 'zh.pdf');
    en = join(tmp, 'en.pdf');
    await renderReport(join(tmp, 'b'), { lang: 'zh', out: zh });
    await renderReport(join(tmp, 'b'), { lang: 'en', out: en });
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('shows nested settings as key-value rows (dotted keys, comma lists), never as JSON', () => {
    for (const f of [zh, en]) {
      const t = pdfText(f);
      assert.match(t, /trainable\.lastLayers\s+2\n/, f);
      assert.match(t, /trainable\.from\s+\/up3\/ConvTranspose/, f);
      assert.match(t, /batchSizes\s+1, 8, 32/, f);
      assert.ok(!t.includes('{"'), `${f}: no JSON`);
    }
  });

  it('shows a bilingual cell and setting in the report language only', () => {
    const tz = pdfText(zh);
    const te = pdfText(en);
    assert.ok(tz.includes('测试分组甲') && tz.includes('冻结前缀'));
    assert.ok(!tz.includes('test group A') && !tz.includes('frozen prefix'));
    assert.ok(te.includes('test group A') && te.includes('frozen prefix'));
    assert.ok(!te.includes('测试分组甲') && !te.includes('冻结前缀'));
  });

  it('labels known column ids per language and shows an unknown id as it is', () => {
    const tz = pdfText(zh);
    const te = pdfText(en);
    assert.ok(tz.includes('zzUnknownColumnId') && te.includes('zzUnknownColumnId'));
    assert.match(tz, /p\s?值/);
    assert.match(tz, /退出码/);
    assert.match(te, /p-value/);
    assert.match(te, /exit code/);
    assert.ok(!/\bpValue\b|\bexitCode\b/.test(te), 'no raw ids of labelled columns');
  });

  it('HTML: settings as key-value rows, bilingual cells per language, column labels, unknown id as code', async () => {
    const html = await renderHtmlReportString(join(tmp, 'b'), { lang: 'en' });
    const zhEn = (zh: string, en: string) => `<span class="zh" lang="zh-CN">${zh}</span><span class="en" lang="en">${en}</span>`;
    assert.ok(html.includes('<td class=""><code>trainable.lastLayers</code></td><td class="">2</td>'), 'dotted key, value');
    assert.ok(html.includes('<code>batchSizes</code></td><td class="">1, 8, 32</td>'));
    assert.ok(html.includes(zhEn('冻结前缀', 'frozen prefix')));
    assert.ok(html.includes(zhEn('测试分组甲', 'test group A')));
    assert.ok(html.includes(`<th>${zhEn('p 值', 'p-value')}</th>`));
    assert.ok(html.includes('<th><code>zzUnknownColumnId</code></th>'));
    assert.ok(html.includes('<td class="num">36,110,336</td>'));
    assert.ok(!html.includes('{&quot;lastLayers'), 'no JSON settings');
  });

  it('never splits a number across lines (formatted with separators and 4 significant digits)', () => {
    for (const f of [zh, en]) {
      const t = pdfText(f);
      for (const n of ['36,110,336', '123,456,789', '0.0001235', '3.142', '0.9999', '1.235', '12,350', '1,000,000'])
        assert.ok(t.includes(n), `${f}: ${n} whole on one line`);
    }
  });
});

describe('report/tables: 6.2 of the CT case', function () {
  this.timeout(120000);
  let tmp: string;

  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ptmc-ct62-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('fits in at most 4 pages, with every itemised check in appendix C, item labels in one language', async () => {
    for (const lang of ['zh', 'en'] as const) {
      const out = join(tmp, `${lang}.pdf`);
      await renderReport(CT_62, { lang, out });
      // the first page after the contents (page 2) that holds the heading
      const after = (needle: string) => {
        for (let p = 3; p <= pdfPages(out); p++) if (pdfText(out, p).includes(needle)) return p;
        return 0;
      };
      const start = after(lang === 'zh' ? '6.2 预训练模型说明' : '6.2 Pre-trained model description');
      const next = after(lang === 'zh' ? '6.3.1 可训练性' : '6.3.1 Trainability');
      assert.ok(start > 2 && next > start, `${start} ${next}`);
      // the clause sections start on a new page: 6.3.1 (not evaluated) begins right after 6.2's last page
      assert.ok(next - start <= 4, `6.2 takes ${next - start} pages`);
      const appendix = after(lang === 'zh' ? '附录C 6.2 逐项核查明细' : 'Appendix C Itemised checks of 6.2');
      assert.ok(appendix > next && appendix < pdfPages(out) + 1);
      const tail = Array.from({ length: pdfPages(out) - appendix + 1 }, (_, i) => pdfText(out, appendix + i)).join('\n');
      // 86 completeness items, e.g. /modelId, all of them in the appendix
      assert.ok(tail.includes('/modelId') && tail.includes('/applicability'));
      if (lang === 'zh') assert.ok(tail.includes('模型标识') && !tail.includes('model identifier'));
      else assert.ok(tail.includes('model identifier') && !tail.includes('模型标识'));
    }
  });
});
