/**
 * A minimal raster 2-D canvas context for plotly in jsdom (which has no canvas): enough for heatmaps,
 * which paint their cells into a canvas (`putImageData` or `fillRect`) and embed it as a PNG data URI
 * (`toDataURL`, encoded with pngjs). Text is measured with the report font.
 */
import { textWidth } from './text-metrics.js';
import { palettePng } from './png-palette.js';

// pngjs ships no type declarations; this is the part of its API used here.
interface PngImage {
  data: Buffer;
}
interface PngModule {
  PNG: { new (o: { width: number; height: number }): PngImage; sync: { write(p: PngImage): Buffer } };
}

const { PNG } = require('pngjs') as PngModule;

/** Pixel storage shared by a canvas element and its context. */
interface Surface {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/**
 * Parses a CSS colour as plotly writes it (`rgb()`, `rgba()`, `#rgb`, `#rrggbb`).
 * @param s the colour
 * @returns `[r, g, b, a]` with a in 0..255; opaque black for anything else
 * @example
 * parseColor('rgba(10,20,30,0.5)'); // [10, 20, 30, 128]
 */
export function parseColor(s: string): [number, number, number, number] {
  const c = String(s).trim();
  let m = /^rgba?\(([^)]*)\)$/i.exec(c);
  if (m) {
    const p = m[1]
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
    return [p[0] | 0, p[1] | 0, p[2] | 0, Math.round((p.length > 3 ? p[3] : 1) * 255)];
  }
  m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(c);
  if (m) {
    const h = m[1].length === 3 ? [...m[1]].map((x) => x + x).join('') : m[1];
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16), 255];
  }
  return [0, 0, 0, 255];
}

function surfaceOf(canvas: { width: number; height: number }, store: WeakMap<object, Surface>): Surface {
  const w = Math.max(0, canvas.width | 0),
    h = Math.max(0, canvas.height | 0);
  let s = store.get(canvas);
  if (!s || s.width !== w || s.height !== h) {
    s = { width: w, height: h, data: new Uint8ClampedArray(w * h * 4) };
    store.set(canvas, s);
  }
  return s;
}

/**
 * Installs `getContext('2d')` and `toDataURL()` on a jsdom window's `HTMLCanvasElement`.
 * Other context types (`webgl`) return null, as in a browser without WebGL.
 * @param win the jsdom window
 * @returns nothing
 */
export function installCanvas(win: Window & typeof globalThis): void {
  const store = new WeakMap<object, Surface>();
  const proto = win.HTMLCanvasElement.prototype as unknown as Record<string, unknown>;
  const context2d = (canvas: HTMLCanvasElement): unknown => {
    let font = 12;
    return {
      canvas,
      fillStyle: '#000',
      strokeStyle: '#000',
      globalAlpha: 1,
      lineWidth: 1,
      imageSmoothingEnabled: true,
      get font(): string {
        return `${font}px sans-serif`;
      },
      set font(v: string) {
        const m = /([\d.]+)px/.exec(v);
        if (m) font = Number(m[1]);
      },
      createImageData(w: number, h: number) {
        return { width: w, height: h, data: new Uint8ClampedArray(w * h * 4) };
      },
      getImageData(x: number, y: number, w: number, h: number) {
        const s = surfaceOf(canvas, store);
        const data = new Uint8ClampedArray(w * h * 4);
        for (let j = 0; j < h; j++)
          for (let i = 0; i < w; i++) {
            const sx = x + i,
              sy = y + j;
            if (sx < 0 || sy < 0 || sx >= s.width || sy >= s.height) continue;
            data.set(s.data.subarray((sy * s.width + sx) * 4, (sy * s.width + sx) * 4 + 4), (j * w + i) * 4);
          }
        return { width: w, height: h, data };
      },
      putImageData(img: { width: number; height: number; data: ArrayLike<number> }, dx: number, dy: number) {
        const s = surfaceOf(canvas, store);
        for (let j = 0; j < img.height; j++)
          for (let i = 0; i < img.width; i++) {
            const x = dx + i,
              y = dy + j;
            if (x < 0 || y < 0 || x >= s.width || y >= s.height) continue;
            const o = (y * s.width + x) * 4,
              k = (j * img.width + i) * 4;
            for (let c = 0; c < 4; c++) s.data[o + c] = img.data[k + c];
          }
      },
      fillRect(this: { fillStyle: string; globalAlpha: number }, x: number, y: number, w: number, h: number) {
        const s = surfaceOf(canvas, store);
        const [r, g, b, a0] = parseColor(this.fillStyle);
        const a = (a0 / 255) * this.globalAlpha;
        const x0 = Math.max(0, Math.round(x)),
          y0 = Math.max(0, Math.round(y));
        const x1 = Math.min(s.width, Math.round(x + w)),
          y1 = Math.min(s.height, Math.round(y + h));
        for (let yy = y0; yy < y1; yy++)
          for (let xx = x0; xx < x1; xx++) {
            const o = (yy * s.width + xx) * 4;
            const da = s.data[o + 3] / 255,
              oa = a + da * (1 - a);
            const mix = (src: number, dst: number): number => (oa === 0 ? 0 : (src * a + dst * da * (1 - a)) / oa);
            s.data[o] = mix(r, s.data[o]);
            s.data[o + 1] = mix(g, s.data[o + 1]);
            s.data[o + 2] = mix(b, s.data[o + 2]);
            s.data[o + 3] = oa * 255;
          }
      },
      clearRect(x: number, y: number, w: number, h: number) {
        const s = surfaceOf(canvas, store);
        for (let yy = Math.max(0, y | 0); yy < Math.min(s.height, (y + h) | 0); yy++)
          s.data.fill(0, (yy * s.width + Math.max(0, x | 0)) * 4, (yy * s.width + Math.min(s.width, (x + w) | 0)) * 4);
      },
      measureText(t: string) {
        return { width: textWidth(t, font) };
      },
      // Path and state operations plotly may call on 2-D canvases it does not export: no-ops.
      save() {},
      restore() {},
      scale() {},
      translate() {},
      rotate() {},
      setTransform() {},
      transform() {},
      beginPath() {},
      closePath() {},
      moveTo() {},
      lineTo() {},
      arc() {},
      rect() {},
      fill() {},
      stroke() {},
      clip() {},
      drawImage() {},
      fillText() {},
      strokeText() {},
      setLineDash() {},
    };
  };
  proto.getContext = function getContext(this: HTMLCanvasElement, type: string): unknown {
    if (type !== '2d') return null;
    return context2d(this);
  };
  proto.toDataURL = function toDataURL(this: HTMLCanvasElement): string {
    const s = surfaceOf(this, store);
    if (s.width === 0 || s.height === 0) return 'data:,';
    const rgba = Buffer.from(s.data.buffer, s.data.byteOffset, s.data.byteLength);
    let opaque = true;
    for (let i = 3; i < rgba.length && opaque; i += 4) opaque = rgba[i] === 255;
    // Opaque heatmaps (images, confusion matrices) as 8-bit palette PNGs: about half the size.
    if (opaque) return `data:image/png;base64,${palettePng(rgba, s.width, s.height).toString('base64')}`;
    const png = new PNG({ width: s.width, height: s.height });
    png.data = rgba;
    return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
  };
}
