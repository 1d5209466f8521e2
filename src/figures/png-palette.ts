/**
 * Indexed-colour (palette) PNG encoding for rasterised figures. Plots are mostly flat colours plus
 * anti-aliased edges, so at most 256 colours chosen by frequency and spread lose nothing visible, and
 * an 8-bit palette PNG is a third to half the size of the RGB one (figures are stored twice in an
 * executed notebook: as `image/png` and inside the SVG's sanitiser fallback).
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = -1;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const dist2 = (a: number, b: number): number => {
  const dr = (a >>> 16) - (b >>> 16);
  const dg = ((a >>> 8) & 0xff) - ((b >>> 8) & 0xff);
  const db = (a & 0xff) - (b & 0xff);
  return dr * dr + dg * dg + db * db;
};

/**
 * Chooses at most 256 colours: every colour when there are that few; otherwise the most frequent
 * colours that are at least `spread` apart, with the spread halved until the palette is full.
 * @param counts colour (0xRRGGBB) → pixel count
 * @returns the palette colours
 */
export function choosePalette(counts: Map<number, number>): number[] {
  const byFreq = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([c]) => c);
  if (byFreq.length <= 256) return byFreq;
  const chosen: number[] = [];
  const taken = new Set<number>();
  for (let spread = 48 * 48; chosen.length < 256 && spread >= 1; spread = Math.floor(spread / 4)) {
    for (const c of byFreq) {
      if (chosen.length >= 256) break;
      if (taken.has(c)) continue;
      if (chosen.every((p) => dist2(p, c) >= spread)) {
        chosen.push(c);
        taken.add(c);
      }
    }
  }
  return chosen;
}

/**
 * Encodes opaque RGBA pixels as an 8-bit palette PNG (each colour mapped to the nearest palette entry).
 * @param rgba pixels, 4 bytes each (alpha ignored: figures are rendered on white)
 * @param width image width in px
 * @param height image height in px
 * @returns the PNG file bytes
 * @example
 * palettePng(Buffer.from([255, 0, 0, 255]), 1, 1); // a 1×1 red PNG with a one-entry palette
 */
export function palettePng(rgba: Buffer, width: number, height: number): Buffer {
  const n = width * height;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const c = (rgba[4 * i] << 16) | (rgba[4 * i + 1] << 8) | rgba[4 * i + 2];
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  // Two encodings, the smaller kept: palette by frequency with no filter (flat plots), and palette sorted
  // by luminance with a filter per row (images: neighbouring indices are then similar colours).
  const lum = (c: number) => 299 * (c >>> 16) + 587 * ((c >>> 8) & 0xff) + 114 * (c & 0xff);
  const byFreq = choosePalette(counts);
  const a = encodeIndexed(rgba, width, height, byFreq, false);
  const b = encodeIndexed(
    rgba,
    width,
    height,
    [...byFreq].sort((p, q) => lum(p) - lum(q) || p - q),
    true,
  );
  return a.length <= b.length ? a : b;
}

function encodeIndexed(rgba: Buffer, width: number, height: number, palette: number[], filtered: boolean): Buffer {
  const index = new Map<number, number>(palette.map((c, i) => [c, i]));
  const nearest = (c: number): number => {
    let hit = index.get(c);
    if (hit !== undefined) return hit;
    hit = 0;
    for (let j = 1, best = dist2(palette[0]!, c); j < palette.length; j++) {
      const d = dist2(palette[j]!, c);
      if (d < best) [best, hit] = [d, j];
    }
    index.set(c, hit);
    return hit;
  };
  const idx = Buffer.alloc(width * height);
  for (let p = 0; p < width * height; p++) idx[p] = nearest((rgba[4 * p]! << 16) | (rgba[4 * p + 1]! << 8) | rgba[4 * p + 2]!);
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    const out = raw.subarray(y * (width + 1), (y + 1) * (width + 1));
    if (filtered) filterRow(idx, width, y, out);
    else idx.copy(out, 1, y * width, (y + 1) * width);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 3, 0, 0, 0], 8); // bit depth 8, colour type 3 (palette), deflate, filter 0, no interlace
  const plte = Buffer.alloc(3 * palette.length);
  palette.forEach((c, j) => plte.set([c >>> 16, (c >>> 8) & 0xff, c & 0xff], 3 * j));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('PLTE', plte),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Writes one scanline with the PNG filter (none, sub, up, Paeth) whose bytes have the smallest sum of
 * absolute values as signed numbers (the usual heuristic; the palette is sorted by luminance).
 * @param idx palette indices, row-major
 * @param width row length
 * @param y the row
 * @param out filter byte then the filtered row
 */
function filterRow(idx: Buffer, width: number, y: number, out: Buffer): void {
  const row = idx.subarray(y * width, (y + 1) * width);
  const up = y > 0 ? idx.subarray((y - 1) * width, y * width) : undefined;
  const candidates: [number, (x: number) => number][] = [
    [0, (x) => row[x]!],
    [1, (x) => row[x]! - (x > 0 ? row[x - 1]! : 0)],
    [2, (x) => row[x]! - (up ? up[x]! : 0)],
    [4, (x) => row[x]! - paeth(x > 0 ? row[x - 1]! : 0, up ? up[x]! : 0, x > 0 && up ? up[x - 1]! : 0)],
  ];
  let best = -1;
  let bestCost = Infinity;
  for (const [type, f] of candidates) {
    let cost = 0;
    for (let x = 0; x < width && cost < bestCost; x++) {
      const v = f(x) & 0xff;
      cost += v < 128 ? v : 256 - v;
    }
    if (cost < bestCost) [best, bestCost] = [type, cost];
  }
  const f = candidates.find(([t]) => t === best)![1];
  out[0] = best;
  for (let x = 0; x < width; x++) out[1 + x] = f(x) & 0xff;
}
