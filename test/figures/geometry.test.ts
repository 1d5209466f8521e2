import { strict as assert } from 'node:assert';
import { JSDOM } from 'jsdom';
import { clientBox, flattenPath, localBox, parseTransform, pathLength, pointAtLength, transformBox } from '../../src/figures/geometry.js';
import { parseColor } from '../../src/figures/canvas.js';
import { lineExtent, textWidth } from '../../src/figures/text-metrics.js';

const close = (a: number, b: number, eps = 1e-9): void => assert.ok(Math.abs(a - b) < eps, `${a} ≠ ${b}`);

describe('figures/geometry', () => {
  it('parses transforms: translate, rotate about a point, scale, matrix', () => {
    assert.deepEqual(parseTransform('translate(10,5)'), [1, 0, 0, 1, 10, 5]);
    assert.deepEqual(parseTransform('scale(2)'), [2, 0, 0, 2, 0, 0]);
    assert.deepEqual(parseTransform('matrix(1,2,3,4,5,6)'), [1, 2, 3, 4, 5, 6]);
    const r = parseTransform('rotate(-90,10,20)');
    // (10,20) stays; (11,20) goes to (10,19)
    close(r[0] * 10 + r[2] * 20 + r[4], 10);
    close(r[1] * 10 + r[3] * 20 + r[5], 20);
    close(r[0] * 11 + r[2] * 20 + r[4], 10);
    close(r[1] * 11 + r[3] * 20 + r[5], 19);
    const b = transformBox({ x: 0, y: 0, width: 4, height: 2 }, parseTransform('rotate(90)'));
    close(b.x, -2);
    close(b.y, 0);
    close(b.width, 2);
    close(b.height, 4);
  });

  it('flattens paths (absolute and relative commands, close) and measures them', () => {
    assert.deepEqual(flattenPath('M0,0H10V5'), [
      [
        [0, 0],
        [10, 0],
        [10, 5],
      ],
    ]);
    assert.deepEqual(flattenPath('m1,1l2,0v2h-2z'), [
      [
        [1, 1],
        [3, 1],
        [3, 3],
        [1, 3],
        [1, 1],
      ],
    ]);
    assert.deepEqual(flattenPath('M0,0L3,4M10,10L10,11'), [
      [
        [0, 0],
        [3, 4],
      ],
      [
        [10, 10],
        [10, 11],
      ],
    ]);
    close(pathLength('M0,0L3,4L3,10'), 11);
    assert.deepEqual(pointAtLength('M0,0L3,4L3,10', 8), { x: 3, y: 7 });
    const curve = flattenPath('M0,0C0,10 10,10 10,0')[0];
    assert.equal(curve.length, 9);
    assert.deepEqual(curve[8], [10, 0]);
    close(curve[4][1], 7.5); // midpoint of the cubic: 3/4 of the control height
  });

  it('boxes text (anchor, lines), shapes and groups through transforms', () => {
    const doc = new JSDOM('<svg xmlns="http://www.w3.org/2000/svg"></svg>', { contentType: 'image/svg+xml' }).window.document;
    const root = doc.documentElement;
    root.innerHTML = [
      '<g transform="translate(100,50)"><text x="0" y="0" text-anchor="end" style="font-size: 10px">Ab<tspan ' +
        'style="font-weight: bold">准</tspan></text></g>',
      '<text id="ml" x="5" y="20" style="font-size: 12px"><tspan class="line" dy="0em" x="5">一</tspan><tspan ' +
        'class="line" dy="1.3em" x="5">二二</tspan></text>',
      '<g id="grp"><rect x="1" y="2" width="3" height="4"/><circle cx="10" cy="10" r="2" ' +
        'transform="translate(5,0)"/><path d="M0,0" style="display: none"/></g>',
    ].join('');
    const t = root.querySelector('g > text')!;
    const w = textWidth('Ab', 10) + textWidth('准', 10, true);
    const ext = lineExtent(10);
    const b = clientBox(t);
    close(b.width, w);
    close(b.x, 100 - w);
    close(b.y, 50 - Math.max(ext.ascent, lineExtent(10, true).ascent));
    const ml = localBox(doc.getElementById('ml')!)!;
    close(ml.width, 24);
    close(ml.x, 5);
    close(ml.height, 1.3 * 12 + lineExtent(12).height);
    const g = localBox(doc.getElementById('grp')!)!;
    assert.deepEqual(g, { x: 1, y: 2, width: 16, height: 10 });
  });

  it('parses canvas colours as plotly writes them', () => {
    assert.deepEqual(parseColor('rgba(10,20,30,0.5)'), [10, 20, 30, 128]);
    assert.deepEqual(parseColor('rgb(1, 2, 3)'), [1, 2, 3, 255]);
    assert.deepEqual(parseColor('#0072B2'), [0, 114, 178, 255]);
    assert.deepEqual(parseColor('#fff'), [255, 255, 255, 255]);
  });
});
