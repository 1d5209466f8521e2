/**
 * One jsdom window per process with plotly.js loaded in it and the browser APIs plotly needs for
 * static SVG rendering: SVG geometry (`getBBox`, `getBoundingClientRect`, `getComputedTextLength`,
 * `getSubStringLength`, `getTotalLength`, `getPointAtLength`, `getScreenCTM`, `createSVGPoint`) with
 * text measured in the report font, `matchMedia`, `URL.createObjectURL` and a raster 2-D canvas.
 */
import { EvaluationError } from '../util/errors.js';
import { readFileSync } from 'node:fs';
import type * as JsdomModule from 'jsdom';
import { installCanvas } from './canvas.js';
import { clientBox, computedTextLength, localBox, pathLength, pointAtLength } from './geometry.js';
import { textWidth } from './text-metrics.js';

/** The subset of the plotly API used here. */
export interface PlotlyLike {
  toImage(
    fig: { data: unknown[]; layout: Record<string, unknown>; config?: Record<string, unknown> },
    opts: Record<string, unknown>,
  ): Promise<string>;
  version: string;
}

/** The rendering window and the plotly instance inside it. */
export interface PlotlyWindow {
  window: Window & typeof globalThis;
  Plotly: PlotlyLike;
  /** Errors jsdom reported while rendering (e.g. a feature it does not implement); cleared per figure. */
  errors: string[];
}

let shared: PlotlyWindow | undefined;

/**
 * Path of the plotly.js bundle used for rendering and for inlining in notebook HTML
 * (`plotly.js-dist`, the project's named dependency; the manifest records its version).
 * @returns absolute path of `plotly.js`
 */
export function plotlyBundlePath(): string {
  return require.resolve('plotly.js-dist/plotly.js');
}

function rect(b: { x: number; y: number; width: number; height: number }): DOMRect {
  return {
    x: b.x,
    y: b.y,
    width: b.width,
    height: b.height,
    left: b.x,
    top: b.y,
    right: b.x + b.width,
    bottom: b.y + b.height,
    toJSON() {
      return this;
    },
  } as DOMRect;
}

function matrix(a = 1, b = 0, c = 0, d = 1, e = 0, f = 0): DOMMatrix {
  return { a, b, c, d, e, f, inverse: () => matrix(1, 0, 0, 1, -e, -f), multiply: () => matrix(a, b, c, d, e, f) } as unknown as DOMMatrix;
}

function installSvgApi(win: Window & typeof globalThis): void {
  const svg = win.SVGElement.prototype as unknown as Record<string, unknown>;
  svg.getBBox = function getBBox(this: Element) {
    return rect(localBox(this) ?? { x: 0, y: 0, width: 0, height: 0 });
  };
  svg.getBoundingClientRect = function getBoundingClientRect(this: Element) {
    return rect(clientBox(this));
  };
  svg.getComputedTextLength = function getComputedTextLength(this: Element) {
    return computedTextLength(this);
  };
  svg.getSubStringLength = function getSubStringLength(this: Element, start: number, n: number) {
    const s = (this.textContent ?? '').slice(start, start + n);
    const size = parseFloat((this as SVGElement).style.fontSize || '') || 12;
    return textWidth(s, size, /bold|[6-9]00/.test((this as SVGElement).style.fontWeight || ''));
  };
  svg.getTotalLength = function getTotalLength(this: Element) {
    return pathLength(this.getAttribute('d'));
  };
  svg.getPointAtLength = function getPointAtLength(this: Element, l: number) {
    return pointAtLength(this.getAttribute('d'), l);
  };
  svg.getScreenCTM = () => matrix();
  svg.getCTM = () => matrix();
  const root = win.SVGSVGElement.prototype as unknown as Record<string, unknown>;
  root.createSVGPoint = () => ({
    x: 0,
    y: 0,
    matrixTransform(this: { x: number; y: number }) {
      return { x: this.x, y: this.y };
    },
  });
  root.createSVGMatrix = () => matrix();
}

const SIMPLE_SELECTOR = /^([A-Za-z][\w-]*)?(?:\.([\w-]+))?$/;

/**
 * Speeds up `querySelector(All)` for the simple selectors plotly issues hundreds of times per figure
 * (`text`, `.text-math-group`, `tspan.line`): a direct pre-order walk instead of jsdom's generic
 * selector engine. Anything else goes to the original implementation.
 */
function installFastSelectors(win: Window & typeof globalThis): void {
  for (const proto of [win.Element.prototype, win.Document.prototype, win.DocumentFragment.prototype] as unknown as Record<
    string,
    unknown
  >[]) {
    const one = proto.querySelector as (this: ParentNode, s: string) => Element | null;
    const all = proto.querySelectorAll as (this: ParentNode, s: string) => NodeListOf<Element>;
    const find = (root: ParentNode, sel: string, first: boolean): Element[] | undefined => {
      const m = SIMPLE_SELECTOR.exec(sel);
      if (!m || (!m[1] && !m[2])) return undefined;
      const tag = m[1],
        cls = m[2],
        out: Element[] = [];
      const stack: Element[] = [];
      for (let i = root.children.length - 1; i >= 0; i--) stack.push(root.children[i]);
      while (stack.length) {
        const e = stack.pop()!;
        const tagOk =
          !tag || e.localName === tag || (e.namespaceURI === 'http://www.w3.org/1999/xhtml' && e.localName === tag.toLowerCase());
        if (tagOk && (!cls || e.classList.contains(cls))) {
          out.push(e);
          if (first) return out;
        }
        for (let i = e.children.length - 1; i >= 0; i--) stack.push(e.children[i]);
      }
      return out;
    };
    proto.querySelector = function querySelector(this: ParentNode, s: string): Element | null {
      const r = find(this, s, true);
      return r ? (r[0] ?? null) : one.call(this, s);
    };
    proto.querySelectorAll = function querySelectorAll(this: ParentNode, s: string): ArrayLike<Element> {
      return find(this, s, false) ?? all.call(this, s);
    };
  }
}

/**
 * Gives a jsdom window the browser APIs plotly needs (SVG geometry measured in the report font, a
 * raster 2-D canvas, `matchMedia`, `URL.createObjectURL`, `TextDecoder`) and fast simple selectors.
 * Used for the shared rendering window, and by tests that run notebook HTML in jsdom.
 * @param win a jsdom window (before plotly is loaded into it)
 * @returns nothing
 */
export function installBrowserShims(win: Window & typeof globalThis): void {
  installSvgApi(win);
  installCanvas(win);
  if (process.env.PTMC_FIGURES_SLOW_SELECTORS !== '1') installFastSelectors(win);
  const w = win as unknown as Record<string, unknown>;
  w.matchMedia = (q: string) => ({
    matches: false,
    media: q,
    onchange: null,
    addListener() {},
    removeListener() {},
    addEventListener() {},
    removeEventListener() {},
    dispatchEvent: () => false,
  });
  (win.URL as unknown as Record<string, unknown>).createObjectURL = () => 'blob:ptm-conformity/figure';
  (win.URL as unknown as Record<string, unknown>).revokeObjectURL = () => undefined;
  w.scrollTo = () => undefined;
  w.TextDecoder ??= TextDecoder;
  w.TextEncoder ??= TextEncoder;
}

/**
 * The shared rendering window, created (≈1–2 s: jsdom + evaluating plotly.js) on first use.
 * @returns the window, plotly and the jsdom error list
 * @example
 * const { Plotly } = plotlyWindow(); Plotly.version; // '4.1.1'
 */
export function plotlyWindow(): PlotlyWindow {
  if (shared) return shared;
  const errors: string[] = [];
  // jsdom costs about 1.5 s to load: required on first render, not at import time.

  const { JSDOM, VirtualConsole } = require('jsdom') as typeof JsdomModule;
  const vc = new VirtualConsole();
  vc.on('jsdomError', (e: Error) => errors.push(e.message));
  const dom = new JSDOM('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>', {
    runScripts: 'outside-only',
    pretendToBeVisual: true,
    virtualConsole: vc,
    url: 'about:blank',
  });
  const win = dom.window as unknown as Window & typeof globalThis;
  installBrowserShims(win);
  const w = win as unknown as Record<string, unknown>;
  (win as unknown as { eval(src: string): unknown }).eval(readFileSync(plotlyBundlePath(), 'utf8'));
  const Plotly = w.Plotly as PlotlyLike | undefined;
  if (!Plotly || typeof Plotly.toImage !== 'function')
    throw new EvaluationError('plotly.js did not load in jsdom (window.Plotly missing)', {
      remedy: 'reinstall the package (npm ci): plotly.js-dist must be present',
    });
  shared = { window: win, Plotly, errors };
  return shared;
}
