/**
 * SVG path geometry: flattening (curves sampled), bounds, length and the point at a distance —
 * what `getBBox`, `getTotalLength` and `getPointAtLength` need.
 */

/**
 * Flattens an SVG path into polylines (curves sampled), one per subpath, absolute coordinates.
 * @param d the path data
 * @returns the polylines as arrays of `[x, y]`
 * @example
 * flattenPath('M0,0H10V5'); // [[[0,0],[10,0],[10,5]]]
 */
/** An axis-aligned box. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function flattenPath(d: string | null): [number, number][][] {
  const out: [number, number][][] = [];
  if (!d) return out;
  const tokens = d.match(/[a-zA-Z]|[-+]?(?:\d*\.\d+|\d+\.?)(?:[eE][-+]?\d+)?/g) ?? [];
  let i = 0,
    cmd = '',
    x = 0,
    y = 0,
    sx = 0,
    sy = 0;
  let cur: [number, number][] | undefined;
  const num = (): number => Number(tokens[i++]);
  const push = (px: number, py: number): void => {
    if (!cur) {
      cur = [[x, y]];
      out.push(cur);
    }
    cur.push([px, py]);
    x = px;
    y = py;
  };
  const curve = (pts: [number, number][]): void => {
    const [p0, ...rest] = [[x, y] as [number, number], ...pts];
    for (let k = 1; k <= 8; k++) {
      const t = k / 8;
      // de Casteljau on [p0, ...rest]
      let ps = [p0, ...rest];
      while (ps.length > 1)
        ps = ps.slice(1).map((p, j) => [ps[j][0] + (p[0] - ps[j][0]) * t, ps[j][1] + (p[1] - ps[j][1]) * t] as [number, number]);
      push(ps[0][0], ps[0][1]);
    }
  };
  while (i < tokens.length) {
    if (/[a-zA-Z]/.test(tokens[i])) cmd = tokens[i++];
    const rel = cmd === cmd.toLowerCase();
    const ox = rel ? x : 0,
      oy = rel ? y : 0;
    switch (cmd.toUpperCase()) {
      case 'M': {
        x = num() + ox;
        y = num() + oy;
        sx = x;
        sy = y;
        cur = [[x, y]];
        out.push(cur);
        cmd = rel ? 'l' : 'L';
        break;
      }
      case 'L': {
        const px = num() + ox,
          py = num() + oy;
        push(px, py);
        break;
      }
      case 'H':
        push(num() + ox, y);
        break;
      case 'V':
        push(x, num() + oy);
        break;
      case 'C': {
        const a = [num() + ox, num() + oy, num() + ox, num() + oy, num() + ox, num() + oy];
        curve([
          [a[0], a[1]],
          [a[2], a[3]],
          [a[4], a[5]],
        ]);
        break;
      }
      case 'S':
      case 'Q': {
        const a = [num() + ox, num() + oy, num() + ox, num() + oy];
        curve([
          [a[0], a[1]],
          [a[2], a[3]],
        ]);
        break;
      }
      case 'T':
        push(num() + ox, num() + oy);
        break;
      case 'A': {
        i += 5;
        push(num() + ox, num() + oy);
        break;
      }
      case 'Z': {
        push(sx, sy);
        cur = undefined;
        break;
      }
      default:
        i++; // unknown token: skip
    }
  }
  return out;
}

/**
 * The bounding box of polylines.
 * @param polys polylines of `[x, y]`
 * @returns the box, `undefined` when there is no point
 */
export function pointsBox(polys: [number, number][][]): Box | undefined {
  const pts = polys.flat();
  if (pts.length === 0) return undefined;
  const xs = pts.map((p) => p[0]),
    ys = pts.map((p) => p[1]);
  const x0 = Math.min(...xs),
    y0 = Math.min(...ys);
  return { x: x0, y: y0, width: Math.max(...xs) - x0, height: Math.max(...ys) - y0 };
}

/**
 * Total length of a path (curves sampled).
 * @param d path data
 * @returns the length in user units
 */
export function pathLength(d: string | null): number {
  let len = 0;
  for (const poly of flattenPath(d))
    for (let k = 1; k < poly.length; k++) len += Math.hypot(poly[k][0] - poly[k - 1][0], poly[k][1] - poly[k - 1][1]);
  return len;
}

/**
 * The point at a given distance along a path.
 * @param d path data
 * @param at distance from the start (clamped to the path)
 * @returns `{ x, y }`
 */
export function pointAtLength(d: string | null, at: number): { x: number; y: number } {
  let left = Math.max(0, at);
  let last = { x: 0, y: 0 };
  for (const poly of flattenPath(d)) {
    last = { x: poly[0][0], y: poly[0][1] };
    for (let k = 1; k < poly.length; k++) {
      const seg = Math.hypot(poly[k][0] - poly[k - 1][0], poly[k][1] - poly[k - 1][1]);
      if (seg >= left && seg > 0) {
        const t = left / seg;
        return { x: poly[k - 1][0] + (poly[k][0] - poly[k - 1][0]) * t, y: poly[k - 1][1] + (poly[k][1] - poly[k - 1][1]) * t };
      }
      left -= seg;
      last = { x: poly[k][0], y: poly[k][1] };
    }
  }
  return last;
}
