import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { FIGURE_FONT_FAMILY, reportFont } from '../../src/figures/fonts.js';
import { figureJson, renderPlotlySvg, saveFigure } from '../../src/figures/render.js';
import { heatmap } from '../../src/figures/charts-eval.js';
import { lineChart } from '../../src/figures/charts.js';
import { lineExtent, textWidth } from '../../src/figures/text-metrics.js';
import { plotlyWindow } from '../../src/figures/window.js';
import { InputError } from '../../src/util/errors.js';

const fontkit = require('fontkit') as {
  openSync(p: string): { glyphForCodePoint(c: number): { advanceWidth: number }; unitsPerEm: number; ascent: number; descent: number };
};

const parseSvg = (svg: string): Document => {
  const doc = new new JSDOM('').window.DOMParser().parseFromString(svg, 'image/svg+xml');
  assert.equal(doc.getElementsByTagName('parsererror').length, 0, 'SVG must be well-formed XML');
  return doc;
};

const knownLine = lineChart({
  x: [0, 0.05, 0.1, 0.2],
  series: [
    { name: { zh: '准确率', en: 'Accuracy' }, y: [0.9, 0.88, 0.8, 0.7], low: [0.87, 0.85, 0.76, 0.65], high: [0.93, 0.91, 0.84, 0.75] },
  ],
  xTitle: { zh: '噪声标准差', en: 'Noise level sigma' },
  yTitle: { zh: '准确率', en: 'Accuracy' },
  title: { zh: '高斯噪声鲁棒性', en: 'Robustness to Gaussian noise' },
});

describe('figures/render', function () {
  this.timeout(60000);
  let svg = '';
  before(async () => {
    svg = await renderPlotlySvg(knownLine, { width: 640, height: 400 });
  });

  it('renders a known line chart to well-formed standalone SVG with axis titles and the trace path', () => {
    const doc = parseSvg(svg);
    const root = doc.documentElement;
    assert.equal(root.tagName, 'svg');
    assert.equal(root.getAttribute('xmlns'), 'http://www.w3.org/2000/svg');
    assert.equal(root.getAttribute('width'), '640');
    assert.equal(root.getAttribute('viewBox'), '0 0 640 400');
    assert.equal(doc.getElementsByTagName('foreignObject').length, 0);
    assert.ok(!/(?:xlink:)?href="(?!#|data:)/.test(svg), 'no external references');
    const texts = Array.from(doc.getElementsByTagName('text')).map((t) => t.textContent);
    assert.ok(texts.includes('噪声标准差 / Noise level sigma'), `x title in ${JSON.stringify(texts)}`);
    assert.ok(texts.includes('准确率 / Accuracy'));
    const lines = Array.from(doc.querySelectorAll('path.js-line')).map((p) => p.getAttribute('d') ?? '');
    assert.equal(lines.length, 3, 'band upper, band lower, line');
    assert.match(lines[2], /^M[\d.]+,[\d.]+L[\d.]+,[\d.]+L[\d.]+,[\d.]+L[\d.]+,[\d.]+$/);
    assert.ok(svg.includes('Noto Sans SC'), 'font-family names the report font');
    assert.ok(FIGURE_FONT_FAMILY.endsWith('sans-serif'));
  });

  it('measures text with the report font: advance sums × size / unitsPerEm (hand-checked)', () => {
    const font = fontkit.openSync(reportFont().regular);
    const units = [...'Accuracy 准确率'].reduce((s, c) => s + font.glyphForCodePoint(c.codePointAt(0)!).advanceWidth, 0);
    // Noto Sans SC: A 608, c 510, c 510, u 607, r 388, a 563, c 510, y 521, space 224, CJK 1000 each.
    assert.equal(units, 608 + 510 + 510 + 607 + 388 + 563 + 510 + 521 + 224 + 3000);
    assert.equal(font.unitsPerEm, 1000);
    assert.ok(Math.abs(textWidth('Accuracy 准确率', 12) - 89.292) < 1e-9);
    assert.ok(Math.abs(textWidth('准确率', 14) - 42) < 1e-9);
    assert.ok(Math.abs(lineExtent(12).height - ((1160 + 288) * 12) / 1000) < 1e-9);
    // The jsdom window answers the SVG text APIs with the same numbers.
    const { window } = plotlyWindow();
    const doc = window.document;
    const s = doc.createElementNS('http://www.w3.org/2000/svg', 'svg');
    const t = doc.createElementNS('http://www.w3.org/2000/svg', 'text');
    t.setAttribute('x', '10');
    t.setAttribute('y', '20');
    t.style.fontSize = '12px';
    t.textContent = 'Accuracy 准确率';
    s.appendChild(t);
    doc.body.appendChild(s);
    try {
      assert.ok(Math.abs(t.getComputedTextLength() - 89.292) < 1e-9);
      const r = t.getBoundingClientRect();
      assert.ok(Math.abs(r.width - 89.292) < 1e-9);
      assert.ok(Math.abs(r.left - 10) < 1e-9);
      assert.ok(Math.abs(r.top - (20 - 13.92)) < 1e-9, `top ${r.top}`);
      assert.ok(Math.abs(r.height - 17.376) < 1e-9);
      t.setAttribute('text-anchor', 'middle');
      assert.ok(Math.abs(t.getBoundingClientRect().left - (10 - 89.292 / 2)) < 1e-9);
    } finally {
      doc.body.removeChild(s);
    }
  });

  it('gives the same SVG for the same figure (seeded ids) and different ids for different figures', async () => {
    assert.equal(await renderPlotlySvg(knownLine, { width: 640, height: 400 }), svg);
    const other = await renderPlotlySvg({ data: [{ x: [1, 2], y: [2, 1] }] });
    const id = (s: string): string => /<defs id="([^"]+)"/.exec(s)![1];
    assert.notEqual(id(other), id(svg));
  });

  it('paints heatmaps through the canvas stub as an embedded PNG with the right cell colours', async () => {
    const fig = heatmap({ z: [[0, 10]], x: ['a', 'b'], y: ['r'], annotate: false });
    const out = await renderPlotlySvg(fig, { width: 300, height: 200 });
    const href = /<image[^>]*href="data:image\/png;base64,([^"]+)"/.exec(out);
    assert.ok(href, 'an <image> with a PNG data URI');

    const { PNG } = require('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } } };
    const png = PNG.sync.read(Buffer.from(href[1], 'base64'));
    assert.ok(png.width >= 2 && png.height >= 1);
    const at = (fx: number): number[] => {
      const o = (Math.floor(png.height / 2) * png.width + Math.floor(png.width * fx)) * 4;
      return [...png.data.subarray(o, o + 4)];
    };
    assert.deepEqual(at(0.25), [255, 255, 255, 255], 'zmin cell is white');
    assert.deepEqual(at(0.75), [0x00, 0x72, 0xb2, 255], 'zmax cell is the house blue');
  });

  it('saveFigure writes figures/<clause>-<name>.svg and its .plotly.json atomically and returns the FigureRef', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptmc-fig-'));
    try {
      const ref = await saveFigure(dir, '6.3.6', 'severity', knownLine, {
        width: 640,
        height: 400,
        title: { zh: '严重度', en: 'Severity' },
      });
      assert.deepEqual(ref, {
        name: 'severity',
        path: 'figures/6.3.6-severity.svg',
        plotly: 'figures/6.3.6-severity.plotly.json',
        title: { zh: '严重度', en: 'Severity' },
      });
      assert.equal(readFileSync(join(dir, ref.path), 'utf8'), svg);
      assert.deepEqual(readdirSync(join(dir, 'figures')).sort(), ['6.3.6-severity.plotly.json', '6.3.6-severity.svg']);
      // the interactive copy the HTML report draws: the same traces, the rendered size
      const copy = JSON.parse(readFileSync(join(dir, ref.plotly!), 'utf8'));
      assert.deepEqual(copy.data, JSON.parse(JSON.stringify(knownLine.data)));
      assert.equal(copy.layout.width, 640);
      assert.equal(copy.layout.height, 400);
      await assert.rejects(saveFigure(dir, '6.3.6', '../evil', knownLine), InputError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts typed arrays and NaN (as gaps) in traces', async () => {
    assert.equal(figureJson({ y: new Float32Array([1, NaN]), n: 2n }), '{"y":[1,null],"n":2}');
    const out = await renderPlotlySvg({
      data: [{ type: 'scatter', mode: 'lines', x: new Float64Array([1, 2, 3]), y: new Int32Array([3, 1, 2]) }],
    });
    const d = /class="js-line"[^>]*\sd="([^"]+)"/.exec(out) ?? /\sd="([^"]+)"[^>]*class="js-line"/.exec(out);
    assert.ok(d, 'a line path');
    assert.equal(d[1].split('L').length, 3, 'three points');
  });

  it('rejects a figure without a data array', async () => {
    await assert.rejects(renderPlotlySvg({} as never), (e: unknown) => e instanceof InputError && /data array/.test((e as Error).message));
  });

  it('embeds in a PDF through pdfmake (svg-to-pdfkit): the axis titles come back through pdftotext', async function () {
    if (spawnSync('pdftotext', ['-v']).error) {
      // poppler-utils not installed: .ci/run installs it, so in CI this must run.
      if (process.env.CI === 'true') assert.fail('pdftotext is missing: apt-get install poppler-utils');
      this.skip();
    }

    const pdfmake = require('pdfmake') as {
      setFonts(f: unknown): void;
      setUrlAccessPolicy(f: unknown): void;
      setLocalAccessPolicy(f: unknown): void;
      createPdf(d: unknown): { getBuffer(): Promise<Buffer> };
    };
    const f = reportFont();
    pdfmake.setUrlAccessPolicy(() => false);
    pdfmake.setLocalAccessPolicy((p: string) => p === f.regular || p === f.bold);
    pdfmake.setFonts({ [f.family]: { normal: f.regular, bold: f.bold, italics: f.regular, bolditalics: f.bold } });
    const pdf = await pdfmake.createPdf({ defaultStyle: { font: f.family }, content: [{ svg, width: 480 }] }).getBuffer();
    const dir = mkdtempSync(join(tmpdir(), 'ptmc-pdf-'));
    try {
      const file = join(dir, 'fig.pdf');
      writeFileSync(file, pdf);
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      assert.ok(text.includes('噪声标准差 / Noise level sigma'), text);
      assert.ok(text.includes('高斯噪声鲁棒性'), text);
      assert.ok(text.includes('0.05'), 'tick labels');
      if (existsSync('/usr/bin/pdffonts')) {
        const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
        assert.match(fonts, /[A-Z]{6}\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('renders 10 figures, each a complete SVG with its own title and series (timing printed)', async () => {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    for (let i = 0; i < 10; i++) {
      const svg = await renderPlotlySvg(
        lineChart({
          x: [0, 1, 2, 3],
          series: [{ name: `s${i}`, y: [i, i + 1, i * 0.5, 2] }],
          xTitle: 'x',
          yTitle: 'y',
          title: `figure ${i}`,
        }),
      );
      assert.match(svg, /^(<\?xml[^>]*>\s*)?<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.match(svg, /<\/svg>\s*$/);
      assert.ok(svg.includes(`figure ${i}`), `title of figure ${i}`);
      assert.match(svg, /class="js-line"/, `the line of figure ${i}`);
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const cpu = process.cpuUsage(c0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    console.log(
      `      10 figures: ${ms.toFixed(0)} ms wall (${(ms / 10).toFixed(1)} ms per figure), ${(cpuMs / 10).toFixed(1)} ms CPU per figure`,
    );
  });
});
