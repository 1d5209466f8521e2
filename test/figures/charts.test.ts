import { strict as assert } from 'node:assert';
import { barChart, binCounts, histogram, lineChart, paretoFront, scatterChart } from '../../src/figures/charts.js';
import { figureText, PALETTE, withAlpha } from '../../src/figures/style.js';
import { forestPlot, heatmap, imageGrid, rocCurve } from '../../src/figures/charts-eval.js';

type Trace = Record<string, unknown>;
type Obj = Record<string, unknown>;

describe('figures/style', () => {
  it('picks bilingual text per language (titles on two lines when both)', () => {
    const t = { zh: '准确率', en: 'Accuracy' };
    assert.equal(figureText(t, 'zh'), '准确率');
    assert.equal(figureText(t, 'en'), 'Accuracy');
    assert.equal(figureText(t, 'both'), '准确率 / Accuracy');
    assert.equal(figureText(t, 'both', 'title'), '准确率<br>Accuracy');
    assert.equal(figureText('AUC', 'zh'), 'AUC');
    assert.equal(withAlpha('#0072B2', 0.2), 'rgba(0,114,178,0.2)');
  });
});

describe('figures/charts', () => {
  it('lineChart: a band is an invisible upper bound and a filled lower bound before the line', () => {
    const f = lineChart({
      x: [1, 2],
      series: [
        { name: 'acc', y: [0.9, 0.8], low: [0.85, 0.7], high: [0.95, 0.9] },
        { name: 'f1', y: [0.7, 0.6] },
      ],
      xTitle: 'x',
      yTitle: 'y',
      title: { zh: '标题', en: 'Title' },
      lang: 'en',
    });
    const d = f.data as Trace[];
    assert.equal(d.length, 4);
    assert.deepEqual(d[0].y, [0.95, 0.9]);
    assert.equal(d[1].fill, 'tonexty');
    assert.equal(d[1].fillcolor, withAlpha(PALETTE[0], 0.18));
    assert.deepEqual(d[2].y, [0.9, 0.8]);
    assert.equal(d[2].name, 'acc');
    assert.equal((d[3].line as Obj).color, PALETTE[1]);
    assert.equal((f.layout!.title as Obj).text, 'Title');
    assert.equal(((f.layout!.xaxis as Obj).title as Obj).text, 'x');
    assert.deepEqual(JSON.parse(JSON.stringify(f)), f, 'plain JSON');
  });

  it('barChart: asymmetric error bars from low/high; horizontal bars list the first category on top', () => {
    const f = barChart({
      categories: ['a', 'b'],
      series: [{ name: 'v', values: [10, 20], low: [8, 15], high: [11, 26] }],
      orientation: 'h',
    });
    const t = (f.data as Trace[])[0];
    assert.deepEqual(t.x, [10, 20]);
    assert.deepEqual(t.y, ['a', 'b']);
    assert.deepEqual((t.error_x as Obj).array, [1, 6]);
    assert.deepEqual((t.error_x as Obj).arrayminus, [2, 5]);
    assert.equal((f.layout!.yaxis as Obj).autorange, 'reversed');
  });

  it('histogram: equal-width bins computed here, the maximum in the last bin', () => {
    assert.deepEqual(binCounts([0, 1, 2, 3, 4, NaN, 9], 0, 1, 4), [1, 1, 1, 2]);
    const f = histogram({ series: [{ name: 'v', values: [0, 0.5, 1, 1.5, 2] }], bins: 2 });
    const t = (f.data as Trace[])[0];
    assert.deepEqual(t.x, [0.5, 1.5]);
    assert.deepEqual(t.y, [2, 3]);
    assert.equal(t.width, 1);
    const n = histogram({ series: [{ name: 'v', values: [1, 1, 1, 3] }], bins: 2, normalize: true });
    assert.deepEqual((n.data as Trace[])[0].y, [0.75, 0.25]);
  });

  it('paretoFront / scatterChart: non-dominated points (min x, max y) as a step line', () => {
    assert.deepEqual(paretoFront([1, 2, 3], [0.8, 0.7, 0.9]), [0, 2]);
    assert.deepEqual(paretoFront([10, 20, 15, 40, 35], [0.8, 0.85, 0.78, 0.9, 0.86]), [0, 1, 4, 3]);
    assert.deepEqual(paretoFront([1, 2], [0.5, 0.9], { maximizeY: false }), [0]);
    assert.deepEqual(paretoFront([1, 1], [0.5, 0.5]), [0, 1], 'ties are kept');
    const f = scatterChart({ series: [{ name: 's', x: [1, 2, 3], y: [0.8, 0.7, 0.9] }], pareto: {}, lang: 'en' });
    const front = (f.data as Trace[])[1];
    assert.equal(front.name, 'Pareto front');
    assert.deepEqual(front.x, [1, 3]);
    assert.equal((front.line as Obj).shape, 'hv');
  });

  it('forestPlot: whiskers, reference line and the interval text per row', () => {
    const f = forestPlot({ rows: [{ label: 'A', estimate: 0.9, low: 0.85, high: 0.93 }], reference: 0.8, xTitle: 'AUC' });
    const t = (f.data as Trace[])[0];
    assert.deepEqual((t.error_x as Obj).arrayminus, [0.9 - 0.85]);
    assert.equal((f.layout!.shapes as Obj[])[0].x0, 0.8);
    assert.equal((f.layout!.annotations as Obj[])[0].text, '0.900 [0.850, 0.930]');
  });

  it('rocCurve: AUC in the legend and the chance diagonal', () => {
    const f = rocCurve({ curves: [{ name: 'm', fpr: [0, 0.5, 1], tpr: [0, 0.9, 1], auc: 0.7 }], lang: 'en' });
    const d = f.data as Trace[];
    assert.equal(d[0].name, 'm (AUC = 0.700)');
    assert.deepEqual(d[1].x, [0, 1]);
    assert.equal(d[1].name, 'chance');
  });

  it('heatmap: one annotation per cell, row shares, white text on dark cells', () => {
    const f = heatmap({
      z: [
        [8, 2],
        [1, 9],
      ],
      x: ['n', 'p'],
      y: ['n', 'p'],
      normalize: 'row',
    });
    const t = (f.data as Trace[])[0];
    assert.deepEqual(t.z, [
      [0.8, 0.2],
      [0.1, 0.9],
    ]);
    const a = f.layout!.annotations as Obj[];
    assert.equal(a.length, 4);
    assert.equal(a[0].text, '8<br>(80.0%)');
    assert.equal((a[0].font as Obj).color, '#FFFFFF');
    assert.equal((a[1].font as Obj).color, '#222222');
    assert.equal((f.layout!.yaxis as Obj).autorange, 'reversed');
  });

  it('imageGrid: one subplot per image, masks overlaid, square pixels, deterministic layout', () => {
    const z = [
      [0, 1],
      [1, 0],
    ];
    const spec = {
      images: [
        { title: 'a', z },
        {
          title: 'b',
          z,
          mask: [
            [0, 1],
            [0, 0],
          ],
        },
        { z },
      ],
      columns: 2,
    };
    const f = imageGrid(spec);
    const d = f.data as Trace[];
    assert.equal(d.length, 4);
    assert.deepEqual(
      d.map((t) => t.xaxis),
      ['x', 'x2', 'x2', 'x3'],
    );
    assert.equal((f.layout!.yaxis3 as Obj).scaleanchor, 'x3');
    assert.equal((f.layout!.annotations as Obj[]).length, 2);
    assert.deepEqual(imageGrid(spec), f);
  });
});
