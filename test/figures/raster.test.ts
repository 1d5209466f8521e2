import { strict as assert } from 'node:assert';
import { choosePalette, palettePng } from '../../src/figures/png-palette.js';
import { svgWithRasterFallback } from '../../src/figures/fallback.js';
import { roundNumbers } from '../../src/figures/render.js';

const { PNG } = require('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } } };

describe('figure rasters: palette PNG, sanitiser fallback, SVG number precision', () => {
  it('a few colours are kept exactly (palette PNG decodes to the same pixels)', () => {
    const rgba = Buffer.from([255, 0, 0, 255, 0, 128, 255, 255, 255, 255, 255, 255, 255, 0, 0, 255]);
    const png = palettePng(rgba, 2, 2);
    assert.equal(png[25], 3, 'IHDR colour type 3 (palette)');
    const back = PNG.sync.read(png);
    assert.deepEqual([back.width, back.height], [2, 2]);
    assert.deepEqual([...back.data], [...rgba]);
  });

  it('more than 256 colours: a palette of 256, every pixel mapped to a near colour', () => {
    const w = 32;
    const h = 32;
    const rgba = Buffer.alloc(4 * w * h);
    for (let i = 0; i < w * h; i++) rgba.set([i % 256, (i * 7) % 256, Math.floor(i / 4) % 256, 255], 4 * i);
    const back = PNG.sync.read(palettePng(rgba, w, h));
    let worst = 0;
    for (let i = 0; i < rgba.length; i++) if (i % 4 !== 3) worst = Math.max(worst, Math.abs(back.data[i] - rgba[i]));
    // 1024 distinct colours spread over the RGB cube, 256 kept: no channel is off by more than a quarter of its range.
    assert.ok(worst <= 64, `worst channel error ${worst}`);
    const counts = new Map<number, number>();
    for (let c = 0; c < 300; c++) counts.set(c * 50000, 300 - c);
    const pal = choosePalette(counts);
    assert.equal(pal.length, 256);
    assert.equal(pal[0], 0, 'the most frequent colour first');
  });

  it('the SVG gets a content-derived id and its PNG as CSS background (what lxml clean_html keeps)', () => {
    const png = palettePng(Buffer.from([1, 2, 3, 255]), 1, 1);
    const svg = svgWithRasterFallback('<svg width="4" height="4" class="main-svg"><rect width="4" height="4"/></svg>', png);
    const head = /^<svg id="(ptmc-fig-[0-9a-f]{16})" width="4" height="4" class="main-svg"><style>/;
    const m = new RegExp(head.source + /svg#([\w-]+)\{background:url\(data:image\/png;base64,([^)]+)\)/.source).exec(svg);
    assert.ok(m, svg);
    assert.equal(m[1], m[2]);
    assert.equal(m[3], png.toString('base64'));
    assert.ok(svg.endsWith('</style><rect width="4" height="4"/></svg>'));
    assert.notEqual(svgWithRasterFallback('<svg width="5" height="4"></svg>', png).slice(0, 40), svg.slice(0, 40), 'ids differ per figure');
  });

  it('attribute numbers are rounded to 1/100 px', () => {
    assert.equal(roundNumbers('translate(193.98000000000002,0) scale(0.5)'), 'translate(193.98,0) scale(0.5)');
    assert.equal(roundNumbers('M-0.0001,12.3456L1.995,2'), 'M0,12.35L2,2');
    assert.equal(roundNumbers('fill: rgb(255, 0, 0); opacity: 0.25'), 'fill: rgb(255, 0, 0); opacity: 0.25');
  });
});

describe('figures/compact: large heatmaps as image traces in the interactive copy', function () {
  this.timeout(60000);
  it("an image grid's 40×40 panels become image traces showing the SVG's own PNGs; a 10×10 heatmap stays", async () => {
    const { imageGrid } = require('../../src/figures/charts-eval.js') as typeof import('../../src/figures/charts-eval.js');
    const { renderPlotlySvg } = require('../../src/figures/render.js') as typeof import('../../src/figures/render.js');
    const { compactTraces } = require('../../src/figures/compact.js') as typeof import('../../src/figures/compact.js');
    const big = Array.from({ length: 40 }, (_, i) => Array.from({ length: 40 }, (_, j) => (i * j) % 7));
    const small = Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => i + j));
    const fig = imageGrid({
      images: [
        { title: 'a', z: big },
        { title: 'b', z: small },
      ],
      columns: 2,
    });
    const svg = await renderPlotlySvg(fig);
    const uris = [...svg.matchAll(/href="(data:image\/png;base64,[^"]*)"/g)].map((m) => m[1]);
    assert.equal(uris.length, 2);
    const out = compactTraces(fig.data, svg);
    assert.equal(out[0].type, 'image');
    assert.equal(out[0].source, uris[0]);
    assert.deepEqual([out[0].x0, out[0].y0, out[0].dx, out[0].dy, out[0].xaxis], [0, 0, 1, 1, 'x']);
    assert.equal(out[1], fig.data[1], 'the 10×10 heatmap is kept as it is');
    assert.ok(JSON.stringify(out).length < JSON.stringify(fig.data).length);
  });
});

describe('figures/render pruneSvg', () => {
  it('drops unreferenced clip paths and empty groups, keeps referenced ones', () => {
    const { pruneSvg } = require('../../src/figures/render.js') as typeof import('../../src/figures/render.js');
    const svg =
      '<svg><defs><clipPath id="a"><rect/></clipPath><clipPath class="c" id="b"><rect x="1"/></clipPath></defs>' +
      '<g class="x"><g class="y"/></g><g clip-path="url(#b)"><rect/></g></svg>';
    assert.equal(
      pruneSvg(svg),
      '<svg><defs><clipPath class="c" id="b"><rect x="1"/></clipPath></defs><g clip-path="url(#b)"><rect/></g></svg>',
    );
  });
});
