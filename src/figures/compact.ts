/**
 * The notebook's interactive copy of a figure, kept small: a heatmap with many cells (an image or a mask
 * in an image grid) carries its values as JSON numbers, about 6 bytes a pixel, which made one 6.3.8 figure
 * 300 KB. In the interactive copy such a trace becomes a plotly `image` trace whose `source` is the PNG
 * that plotly itself painted for it in the static SVG (same colours, same pixels), placed on the same
 * cells; hover shows no values there. The static SVG and PNG, and the saved figures, are unchanged.
 */

/** Heatmaps with more cells than this are replaced in the interactive copy. */
export const MAX_HEATMAP_CELLS = 1024;

/**
 * The PNG data URIs plotly painted for the heatmaps of each subplot, in trace order.
 * @param svg the static SVG of the figure
 * @returns subplot id (e.g. `xy`, `x2y2`) → data URIs
 */
export function heatmapImages(svg: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const parts = svg.split(/<g class="subplot (x\d*y\d*)"/);
  for (let i = 1; i < parts.length; i += 2) {
    const uris = [...parts[i + 1].matchAll(/<g class="hm"[^>]*>\s*<image\b[^>]*?href="(data:image\/png;base64,[^"]*)"/g)].map((m) => m[1]);
    out.set(parts[i], [...(out.get(parts[i]) ?? []), ...uris]);
  }
  return out;
}

/**
 * Replaces large heatmap traces by image traces showing the PNGs of the static SVG.
 * @param data the figure's traces (not modified)
 * @param svg the figure's static SVG
 * @returns the traces for the interactive copy (the input itself when nothing was replaced)
 * @example
 * compactTraces(figure.data, await renderPlotlySvg(figure));
 */
export function compactTraces(data: Record<string, unknown>[], svg: string): Record<string, unknown>[] {
  const images = heatmapImages(svg);
  const used = new Map<string, number>();
  let changed = false;
  const out = data.map((t) => {
    if (t.type !== 'heatmap' || !Array.isArray(t.z)) return t;
    const subplot = `${String(t.xaxis ?? 'x')}${String(t.yaxis ?? 'y')}`;
    const k = used.get(subplot) ?? 0;
    used.set(subplot, k + 1);
    const z = t.z as ArrayLike<unknown>[];
    const rows = z.length;
    const cols = rows ? (z[0]?.length ?? 0) : 0;
    const uri = images.get(subplot)?.[k];
    if (rows * cols <= MAX_HEATMAP_CELLS || !uri || t.x !== undefined || t.y !== undefined) return t;
    const { width, height } = pngSize(uri);
    changed = true;
    // Pixel centres of the image on the heatmap's cells (cell j spans j - 0.5 … j + 0.5).
    const dx = cols / width;
    const dy = rows / height;
    return {
      type: 'image',
      source: uri,
      x0: -0.5 + dx / 2,
      y0: -0.5 + dy / 2,
      dx,
      dy,
      xaxis: t.xaxis,
      yaxis: t.yaxis,
      hoverinfo: 'skip',
      name: t.name,
    };
  });
  return changed ? out : data;
}

function pngSize(uri: string): { width: number; height: number } {
  const b = Buffer.from(uri.slice(uri.indexOf(',') + 1, uri.indexOf(',') + 1 + 44), 'base64');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}
