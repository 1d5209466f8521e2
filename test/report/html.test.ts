import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { reportFont } from '../../src/figures/fonts.js';
import { PAGE_CSP } from '../../src/report/html/page.js';
import { renderHtmlReport, renderHtmlReportString } from '../../src/report/html/render.js';
import { reportStrings } from '../../src/report/strings.js';
import { CLAUSES } from '../../src/results/clauses.js';
import type { ClauseResult } from '../../src/results/types.js';
import { packageRoot } from '../../src/util/package-root.js';
import { CHROMIUM, dark, region, screenshot } from '../notebook/screenshot.js';

const FIXTURE = join(packageRoot(), 'test', 'fixtures', 'results', 'bundle');
/** Time Chromium gives the page's scripts (virtual time: plotly draws within it). */
const BUDGET = ['--virtual-time-budget=15000'];

/** A fontconfig that adds the report's CJK font, so Chinese text renders on a machine without CJK fonts. */
function fontEnv(dir: string): NodeJS.ProcessEnv {
  const f = reportFont();
  const conf = join(dir, 'fonts.conf');
  writeFileSync(
    conf,
    '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n' +
      '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n' +
      `<dir>${dirname(f.regular)}</dir>\n<dir>${dirname(f.bold)}</dir>\n<cachedir>${join(dir, 'fc-cache')}</cachedir>\n</fontconfig>\n`,
  );
  return { FONTCONFIG_FILE: conf };
}

/** The DOM after the page's scripts ran (Chromium `--dump-dom`), without blocking the event loop (a test server may be listening). */
function dumpDom(file: string, env: NodeJS.ProcessEnv): Promise<string> {
  const args = ['--headless', '--no-sandbox', '--disable-gpu', ...BUDGET, '--dump-dom', `file://${file}`];
  return new Promise((res, rej) =>
    execFile(CHROMIUM, args, { env: { ...process.env, ...env }, maxBuffer: 256 * 2 ** 20, timeout: 180000 }, (e, out, err) =>
      e ? rej(new Error(`${CHROMIUM} --dump-dom failed: ${e.message}\n${err}`)) : res(out),
    ),
  );
}

/** src/href/xlink:href attribute values of a DOM that point at the network (http:, https:, protocol-relative). */
function networkRefs(dom: string): string[] {
  return [...dom.matchAll(/\s(?:src|href|xlink:href|srcset|action|data)\s*=\s*["']?\s*((?:https?:)?\/\/[^"'\s>]*)/gi)].map((m) => m[1]!);
}

function needChromium(ctx: Mocha.Context): void {
  if (existsSync(CHROMIUM)) return;
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: CI installs Debian's chromium`);
  ctx.skip();
}

describe('report/html: the self-contained HTML report', function () {
  this.timeout(300000);
  let tmp: string;
  let html: string;
  let file: string;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ptmc-html-'));
    file = join(tmp, 'report.html');
    await renderHtmlReport(FIXTURE, { lang: 'zh', out: file });
    html = readFileSync(file, 'utf8');
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('is one file: plotly.js inlined once, a CSP that loads nothing, no reference to the network or the disk', () => {
    assert.equal(html.split('* plotly.js v').length, 2, 'plotly.js exactly once');
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
    assert.ok(csp && html.indexOf(csp[0]) < html.indexOf('<script'), 'the CSP comes before any script');
    assert.equal(csp![1], PAGE_CSP);
    assert.match(PAGE_CSP, /^default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:;/);
    // outside the inlined library, no attribute names a URL or a file: figures are data URIs or inline JSON
    const page = html.replace(/<script>\/\* plotly\.js[\s\S]*?<\/script>/, '');
    assert.deepEqual(networkRefs(page), []);
    assert.doesNotMatch(page, /\s(?:src|href)="(?!#|data:image\/(?:svg\+xml|png);base64,)/, 'only anchors and data URIs');
    assert.doesNotMatch(page, /<link\b|@import|url\(/i);
  });

  it('has the sections, verdicts, findings, claims and tables of the PDF, in both languages', () => {
    for (const lang of ['zh', 'en'] as const) {
      const s = reportStrings(lang);
      for (const k of ['reportTitle', 'summary', 'clauses', 'decisionRules', 'appendixEnv', 'appendixManifest', 'claimsVsMeasured'])
        assert.ok(html.includes(s[k]!), `${lang} ${k}`);
      assert.ok(html.includes(`<span class="verdict v-fail"><span class="zh" lang="zh-CN">${reportStrings('zh').verdicts.fail}`));
      assert.ok(html.includes(s.verdicts.fail) && html.includes(s.verdicts.inconclusive), `${lang} verdicts`);
    }
    for (const c of CLAUSES) assert.ok(html.includes(`id="clause-${c.clause.replace(/\./g, '-')}"`), `section of ${c.clause}`);
    // the 6.3.4 claim, its measured value and verdict; the 6.3.6 sweep table; the 6.3.9 execution error; both rationales of 6.3.6
    assert.match(html, /eff-latency[\s\S]{0,400}52\.31[\s\S]{0,300}v-fail/);
    // its column ids with their labels in both languages (扰动 / corruption), the numbers in numeric cells
    assert.match(html, /<th><span class="zh" lang="zh-CN">扰动<\/span><span class="en" lang="en">corruption<\/span><\/th>[\s\S]*gaussian/);
    assert.match(html, /<td class="num">0\.93<\/td>/);
    assert.ok(html.includes('execution failed: Error: membership attack needs a &#39;train&#39; data set (cell 4)'));
    assert.ok(html.includes('<span class="zh" lang="zh-CN">全部声称满足。</span><span class="en" lang="en">all 1 claim(s) met</span>'));
    // the language the page opens in, and the switch
    assert.match(html, /<html lang="zh-CN" data-lang="zh">/);
    assert.ok(
      html.includes(`<button id="lang-switch" type="button">${'<span class="zh" lang="zh-CN">'}${reportStrings('zh').switchLanguage}`),
    );
  });

  it('draws the figure from its plotly JSON and falls back to the static SVG when there is none', () => {
    assert.match(html, /<div class="plot interactive" id="plot-6-3-6-1"><img class="static" src="data:image\/svg\+xml;base64,/);
    assert.match(html, /<script type="application\/json" id="plot-6-3-6-1-data">\{"data":\[\{"type":"scatter"/);
    assert.match(html, /<div class="plot" id="plot-6-3-4-1"><img class="static" src="data:image\/svg\+xml;base64,/);
  });

  it('escapes every string of the results and keeps figure data inside its script element', async () => {
    const dir = join(tmp, 'hostile');
    cpSync(FIXTURE, dir, { recursive: true });
    const f = join(dir, 'results', '6.3.6.json');
    const r = JSON.parse(readFileSync(f, 'utf8')) as ClauseResult;
    r.rationale = { zh: '<script>document.title="pwned"</script>', en: '<img src=x onerror="document.title=1">' };
    r.claims[0]!.id = '"><b id="inj">';
    r.tables[0]!.columns[0] = '<i>c</i>';
    r.figures.push({ name: 'out', path: 'figures/6.3.6-severity.svg', plotly: '../../../../etc/passwd' });
    writeFileSync(f, JSON.stringify(r));
    const fig = join(dir, 'figures', '6.3.6-severity.plotly.json');
    const data = JSON.parse(readFileSync(fig, 'utf8'));
    data.layout.title.text = '</script><script>document.title="x"</script><a href="http://127.0.0.1:9/">l</a>';
    data.layout.images = [{ source: 'http://127.0.0.1:9/i.png' }, { source: 'data:image/png;base64,AAAA' }];
    writeFileSync(fig, JSON.stringify(data));
    const h = await renderHtmlReportString(dir, { lang: 'en' });
    for (const bad of ['<script>document.title', '<img src=x', '<b id="inj">', '<i>c</i>', 'http://127.0.0.1:9'])
      assert.ok(!h.includes(bad), `raw ${bad}`);
    assert.ok(h.includes('&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;'));
    assert.ok(h.includes('&quot;&gt;&lt;b id=&quot;inj&quot;&gt;'));
    assert.ok(
      h.includes('\\u003c/script>\\u003cscript>document.title=\\"x\\"\\u003c/script>l'),
      'the figure title, </script> escaped, link dropped',
    );
    assert.ok(h.includes('"images":[{},{"source":"data:image/png;base64,AAAA"}]'), 'only inline images stay');
    assert.match(h, /<div class="plot" id="plot-6-3-6-2">/, 'a figure whose JSON leaves the bundle is not drawn from it');
  });

  it('opens in headless Chromium with no network request, even for markup that got past the escaping', async function () {
    needChromium(this);
    let hits: string[] = [];
    const server: Server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('x');
    });
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as AddressInfo).port;
    try {
      const probe = (p: string) =>
        `<img src="http://127.0.0.1:${port}/${p}-img"><link rel="stylesheet" href="http://127.0.0.1:${port}/${p}-css">` +
        `<script>fetch('http://127.0.0.1:${port}/${p}-fetch').catch(function(){});</script>`;
      // control: the same markup in a page without the CSP reaches the server, so the probe can see a request
      const control = join(tmp, 'control.html');
      writeFileSync(control, `<!DOCTYPE html><html><body>${probe('control')}</body></html>`);
      await dumpDom(control, {});
      assert.ok(
        hits.some((u) => u.startsWith('/control-')),
        `the control page made requests: ${JSON.stringify(hits)}`,
      );
      hits = [];
      const injected = join(tmp, 'injected.html');
      writeFileSync(injected, html.replace('<main>', `<main>${probe('report')}`));
      const dom = await dumpDom(injected, fontEnv(tmp));
      assert.deepEqual(hits, [], 'the CSP blocked every request');
      const page = dom.replace(/<script>\/\* plotly\.js[\s\S]*?<\/script>/, '');
      assert.deepEqual(
        networkRefs(page).filter((u) => !u.includes(`127.0.0.1:${port}`)),
        [],
        'no network reference in the DOM the scripts built',
      );
      // plotly drew the 6.3.6 figure (two scatter traces) in place of its static image; 6.3.4 keeps its image
      const plot = /<div class="plot interactive js-plotly-plot" id="plot-6-3-6-1"[\s\S]*?<\/figure>/.exec(page)?.[0] ?? '';
      assert.match(plot, /class="main-svg"/);
      assert.equal(plot.match(/class="trace scatter/g)?.length, 2, 'two traces drawn');
      assert.doesNotMatch(plot, /<img class="static"/);
      assert.match(page, /<div class="plot" id="plot-6-3-4-1"><img class="static"/);
    } finally {
      server.close();
    }
  });

  it('a screenshot shows the summary table and the figure plotly drew (Chinese, and English after the switch)', async function () {
    needChromium(this);
    // one clause with a figure, its static SVG removed: the trace pixels can only come from plotly
    const dir = join(tmp, 'shot');
    cpSync(FIXTURE, dir, { recursive: true });
    for (const c of ['6.2', '6.3.4', '6.3.9']) rmSync(join(dir, 'results', `${c}.json`));
    rmSync(join(dir, 'figures', '6.3.6-severity.svg'));
    const out = join(tmp, 'shot.html');
    await renderHtmlReport(dir, { lang: 'zh', out });
    const page = readFileSync(out, 'utf8');
    assert.ok(page.includes('figure not embedded') || page.includes(reportStrings('zh').figureMissing), 'no static fallback left');
    const env = fontEnv(tmp);
    const png = process.env.PTMC_HTML_SCREENSHOT ?? join(tmp, 'shot.png');
    const img = screenshot(out, png, 1200, 5200, { args: BUDGET, env });
    // summary table: rows of dark text in the first screen, below the cover fields
    const text = region(img, dark);
    assert.ok(text.count > 20000, `dark text pixels: ${text.count}`);
    // the traces: plotly's #1f77b4 and #d62728 lines, each spanning most of the plot's width
    const near = (c: [number, number, number]) => (r: number, g: number, b: number) =>
      Math.abs(r - c[0]) < 14 && Math.abs(g - c[1]) < 14 && Math.abs(b - c[2]) < 14;
    const blue = region(img, near([31, 119, 180]));
    const red = region(img, near([214, 39, 40]));
    for (const [name, t] of [
      ['blue', blue],
      ['red', red],
    ] as const) {
      assert.ok(t.count > 400, `${name} trace pixels: ${t.count}`);
      assert.ok(t.x1 - t.x0 > 250, `${name} trace spans ${t.x1 - t.x0} px`);
      assert.ok(t.y0 > text.y0 + 600, `${name} trace below the summary (${t.y0})`);
    }
    // the English page (the switch's other state): the same figure, English labels
    const en = screenshot(`${out}#en`, join(tmp, 'shot-en.png'), 1200, 5200, { args: BUDGET, env });
    assert.ok(region(en, near([31, 119, 180])).count > 400, 'figure drawn in the English view');
  });

  it('ptmc report --format html writes report.html (into a folder given as -o DIR/); pdf stays the default', async () => {
    const dir = join(tmp, 'cli');
    assert.equal(await main(['report', FIXTURE, '-o', `${dir}/`, '--format', 'html', '--lang', 'en']), 0);
    const h = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.match(h, /<html lang="en" data-lang="en">/);
    assert.equal(await main(['report', FIXTURE, '-o', `${dir}/`]), 0);
    assert.equal(readFileSync(join(dir, 'report.pdf')).subarray(0, 5).toString(), '%PDF-');
    assert.equal(await main(['report', FIXTURE, '-o', `${dir}/`, '--format', 'docx']), 2);
  });
});
