// Small deterministic helpers for the bring-your-own-model case builders: a seeded PRNG, .npy/.png/.csv
// writers and text-line rendering with the Noto Sans SC font that ptm-conformity already installs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);
const { PNG } = require('pngjs');
const { Resvg } = require('@resvg/resvg-js');

/** mulberry32: a seeded PRNG in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  next.pick = (xs) => xs[Math.floor(next() * xs.length)];
  next.normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return next;
}

function ensureDir(file) {
  mkdirSync(dirname(file), { recursive: true });
}

/** Writes a float32 .npy of `shape` (C order). */
export function writeNpy(file, data, shape) {
  const descr = data instanceof Uint8Array ? '|u1' : '<f4';
  const arr = data instanceof Uint8Array ? data : Float32Array.from(data);
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  ensureDir(file);
  writeFileSync(file, Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength)]));
}

/** Writes an 8-bit PNG: `channels` 3 (RGB, from an H×W×3 array) or 1 (greyscale H×W). */
export function writePng(file, data, h, w, channels) {
  const png = new PNG({
    width: w,
    height: h,
    colorType: channels === 3 ? 2 : 0,
    inputColorType: channels === 3 ? 2 : 0,
    inputHasAlpha: false,
  });
  png.data = Buffer.from(data);
  ensureDir(file);
  writeFileSync(
    file,
    PNG.sync.write(png, { colorType: channels === 3 ? 2 : 0, inputColorType: channels === 3 ? 2 : 0, inputHasAlpha: false }),
  );
}

/** Writes a CSV with a header from an array of flat objects. */
export function writeCsv(file, rows) {
  const cols = Object.keys(rows[0]);
  const cell = (v) => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));
  ensureDir(file);
  writeFileSync(file, [cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\n') + '\n');
}

export function writeJson(file, doc) {
  ensureDir(file);
  writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
}

const FONT = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
const FONT_BOLD = require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf');
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * Renders text lines into an RGB image (H×W×3, Uint8Array).
 * @param lines [{ text, x, y (baseline), size, bold }]
 * @param opts { w, h, bg: [r,g,b], fg: [r,g,b] }
 */
export function renderText(lines, { w, h, bg, fg }) {
  const rgb = (c) => `rgb(${c.join(',')})`;
  const body = lines
    .map(
      (l) =>
        `<text x="${l.x}" y="${l.y}" font-size="${l.size}" font-family="Noto Sans SC" ` +
        `font-weight="${l.bold ? 700 : 400}" fill="${rgb(fg)}">${esc(l.text)}</text>`,
    )
    .join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">` +
    `<rect width="${w}" height="${h}" fill="${rgb(bg)}"/>${body}</svg>`;
  const r = new Resvg(svg, { font: { fontFiles: [FONT, FONT_BOLD], loadSystemFonts: false, defaultFontFamily: 'Noto Sans SC' } });
  const px = r.render().pixels;
  const out = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) for (let k = 0; k < 3; k++) out[i * 3 + k] = px[i * 4 + k];
  return out;
}

/** 180° rotation of an H×W×C image. */
export function rotate180(img, h, w, c) {
  const out = new Uint8Array(img.length);
  for (let p = 0; p < h * w; p++) for (let k = 0; k < c; k++) out[(h * w - 1 - p) * c + k] = img[p * c + k];
  return out;
}

/** Adds Gaussian noise (σ in grey levels) and optionally a box blur of radius `blur`, in place-safe copies. */
export function degrade(img, h, w, c, rnd, { sigma = 0, blur = 0, contrast = 1 } = {}) {
  let src = Float32Array.from(img);
  if (blur > 0) {
    const out = new Float32Array(src.length);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let k = 0; k < c; k++) {
          let s = 0;
          let n = 0;
          for (let dy = -blur; dy <= blur; dy++)
            for (let dx = -blur; dx <= blur; dx++) {
              const yy = y + dy;
              const xx = x + dx;
              if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
              s += src[(yy * w + xx) * c + k];
              n++;
            }
          out[(y * w + x) * c + k] = s / n;
        }
    src = out;
  }
  const out = new Uint8Array(img.length);
  for (let i = 0; i < src.length; i++) out[i] = Math.max(0, Math.min(255, 128 + (src[i] - 128) * contrast + sigma * rnd.normal()));
  return out;
}

/** Words the text lines are drawn from (Chinese, English, digits). */
export const WORDS = {
  zh: [
    '医疗器械',
    '人工智能',
    '预训练模型',
    '符合性',
    '评价',
    '检测报告',
    '影像',
    '数据集',
    '患者',
    '诊断',
    '软件',
    '标准',
    '说明书',
    '注册',
  ],
  en: ['medical', 'device', 'model', 'report', 'patient', 'image', 'label', 'scan', 'dose', 'serial', 'lot', 'expiry', 'batch'],
  digits: ['2026', '0.5 mg', '12:30', 'No.1837', '98.6', '3.14', 'ID 4471', '120/80', '2025-11-03'],
};

/** A random text line of script `script`, about `chars` characters. */
export function textLine(rnd, script, chars) {
  const words = WORDS[script];
  let s = '';
  while (s.length < chars) s += (s && script !== 'zh' ? ' ' : '') + rnd.pick(words);
  return s.slice(0, Math.max(chars, 2));
}
