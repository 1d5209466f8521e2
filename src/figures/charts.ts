/**
 * Figure builders for clause notebooks, part 1: line charts with confidence bands, bar charts,
 * histograms and scatter charts with a Pareto front. Each returns a plain plotly figure
 * (`{ data, layout }`) in the house style; the same input always gives the same figure.
 */
import type { PlotlyFigure } from './render.js';
import { baseLayout, colorAt, figureText, withAlpha, type ChartBase, type FigureText } from './style.js';

type Num = number | null;

/** One line of {@link lineChart}: values and an optional band (e.g. a 95 % CI). */
export interface LineSeries {
  name: FigureText;
  y: Num[];
  low?: Num[];
  high?: Num[];
  /** Line dash (`solid`, `dash`, `dot`). */
  dash?: string;
}

/** Input of {@link lineChart}. */
export interface LineChartSpec extends ChartBase {
  x: (number | string)[];
  series: LineSeries[];
  xTitle?: FigureText;
  yTitle?: FigureText;
  /** Axis types, e.g. `log` for sweeps over orders of magnitude. */
  xType?: 'linear' | 'log' | 'category';
  yRange?: [number, number];
  /** Markers on the points (default true). */
  markers?: boolean;
}

/** Largest span of integer x values {@link lineChart} labels at every integer. */
const MAX_INTEGER_TICKS = 12;

/**
 * A line chart with optional shaded bands (`low`..`high`) per series.
 * @param spec x values, series, axis titles, title, language
 * @returns the plotly figure (per banded series: an invisible upper bound, a filled lower bound, the line)
 * @example
 * lineChart({
 *   x: [0, 0.05, 0.1],
 *   series: [{ name: { zh: '准确率', en: 'Accuracy' }, y: [0.9, 0.88, 0.8], low: [0.87, 0.85, 0.76], high: [0.93, 0.91, 0.84] }],
 *   xTitle: 'σ', yTitle: { zh: '准确率', en: 'Accuracy' }, title: { zh: '高斯噪声', en: 'Gaussian noise' } });
 */
export function lineChart(spec: LineChartSpec): PlotlyFigure {
  const lang = spec.lang ?? 'both';
  const data: Record<string, unknown>[] = [];
  spec.series.forEach((s, i) => {
    const color = colorAt(i);
    const name = figureText(s.name, lang);
    if (s.low && s.high) {
      data.push({
        type: 'scatter',
        mode: 'lines',
        x: spec.x,
        y: s.high,
        line: { width: 0, color },
        hoverinfo: 'skip',
        showlegend: false,
        name: `${name} (high)`,
        legendgroup: `s${i}`,
      });
      data.push({
        type: 'scatter',
        mode: 'lines',
        x: spec.x,
        y: s.low,
        line: { width: 0, color },
        fill: 'tonexty',
        fillcolor: withAlpha(color, 0.18),
        hoverinfo: 'skip',
        showlegend: false,
        name: `${name} (low)`,
        legendgroup: `s${i}`,
      });
    }
    data.push({
      type: 'scatter',
      mode: spec.markers === false ? 'lines' : 'lines+markers',
      x: spec.x,
      y: s.y,
      name,
      legendgroup: `s${i}`,
      line: { color, width: 2, dash: s.dash ?? 'solid' },
      marker: { color, size: 6 },
      connectgaps: false,
    });
  });
  const layout = baseLayout({ ...spec });
  if (spec.xType) (layout.xaxis as Record<string, unknown>).type = spec.xType;
  // a few integer x values (epochs, thread counts): one tick per integer, never 1.2, 1.4 …
  const ints = spec.x.filter((v): v is number => typeof v === 'number');
  if (
    !spec.xType &&
    ints.length === spec.x.length &&
    ints.every(Number.isInteger) &&
    Math.max(...ints) - Math.min(...ints) <= MAX_INTEGER_TICKS
  )
    (layout.xaxis as Record<string, unknown>).dtick = 1;
  if (spec.yRange) (layout.yaxis as Record<string, unknown>).range = spec.yRange;
  layout.showlegend = spec.series.length > 1;
  return { data, layout };
}

/** One group of bars of {@link barChart}, with optional error bounds. */
export interface BarSeries {
  name: FigureText;
  values: Num[];
  low?: Num[];
  high?: Num[];
}

/** Input of {@link barChart}. */
export interface BarChartSpec extends ChartBase {
  categories: (string | number)[];
  series: BarSeries[];
  xTitle?: FigureText;
  yTitle?: FigureText;
  /** `v` (default) or `h` (horizontal bars, categories on the y axis, first on top). */
  orientation?: 'v' | 'h';
  barmode?: 'group' | 'stack';
  /** Print the values on the bars with this d3 format, e.g. `.3f`. */
  valueFormat?: string;
}

function errorArrays(v: Num[], low?: Num[], high?: Num[]): Record<string, unknown> | undefined {
  if (!low || !high) return undefined;
  return {
    type: 'data',
    symmetric: false,
    visible: true,
    color: '#444444',
    thickness: 1.2,
    width: 4,
    array: v.map((x, k) => (x === null || high[k] === null ? null : (high[k] as number) - x)),
    arrayminus: v.map((x, k) => (x === null || low[k] === null ? null : x - (low[k] as number))),
  };
}

/**
 * A bar chart (grouped or stacked, vertical or horizontal) with optional asymmetric error bars.
 * @param spec categories, series, titles, orientation
 * @returns the plotly figure
 * @example
 * barChart({ categories: ['cpu', 'webgpu'], series: [{ name: 'Latency (ms)', values: [41.2, 9.8] }], yTitle: 'ms' });
 */
export function barChart(spec: BarChartSpec): PlotlyFigure {
  const lang = spec.lang ?? 'both';
  const h = spec.orientation === 'h';
  const data = spec.series.map((s, i) => {
    const err = errorArrays(s.values, s.low, s.high);
    const t: Record<string, unknown> = {
      type: 'bar',
      orientation: h ? 'h' : 'v',
      name: figureText(s.name, lang),
      marker: { color: colorAt(i) },
      x: h ? s.values : spec.categories,
      y: h ? spec.categories : s.values,
    };
    if (err) t[h ? 'error_x' : 'error_y'] = err;
    if (spec.valueFormat)
      Object.assign(t, { texttemplate: `%{${h ? 'x' : 'y'}:${spec.valueFormat}}`, textposition: 'outside', cliponaxis: false });
    return t;
  });
  const layout = baseLayout({ ...spec });
  layout.barmode = spec.barmode ?? 'group';
  layout.showlegend = spec.series.length > 1;
  const cat = (h ? layout.yaxis : layout.xaxis) as Record<string, unknown>;
  cat.type = 'category';
  cat.showgrid = false;
  if (h) cat.autorange = 'reversed';
  return { data, layout };
}

/** Input of {@link histogram}. */
export interface HistogramSpec extends ChartBase {
  series: { name: FigureText; values: ArrayLike<number> }[];
  /** Number of equal-width bins over the range of all values (default: Sturges, ⌈log2 n⌉ + 1). */
  bins?: number;
  /** Bin range (default: min..max of all finite values). */
  range?: [number, number];
  /** Show fractions instead of counts. */
  normalize?: boolean;
  xTitle?: FigureText;
  yTitle?: FigureText;
}

/**
 * Equal-width bin counts (the last bin includes its upper edge; values outside the range and
 * non-finite values are ignored).
 * @param values the sample
 * @param edges0 lower edge of the first bin
 * @param width bin width
 * @param bins number of bins
 * @returns the counts
 */
export function binCounts(values: ArrayLike<number>, edges0: number, width: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    let k = Math.floor((v - edges0) / width);
    if (k === bins && v <= edges0 + width * bins + 1e-12 * Math.abs(width * bins)) k = bins - 1;
    if (k >= 0 && k < bins) counts[k]++;
  }
  return counts;
}

/** Share of a bin left empty between the groups of side-by-side bars of several series. */
const HISTOGRAM_GAP = 0.15;

/**
 * A histogram, binned here (so the figure stays small and exact): bars of equal width. Several series
 * stand side by side in each bin (each outlined), so that none hides another where they overlap.
 * @param spec samples, bin count or range, normalisation, titles
 * @returns the plotly figure
 * @example
 * histogram({ series: [{ name: 'Δ logit', values: diffs }], bins: 30, xTitle: 'Δ', yTitle: { zh: '频数', en: 'Count' } });
 */
export function histogram(spec: HistogramSpec): PlotlyFigure {
  const lang = spec.lang ?? 'both';
  const finite = spec.series.flatMap((s) => Array.from(s.values).filter(Number.isFinite));
  const n = Math.max(1, finite.length);
  const bins = Math.max(1, Math.round(spec.bins ?? Math.ceil(Math.log2(n)) + 1));
  let [lo, hi] = spec.range ?? [finite.length ? Math.min(...finite) : 0, finite.length ? Math.max(...finite) : 1];
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const centers = Array.from({ length: bins }, (_, k) => lo + (k + 0.5) * width);
  const k = spec.series.length;
  // several series: side by side in each bin (an explicit offset and width per series; plotly's own grouping
  // would move the axis ticks onto the bar positions, e.g. 0.781, 1.744 …)
  const bar = k > 1 ? (width * (1 - HISTOGRAM_GAP)) / k : width;
  const data = spec.series.map((s, i) => {
    const counts = binCounts(s.values, lo, width, bins);
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    const trace: Record<string, unknown> = {
      type: 'bar',
      name: figureText(s.name, lang),
      x: centers,
      y: spec.normalize ? counts.map((c) => c / total) : counts,
      width: bar,
      marker: { color: withAlpha(colorAt(i), 0.85), line: { color: colorAt(i), width: 1 } },
    };
    if (k > 1) trace.offset = (-width * (1 - HISTOGRAM_GAP)) / 2 + i * bar;
    return trace;
  });
  const layout = baseLayout({ ...spec });
  layout.barmode = 'overlay';
  layout.bargap = 0;
  layout.showlegend = k > 1;
  return { data, layout };
}

/**
 * Indices of the Pareto-optimal points: no other point is at least as good on both axes and better
 * on one. Ties (identical points) are all kept.
 * @param x first objective
 * @param y second objective
 * @param opts `minimizeX` (default true, e.g. latency), `maximizeY` (default true, e.g. accuracy)
 * @returns indices of the front, sorted by x ascending
 * @example
 * paretoFront([1, 2, 3], [0.8, 0.7, 0.9]); // [0, 2]
 */
export function paretoFront(x: number[], y: number[], opts: { minimizeX?: boolean; maximizeY?: boolean } = {}): number[] {
  const sx = opts.minimizeX === false ? -1 : 1,
    sy = opts.maximizeY === false ? -1 : 1;
  const front: number[] = [];
  for (let i = 0; i < x.length; i++) {
    let dominated = false;
    for (let j = 0; j < x.length && !dominated; j++) {
      if (j === i) continue;
      const noWorse = sx * x[j] <= sx * x[i] && sy * y[j] >= sy * y[i];
      const better = sx * x[j] < sx * x[i] || sy * y[j] > sy * y[i];
      dominated = noWorse && better;
    }
    if (!dominated && Number.isFinite(x[i]) && Number.isFinite(y[i])) front.push(i);
  }
  return front.sort((a, b) => x[a] - x[b] || y[a] - y[b]);
}

/** Input of {@link scatterChart}. */
export interface ScatterSpec extends ChartBase {
  series: { name: FigureText; x: number[]; y: number[]; text?: string[] }[];
  xTitle?: FigureText;
  yTitle?: FigureText;
  /** Mark the Pareto front over all series (e.g. latency ↓ vs accuracy ↑). */
  pareto?: { minimizeX?: boolean; maximizeY?: boolean; name?: FigureText };
  xType?: 'linear' | 'log';
}

/**
 * A scatter chart, optionally with the Pareto front over all points drawn as a step line and its
 * points ringed.
 * @param spec series, titles, Pareto options
 * @returns the plotly figure
 * @example
 * scatterChart({ series: [{ name: 'variants', x: latencyMs, y: acc, text: names }], pareto: {}, xTitle: 'ms', yTitle: 'Accuracy' });
 */
export function scatterChart(spec: ScatterSpec): PlotlyFigure {
  const lang = spec.lang ?? 'both';
  const data: Record<string, unknown>[] = spec.series.map((s, i) => ({
    type: 'scatter',
    mode: s.text ? 'markers+text' : 'markers',
    name: figureText(s.name, lang),
    x: s.x,
    y: s.y,
    text: s.text,
    textposition: 'top center',
    marker: { color: colorAt(i), size: 8, opacity: 0.85 },
  }));
  if (spec.pareto) {
    const xs = spec.series.flatMap((s) => s.x),
      ys = spec.series.flatMap((s) => s.y);
    const idx = paretoFront(xs, ys, spec.pareto);
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: figureText(spec.pareto.name ?? { zh: '帕累托前沿', en: 'Pareto front' }, lang),
      x: idx.map((k) => xs[k]),
      y: idx.map((k) => ys[k]),
      line: { color: '#000000', width: 1.5, dash: 'dot', shape: 'hv' },
      marker: { size: 13, color: 'rgba(0,0,0,0)', line: { color: '#000000', width: 1.5 } },
      hoverinfo: 'skip',
    });
  }
  const layout = baseLayout({ ...spec });
  if (spec.xType) (layout.xaxis as Record<string, unknown>).type = spec.xType;
  return { data, layout };
}
