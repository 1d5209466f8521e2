// Case data for the two PaddleOCR models: rendered text-line images (Noto Sans SC via resvg), deterministic.
//  - text direction (ch_ppocr_mobile_v2.0_cls): 3×48×192 lines, upright ("0") or rotated 180° ("180")
//  - text detection (ch_PP-OCRv4_det): 3×64×256 images with text lines and their line-box masks
import { degrade, prng, renderText, rotate180, textLine, writeCsv, writeNpy, writePng } from './lib.mjs';

const SCRIPTS = ['zh', 'en', 'digits'];

/** Colours: dark text on light paper, or (inverted) light text on dark background. */
function colours(rnd, inverted) {
  const paper = 200 + rnd.int(50);
  const ink = 10 + rnd.int(60);
  const tint = () => rnd.int(15) - 7;
  const bg = [paper + tint(), paper + tint(), paper + tint()].map((v) => Math.min(255, v));
  const fg = [ink, ink, ink];
  return inverted ? { bg: fg, fg: bg } : { bg, fg };
}

/** One text-direction sample of `kind` (plain, inverted, small, low-contrast, blurred). */
function directionImage(rnd, kind, script, bold) {
  const w = 192;
  const h = 48;
  const small = kind === 'small';
  const size = small ? 13 + rnd.int(4) : 22 + rnd.int(8);
  const chars = script === 'zh' ? Math.floor((w - 10) / size) - rnd.int(3) : Math.floor((w - 10) / (size * 0.55)) - rnd.int(4);
  const line = {
    text: textLine(rnd, script, Math.max(3, chars)),
    x: 2 + rnd.int(8),
    y: Math.round(h / 2 + size * 0.36) + rnd.int(5) - 2,
    size,
    bold,
  };
  let img = renderText([line], { w, h, ...colours(rnd, kind === 'inverted') });
  if (kind === 'low-contrast') img = degrade(img, h, w, 3, rnd, { contrast: 0.18, sigma: 4 });
  else if (kind === 'blurred') img = degrade(img, h, w, 3, rnd, { blur: 2, sigma: 6 });
  else img = degrade(img, h, w, 3, rnd, { sigma: 2 });
  return img;
}

/** Non-text images: smooth colour gradients with blobs (OOD) and obviously wrong inputs (invalid). */
function otherImage(rnd, kind, h, w) {
  const img = new Uint8Array(h * w * 3);
  const base = [rnd.int(256), rnd.int(256), rnd.int(256)];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < 3; k++) {
        let v;
        if (kind === 'gradient') v = base[k] * (x / w) + (255 - base[k]) * (y / h) + 20 * Math.sin((x + k * 7) / 9) * Math.cos(y / 5);
        else if (kind === 'texture') v = 128 + 60 * Math.sin(x / (3 + k)) * Math.sin(y / 2.5) + 30 * rnd.normal();
        else if (kind === 'blank') v = 255;
        else if (kind === 'black') v = 0;
        else if (kind === 'noise') v = rnd.int(256);
        else v = (Math.floor(x / 8) + Math.floor(y / 8)) % 2 ? 255 : 0; // checkerboard
        img[(y * w + x) * 3 + k] = Math.max(0, Math.min(255, Math.round(v)));
      }
  return img;
}

/** Writes the text-direction data sets under `dir/data`; `scale` multiplies the sample counts. */
export function buildDirectionData(dir, scale, seed = 1) {
  const rnd = prng(seed);
  const counts = { train: 96, validation: 32, test: 96, downstreamTrain: 48, downstreamTest: 48, ood: 24, invalid: 16, hard: 48 };
  const n = (r) => Math.max(8, Math.round(counts[r] * scale));
  const labelled = (role, kindOf) => {
    const rows = [];
    for (let i = 0; i < n(role); i++) {
      const script = SCRIPTS[i % 3];
      const bold = rnd() < 0.3;
      const kind = kindOf(i);
      const up = directionImage(rnd, kind, script, bold);
      const label = i % 2 === 0 ? '0' : '180';
      const img = label === '0' ? up : rotate180(up, 48, 192, 3);
      const id = `${role}_${String(i).padStart(3, '0')}`;
      writePng(`${dir}/data/${role}/${id}.png`, img, 48, 192, 3);
      rows.push({ id, input: `${id}.png`, label, script, weight: bold ? 'bold' : 'regular', kind });
    }
    writeCsv(`${dir}/data/${role}/manifest.csv`, rows);
  };
  for (const role of ['train', 'validation', 'test']) labelled(role, () => 'plain');
  for (const role of ['downstreamTrain', 'downstreamTest']) labelled(role, () => 'inverted');
  labelled('hard', (i) => ['small', 'low-contrast', 'blurred'][Math.floor(i / 2) % 3]);
  const unlabelled = (role, kinds) => {
    const rows = [];
    for (let i = 0; i < n(role); i++) {
      const kind = kinds[i % kinds.length];
      const id = `${role}_${String(i).padStart(3, '0')}`;
      writePng(`${dir}/data/${role}/${id}.png`, otherImage(rnd, kind, 48, 192), 48, 192, 3);
      rows.push({ id, input: `${id}.png`, kind });
    }
    writeCsv(`${dir}/data/${role}/manifest.csv`, rows);
  };
  unlabelled('ood', ['gradient', 'texture']);
  unlabelled('invalid', ['blank', 'black', 'noise', 'checkerboard']);
}

/** One detection image (H×W×3) with 1–2 text lines and its mask (H×W, 0/255): each line's ink box. */
function detectionImage(rnd, { h, w, kind, script }) {
  const nLines = 1 + rnd.int(2);
  const lines = [];
  const boxes = [];
  const band = h / nLines;
  for (let j = 0; j < nLines; j++) {
    const size = kind === 'small' ? 11 + rnd.int(3) : Math.min(band - 6, 18 + rnd.int(8));
    const chars = 3 + rnd.int(script === 'zh' ? 6 : 12);
    const x = 4 + rnd.int(Math.max(1, Math.floor(w / 3)));
    const y = Math.round(j * band + band / 2 + size * 0.36);
    lines.push({ text: textLine(rnd, script, chars), x, y, size, bold: rnd() < 0.3 });
  }
  const col = colours(rnd, kind === 'inverted');
  let img = renderText(lines, { w, h, ...col });
  // the mask: per line, the bounding box of its ink (pixels that differ from the paper), from a noise-free render
  for (const l of lines) {
    const ink = renderText([l], { w, h, bg: [255, 255, 255], fg: [0, 0, 0] });
    let x0 = w,
      x1 = -1,
      y0 = h,
      y1 = -1;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        if (ink[(y * w + x) * 3] < 128) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
    if (x1 >= 0) boxes.push([x0, y0, x1, y1]);
  }
  const mask = new Uint8Array(h * w);
  for (const [x0, y0, x1, y1] of boxes) for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) mask[y * w + x] = 255;
  if (kind === 'low-contrast') img = degrade(img, h, w, 3, rnd, { contrast: 0.2, sigma: 4 });
  else if (kind === 'blurred') img = degrade(img, h, w, 3, rnd, { blur: 1, sigma: 8 });
  else img = degrade(img, h, w, 3, rnd, { sigma: 2 });
  return { img, mask };
}

/** Writes the text-detection data sets under `dir/data`. */
export function buildDetectionData(dir, scale, seed = 2) {
  const rnd = prng(seed);
  const h = 64;
  const w = 256;
  const counts = { train: 48, validation: 16, test: 48, downstreamTrain: 32, downstreamTest: 24, ood: 16, invalid: 12, hard: 24 };
  const n = (r) => Math.max(6, Math.round(counts[r] * scale));
  const labelled = (role, kindOf) => {
    const rows = [];
    for (let i = 0; i < n(role); i++) {
      const script = SCRIPTS[i % 3];
      const kind = kindOf(i);
      const { img, mask } = detectionImage(rnd, { h, w, kind, script });
      const id = `${role}_${String(i).padStart(3, '0')}`;
      writePng(`${dir}/data/${role}/${id}.png`, img, h, w, 3);
      writePng(`${dir}/data/${role}/${id}_mask.png`, mask, h, w, 1);
      rows.push({ id, input: `${id}.png`, mask: `${id}_mask.png`, script, kind });
    }
    writeCsv(`${dir}/data/${role}/manifest.csv`, rows);
  };
  for (const role of ['train', 'validation', 'test']) labelled(role, () => 'plain');
  for (const role of ['downstreamTrain', 'downstreamTest']) labelled(role, () => 'inverted');
  labelled('hard', (i) => ['small', 'low-contrast', 'blurred'][i % 3]);
  const unlabelled = (role, kinds) => {
    const rows = [];
    for (let i = 0; i < n(role); i++) {
      const kind = kinds[i % kinds.length];
      const id = `${role}_${String(i).padStart(3, '0')}`;
      writePng(`${dir}/data/${role}/${id}.png`, otherImage(rnd, kind, h, w), h, w, 3);
      rows.push({ id, input: `${id}.png`, kind });
    }
    writeCsv(`${dir}/data/${role}/manifest.csv`, rows);
  };
  unlabelled('ood', ['gradient', 'texture']);
  unlabelled('invalid', ['blank', 'black', 'noise', 'checkerboard']);
}

export { writeNpy };
