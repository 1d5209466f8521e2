#!/usr/bin/env node
// Generates the kernelspec logos (logo-32x32.png, logo-64x64.png) with pngjs:
// a TypeScript-blue rounded square carrying a white medical cross. Run: node kernel/make-logos.js
'use strict';
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { PNG } = require('pngjs');

function logo(size) {
  const png = new PNG({ width: size, height: size });
  const r = size * 0.18; // corner radius
  const arm = size * 0.14; // half width of the cross arms
  const len = size * 0.34; // half length of the cross arms
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      // inside the rounded square?
      const dx = Math.max(r - x, x - (size - 1 - r), 0);
      const dy = Math.max(r - y, y - (size - 1 - r), 0);
      const inside = dx * dx + dy * dy <= r * r;
      const cross = (Math.abs(x - c) <= arm && Math.abs(y - c) <= len) || (Math.abs(y - c) <= arm && Math.abs(x - c) <= len);
      const [R, G, B] = cross ? [255, 255, 255] : [49, 120, 198];
      png.data[i] = R;
      png.data[i + 1] = G;
      png.data[i + 2] = B;
      png.data[i + 3] = inside ? 255 : 0;
    }
  }
  return PNG.sync.write(png);
}

for (const size of [32, 64]) writeFileSync(join(__dirname, `logo-${size}x${size}.png`), logo(size));
