/**
 * Figure builders for clause notebooks, part 2: forest plots, ROC curves, annotated heatmaps
 * (confusion matrices) and image grids (images and masks as heatmaps in a subplot grid).
 */
import type { PlotlyFigure } from './render.js';
import { baseLayout, colorAt, figureText, NEUTRAL, type ChartBase, type FigureText } from './style.js';

/** Input of {@link forestPlot}. */
export interface ForestSpec extends ChartBase {
  /** One row per estimate (first row on top). */
  rows: { label: string; estimate: number; low: number; high: number }[];
  /** A vertical reference line (e.g. the claimed value, 0 for differences, 1 for ratios). */
  reference?: number;
  xTitle?: FigureText;
  /** Print `estimate [low, high]` right of the plot with this many decimals (default 3; false: none). */
  decimals?: number | false;
}

/**
 * A forest plot: point estimates with interval whiskers per row and an optional reference line.
 * @param spec rows, reference, axis title
 * @returns the plotly figure
 * @example
 * forestPlot({ rows: [{ label: 'site A', estimate: 0.91, low: 0.88, high: 0.94 }], reference: 0.85, xTitle: 'AUC' });
 */
export function forestPlot(spec: ForestSpec): PlotlyFigure {
  const labels = spec.rows.map((r) => r.label);
  const dec = spec.decimals === undefined ? 3 : spec.decimals;
  const data: Record<string, unknown>[] = [
    {
      type: 'scatter',
      mode: 'markers',
      x: spec.rows.map((r) => r.estimate),
      y: labels,
      showlegend: false,
      marker: { symbol: 'square', size: 9, color: colorAt(0) },
      error_x: {
        type: 'data',
        symmetric: false,
        array: spec.rows.map((r) => r.high - r.estimate),
        arrayminus: spec.rows.map((r) => r.estimate - r.low),
        color: colorAt(0),
        thickness: 1.5,
        width: 5,
      },
    },
  ];
  const layout = baseLayout({ ...spec, yTitle: undefined });
  Object.assign(layout.yaxis as object, { type: 'category', autorange: 'reversed', showgrid: false, title: { text: '' } });
  layout.showlegend = false;
  layout.height = spec.height ?? Math.max(220, 90 + 32 * spec.rows.length);
  if (spec.reference !== undefined) {
    layout.shapes = [
      {
        type: 'line',
        xref: 'x',
        yref: 'paper',
        x0: spec.reference,
        x1: spec.reference,
        y0: 0,
        y1: 1,
        line: { color: NEUTRAL, width: 1.5, dash: 'dash' },
      },
    ];
  }
  if (dec !== false) {
    layout.annotations = spec.rows.map((r) => ({
      xref: 'paper',
      x: 1.02,
      xanchor: 'left',
      yref: 'y',
      y: r.label,
      showarrow: false,
      text: `${r.estimate.toFixed(dec)} [${r.low.toFixed(dec)}, ${r.high.toFixed(dec)}]`,
      font: { size: 11 },
    }));
    layout.margin = { ...(layout.margin as object), r: 150 };
  }
  return { data, layout };
}

/** Input of {@link rocCurve}. */
export interface RocSpec extends ChartBase {
  /** One curve per model/class: false- and true-positive rates (same length), and its AUC. */
  curves: { name: FigureText; fpr: ArrayLike<number>; tpr: ArrayLike<number>; auc?: number }[];
}

/**
 * ROC curves with the chance diagonal, on a square unit plot; the legend shows each AUC.
 * @param spec curves and title
 * @returns the plotly figure
 * @example
 * rocCurve({ curves: [{ name: 'model', fpr: roc.fpr, tpr: roc.tpr, auc: 0.93 }], title: 'ROC' });
 */
export function rocCurve(spec: RocSpec): PlotlyFigure {
  const lang = spec.lang ?? 'both';
  const data: Record<string, unknown>[] = spec.curves.map((c, i) => ({
    type: 'scatter',
    mode: 'lines',
    x: Array.from(c.fpr),
    y: Array.from(c.tpr),
    line: { color: colorAt(i), width: 2 },
    name: `${figureText(c.name, lang)}${c.auc !== undefined ? ` (AUC = ${c.auc.toFixed(3)})` : ''}`,
  }));
  data.push({
    type: 'scatter',
    mode: 'lines',
    x: [0, 1],
    y: [0, 1],
    name: figureText({ zh: '随机', en: 'chance' }, lang),
    line: { color: NEUTRAL, dash: 'dash', width: 1 },
    hoverinfo: 'skip',
  });
  const layout = baseLayout({
    ...spec,
    xTitle: { zh: '假阳性率 (1 − 特异度)', en: 'False positive rate (1 − specificity)' },
    yTitle: { zh: '真阳性率 (灵敏度)', en: 'True positive rate (sensitivity)' },
  });
  Object.assign(layout.xaxis as object, { range: [0, 1], constrain: 'domain' });
  Object.assign(layout.yaxis as object, { range: [0, 1.02], scaleanchor: 'x', scaleratio: 1, constrain: 'domain' });
  layout.legend = { x: 0.98, xanchor: 'right', y: 0.02, yanchor: 'bottom', bgcolor: 'rgba(255,255,255,0.85)' };
  layout.width = spec.width ?? 560;
  layout.height = spec.height ?? 520;
  return { data, layout };
}

/** Input of {@link heatmap}. */
export interface HeatmapSpec extends ChartBase {
  /** Values by row (y) then column (x); for a confusion matrix rows are true labels. */
  z: number[][];
  x: (string | number)[];
  y: (string | number)[];
  xTitle?: FigureText;
  yTitle?: FigureText;
  /** Write each cell's value (default true); with `normalize: 'row'` the row percentage follows. */
  annotate?: boolean;
  /** Colour by the row share (confusion matrices: recall per true class); the text keeps the counts. */
  normalize?: 'row';
  /** A plotly colour scale name or stops (default: white → house blue). */
  colorscale?: string | [number, string][];
  /** d3 format of the cell values (default: integers as is, else `.3g`). */
  valueFormat?: string;
}

function fmt(v: number, f?: string): string {
  if (!Number.isFinite(v)) return '';
  if (f === undefined) return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3)));
  const m = /^\.(\d+)([fg%])$/.exec(f);
  if (!m) return String(v);
  const d = Number(m[1]);
  return m[2] === 'f' ? v.toFixed(d) : m[2] === '%' ? `${(v * 100).toFixed(d)}%` : String(Number(v.toPrecision(Math.max(1, d))));
}

/**
 * An annotated heatmap, e.g. a confusion matrix (rows: true label, columns: predicted label, first
 * row on top); cell texts switch to white on dark cells.
 * @param spec matrix, labels, titles, annotation and normalisation
 * @returns the plotly figure
 * @example
 * heatmap({ z: cm, x: labels, y: labels, xTitle: { zh: '预测', en: 'Predicted' }, yTitle: { zh: '真实', en: 'True' }, normalize: 'row' });
 */
export function heatmap(spec: HeatmapSpec): PlotlyFigure {
  const shade =
    spec.normalize === 'row'
      ? spec.z.map((row) => {
          const s = row.reduce((a, b) => a + b, 0);
          return row.map((v) => (s > 0 ? v / s : 0));
        })
      : spec.z;
  const flat = shade.flat().filter(Number.isFinite);
  const lo = flat.length ? Math.min(...flat) : 0,
    hi = flat.length ? Math.max(...flat) : 1;
  const xs = spec.x.map(String),
    ys = spec.y.map(String);
  const data = [
    {
      type: 'heatmap',
      z: shade,
      x: xs,
      y: ys,
      zmin: spec.normalize === 'row' ? 0 : lo,
      zmax: spec.normalize === 'row' ? 1 : hi,
      colorscale: spec.colorscale ?? [
        [0, '#FFFFFF'],
        [1, colorAt(0)],
      ],
      xgap: 1,
      ygap: 1,
      hoverongaps: false,
      colorbar: { thickness: 12, outlinewidth: 0, tickformat: spec.normalize === 'row' ? '.0%' : undefined },
    },
  ];
  const layout = baseLayout({ ...spec });
  Object.assign(layout.xaxis as object, { type: 'category', showgrid: false, showline: false, ticks: '', side: 'bottom' });
  Object.assign(layout.yaxis as object, { type: 'category', showgrid: false, showline: false, ticks: '', autorange: 'reversed' });
  layout.showlegend = false;
  if (spec.annotate !== false) {
    const span = (spec.normalize === 'row' ? 1 : hi - lo) || 1;
    const base = spec.normalize === 'row' ? 0 : lo;
    layout.annotations = spec.z.flatMap((row, i) =>
      row.map((v, j) => {
        const share = shade[i][j];
        const text = spec.normalize === 'row' ? `${fmt(v, spec.valueFormat)}<br>(${(share * 100).toFixed(1)}%)` : fmt(v, spec.valueFormat);
        return {
          x: xs[j],
          y: ys[i],
          xref: 'x',
          yref: 'y',
          text,
          showarrow: false,
          font: { size: 12, color: (share - base) / span > 0.55 ? '#FFFFFF' : '#222222' },
        };
      }),
    );
  }
  return { data, layout };
}

/** One panel of {@link imageGrid}: a greyscale image and an optional binary mask drawn over it. */
export interface GridImage {
  title?: string;
  /** Pixel values by row (top row first). */
  z: number[][];
  /** 0/1 mask of the same size, drawn in translucent orange. */
  mask?: number[][];
  /** Value range of the grey scale (default: the image's min..max). */
  range?: [number, number];
}

/** Input of {@link imageGrid}. */
export interface ImageGridSpec extends ChartBase {
  images: GridImage[];
  /** Panels per row (default: ⌈√n⌉). */
  columns?: number;
  /** Panel size in px (default 160). */
  panel?: number;
}

/**
 * Small images (and masks) in a grid of subplots, drawn as heatmaps with square pixels and hidden
 * axes: for showing samples, corruptions, saliency maps or segmentation masks.
 * @param spec images, columns, panel size, title
 * @returns the plotly figure
 * @example
 * imageGrid({ images: samples.map((s, i) => ({ title: `#${i}`, z: s.pixels, mask: s.mask })), columns: 4, title: 'Samples' });
 */
export function imageGrid(spec: ImageGridSpec): PlotlyFigure {
  const n = spec.images.length;
  const cols = Math.max(1, Math.min(n, spec.columns ?? Math.ceil(Math.sqrt(n))));
  const rows = Math.max(1, Math.ceil(n / cols));
  const panel = spec.panel ?? 160,
    gap = 0.04;
  const cw = (1 - gap * (cols - 1)) / cols,
    rh = (1 - gap * (rows - 1)) / rows;
  const data: Record<string, unknown>[] = [];
  const layout = baseLayout({ ...spec });
  delete layout.xaxis;
  delete layout.yaxis;
  const annotations: Record<string, unknown>[] = [];
  spec.images.forEach((img, k) => {
    const r = Math.floor(k / cols),
      c = k % cols,
      id = k === 0 ? '' : String(k + 1);
    const flat = img.z.flat().filter(Number.isFinite);
    const [lo, hi] = img.range ?? [flat.length ? Math.min(...flat) : 0, flat.length ? Math.max(...flat) : 1];
    data.push({
      type: 'heatmap',
      z: img.z,
      xaxis: `x${id}`,
      yaxis: `y${id}`,
      colorscale: 'Greys',
      reversescale: true,
      zmin: lo,
      zmax: hi === lo ? lo + 1 : hi,
      showscale: false,
      hoverinfo: 'z',
    });
    if (img.mask) {
      data.push({
        type: 'heatmap',
        z: img.mask,
        xaxis: `x${id}`,
        yaxis: `y${id}`,
        zmin: 0,
        zmax: 1,
        showscale: false,
        hoverinfo: 'skip',
        colorscale: [
          [0, 'rgba(0,0,0,0)'],
          [0.5, 'rgba(0,0,0,0)'],
          [0.5001, 'rgba(213,94,0,0.5)'],
          [1, 'rgba(213,94,0,0.5)'],
        ],
      });
    }
    const x0 = c * (cw + gap),
      y1 = 1 - r * (rh + gap);
    layout[`xaxis${id}`] = { domain: [x0, x0 + cw], visible: false, anchor: `y${id}`, constrain: 'domain' };
    layout[`yaxis${id}`] = {
      domain: [y1 - rh, y1],
      visible: false,
      anchor: `x${id}`,
      autorange: 'reversed',
      scaleanchor: `x${id}`,
      constrain: 'domain',
    };
    if (img.title)
      annotations.push({
        text: img.title,
        xref: 'paper',
        yref: 'paper',
        x: x0 + cw / 2,
        y: y1,
        yanchor: 'bottom',
        xanchor: 'center',
        showarrow: false,
        font: { size: 11 },
      });
  });
  layout.annotations = annotations;
  layout.showlegend = false;
  const top = (layout.margin as { t: number }).t;
  layout.margin = { l: 10, r: 10, b: 10, t: top + 16 };
  layout.width = spec.width ?? cols * panel + 20;
  layout.height = spec.height ?? rows * (panel + 20) + top + 16;
  return { data, layout };
}
