/**
 * SVG geometry for the jsdom window plotly renders in: element boxes (text measured with the report
 * font, shapes from their attributes, groups as unions), transforms and path lengths — what a browser
 * answers through `getBBox`, `getBoundingClientRect`, `getComputedTextLength` and `getPointAtLength`.
 */
import { lineExtent, textWidth } from './text-metrics.js';
import { flattenPath, pointsBox, type Box } from './path.js';

export type { Box } from './path.js';

export { flattenPath, pathLength, pointAtLength } from './path.js';

/** A 2-D affine matrix `[a, b, c, d, e, f]` (x' = a·x + c·y + e, y' = b·x + d·y + f). */
export type Matrix = [number, number, number, number, number, number];

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

function mul(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

/**
 * Parses an SVG `transform` attribute (translate, scale, rotate, skewX, skewY, matrix).
 * @param t the attribute value (null or empty: identity)
 * @returns the composed matrix
 * @example
 * parseTransform('translate(10,5) rotate(-90)'); // [0, -1, 1, 0, 10, 5] (up to rounding)
 */
export function parseTransform(t: string | null | undefined): Matrix {
  let m = IDENTITY;
  if (!t) return m;
  const re = /(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)/g;
  for (let r = re.exec(t); r; r = re.exec(t)) {
    const a = r[2]
      .split(/[\s,]+/)
      .filter((s) => s !== '')
      .map(Number);
    let n: Matrix = IDENTITY;
    switch (r[1]) {
      case 'matrix':
        if (a.length === 6) n = a as Matrix;
        break;
      case 'translate':
        n = [1, 0, 0, 1, a[0] || 0, a[1] || 0];
        break;
      case 'scale':
        n = [a[0] ?? 1, 0, 0, a[1] ?? a[0] ?? 1, 0, 0];
        break;
      case 'rotate': {
        const rad = ((a[0] || 0) * Math.PI) / 180;
        const cos = Math.cos(rad),
          sin = Math.sin(rad);
        const cx = a[1] || 0,
          cy = a[2] || 0;
        n = mul(mul([1, 0, 0, 1, cx, cy], [cos, sin, -sin, cos, 0, 0]), [1, 0, 0, 1, -cx, -cy]);
        break;
      }
      case 'skewX':
        n = [1, 0, Math.tan(((a[0] || 0) * Math.PI) / 180), 1, 0, 0];
        break;
      case 'skewY':
        n = [1, Math.tan(((a[0] || 0) * Math.PI) / 180), 0, 1, 0, 0];
        break;
    }
    m = mul(m, n);
  }
  return m;
}

/**
 * Maps a box through a matrix and returns the axis-aligned box of the result.
 * @param b the box
 * @param m the matrix
 * @returns the transformed bounding box
 */
export function transformBox(b: Box, m: Matrix): Box {
  if (m === IDENTITY) return b;
  const xs: number[] = [],
    ys: number[] = [];
  for (const [x, y] of [
    [b.x, b.y],
    [b.x + b.width, b.y],
    [b.x, b.y + b.height],
    [b.x + b.width, b.y + b.height],
  ]) {
    xs.push(m[0] * x + m[2] * y + m[4]);
    ys.push(m[1] * x + m[3] * y + m[5]);
  }
  const x0 = Math.min(...xs),
    y0 = Math.min(...ys);
  return { x: x0, y: y0, width: Math.max(...xs) - x0, height: Math.max(...ys) - y0 };
}

function union(boxes: Box[]): Box | undefined {
  if (boxes.length === 0) return undefined;
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const b of boxes) {
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.width);
    y1 = Math.max(y1, b.y + b.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Font of an element: size in px (inherited, `%` and `em` relative to the parent) and boldness. */
function fontOf(el: Element): { size: number; bold: boolean } {
  const chain: Element[] = [];
  for (let e: Element | null = el; e && e.nodeType === 1; e = e.parentElement) chain.unshift(e);
  let size = 16,
    bold = false;
  for (const e of chain) {
    const style = (e as SVGElement).style;
    const fs = (style && style.fontSize) || e.getAttribute('font-size');
    if (fs) {
      const v = parseFloat(fs);
      if (!Number.isNaN(v)) size = fs.endsWith('%') ? (size * v) / 100 : fs.endsWith('em') ? size * v : v;
    }
    const fw = (style && style.fontWeight) || e.getAttribute('font-weight');
    if (fw) bold = fw === 'bold' || fw === 'bolder' || Number(fw) >= 600;
  }
  return { size, bold };
}

function lengthEm(v: string | null, size: number): number {
  if (!v) return 0;
  const n = parseFloat(v);
  if (Number.isNaN(n)) return 0;
  return v.endsWith('em') ? n * size : n;
}

/**
 * The text content width of a `<text>`/`<tspan>` element in the report font (each run in its own
 * size and weight), as `getComputedTextLength` returns it.
 * @param el the text element
 * @returns the advance width in px
 */
export function computedTextLength(el: Element): number {
  let w = 0;
  const walk = (n: Node): void => {
    if (n.nodeType === 3) {
      const f = fontOf(n.parentElement!);
      w += textWidth(n.nodeValue ?? '', f.size, f.bold);
    } else if (n.nodeType === 1) n.childNodes.forEach(walk);
  };
  walk(el);
  return w;
}

interface Line {
  x: number;
  baseline: number;
  width: number;
  ascent: number;
  descent: number;
  empty: boolean;
}

/** The local box of a `<text>` element: lines (tspans with `x`/`dy` or class `line`) laid out per anchor. */
function textBox(el: Element): Box {
  const anchor = ((el as SVGElement).style?.textAnchor || el.getAttribute('text-anchor') || 'start').trim();
  const x0 = parseFloat(el.getAttribute('x') ?? '') || 0;
  const y0 = parseFloat(el.getAttribute('y') ?? '') || 0;
  const lines: Line[] = [];
  let line: Line = { x: x0, baseline: y0 + lengthEm(el.getAttribute('dy'), fontOf(el).size), width: 0, ascent: 0, descent: 0, empty: true };
  lines.push(line);
  const walk = (n: Node): void => {
    if (n.nodeType === 3) {
      const text = n.nodeValue ?? '';
      if (text === '') return;
      const f = fontOf(n.parentElement!);
      const ext = lineExtent(f.size, f.bold);
      line.width += textWidth(text, f.size, f.bold);
      line.ascent = Math.max(line.ascent, ext.ascent);
      line.descent = Math.max(line.descent, ext.descent);
      line.empty = false;
      return;
    }
    if (n.nodeType !== 1) return;
    const e = n as Element;
    if (e !== el && e.tagName.toLowerCase() === 'tspan') {
      const size = fontOf(e).size;
      const dy = lengthEm(e.getAttribute('dy'), size);
      const hasX = e.getAttribute('x') !== null;
      if (hasX || e.classList.contains('line')) {
        line = {
          x: hasX ? parseFloat(e.getAttribute('x')!) || 0 : x0,
          baseline: line.baseline + dy,
          width: 0,
          ascent: 0,
          descent: 0,
          empty: true,
        };
        lines.push(line);
      }
      // Other tspans with dy are sub/superscripts: they shift glyphs, the line box keeps its baseline.
    }
    e.childNodes.forEach(walk);
  };
  el.childNodes.forEach(walk);
  const boxes = lines
    .filter((l) => !l.empty)
    .map((l) => {
      const left = anchor === 'middle' ? l.x - l.width / 2 : anchor === 'end' ? l.x - l.width : l.x;
      return { x: left, y: l.baseline - l.ascent, width: l.width, height: l.ascent + l.descent };
    });
  return union(boxes) ?? { x: x0, y: y0, width: 0, height: 0 };
}

function hidden(el: Element): boolean {
  const s = (el as SVGElement).style;
  return (s && s.display === 'none') || el.getAttribute('display') === 'none';
}

const num = (el: Element, a: string): number => parseFloat(el.getAttribute(a) ?? '') || 0;

/**
 * An element's box in its own user space (before its own `transform`), as `getBBox` returns it.
 * Groups are the union of their visible children (each through its transform).
 * @param el an SVG element
 * @returns the box; `undefined` for an empty group
 */
export function localBox(el: Element): Box | undefined {
  const tag = el.tagName.toLowerCase();
  switch (tag) {
    case 'text':
      return textBox(el);
    case 'tspan': {
      const w = computedTextLength(el);
      const ext = lineExtent(fontOf(el).size, fontOf(el).bold);
      return { x: num(el, 'x'), y: num(el, 'y') - ext.ascent, width: w, height: ext.height };
    }
    case 'rect':
    case 'image':
    case 'foreignobject':
    case 'use':
      return { x: num(el, 'x'), y: num(el, 'y'), width: num(el, 'width'), height: num(el, 'height') };
    case 'circle': {
      const r = num(el, 'r');
      return { x: num(el, 'cx') - r, y: num(el, 'cy') - r, width: 2 * r, height: 2 * r };
    }
    case 'ellipse': {
      const rx = num(el, 'rx'),
        ry = num(el, 'ry');
      return { x: num(el, 'cx') - rx, y: num(el, 'cy') - ry, width: 2 * rx, height: 2 * ry };
    }
    case 'line':
      return pointsBox([
        [
          [num(el, 'x1'), num(el, 'y1')],
          [num(el, 'x2'), num(el, 'y2')],
        ],
      ]);
    case 'polyline':
    case 'polygon':
      return pointsBox(flattenPath(`M${el.getAttribute('points') ?? ''}`));
    case 'path':
      return pointsBox(flattenPath(el.getAttribute('d')));
    case 'defs':
    case 'clippath':
    case 'style':
    case 'title':
    case 'lineargradient':
    case 'radialgradient':
    case 'pattern':
    case 'mask':
      return undefined;
    default: {
      const boxes: Box[] = [];
      for (const c of Array.from(el.children)) {
        if (hidden(c)) continue;
        const b = localBox(c);
        if (b) boxes.push(transformBox(b, parseTransform(c.getAttribute('transform'))));
      }
      return union(boxes);
    }
  }
}

/**
 * An element's box in the coordinates of its outermost `<svg>` (own and ancestors' transforms
 * applied), as `getBoundingClientRect` would give it for a page whose origin is that svg.
 * @param el an SVG element
 * @returns the box (zero-sized at the origin for an empty group)
 */
export function clientBox(el: Element): Box {
  let m = IDENTITY;
  for (let e: Element | null = el; e && e.namespaceURI === 'http://www.w3.org/2000/svg'; e = e.parentElement) {
    if (e.tagName.toLowerCase() === 'svg') {
      const parent = e.parentElement;
      if (!parent || parent.namespaceURI !== 'http://www.w3.org/2000/svg') break;
      m = mul([1, 0, 0, 1, num(e, 'x'), num(e, 'y')], m);
      continue;
    }
    m = mul(parseTransform(e.getAttribute('transform')), m);
  }
  const b = localBox(el) ?? { x: 0, y: 0, width: 0, height: 0 };
  return transformBox(b, m);
}
