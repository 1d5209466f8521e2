/**
 * House style of figures: the colour palette (Okabe–Ito, safe for colour-vision deficiencies), the
 * base layout (white paper, light grid, report font) and bilingual text (zh, en or both).
 */
import type { Bilingual } from '../results/types.js';
import { FIGURE_FONT_FAMILY } from './fonts.js';

/** Language of figure text: Chinese, English, or both (`zh / en`; titles on two lines). */
export type FigureLang = 'zh' | 'en' | 'both';

/** A figure text: one string (used as is) or both languages. */
export type FigureText = string | Bilingual;

/** The house palette (Okabe & Ito 2008), in trace order. */
export const PALETTE: readonly string[] = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

/** Colour of the reference/chance lines and neutral marks. */
export const NEUTRAL = '#7F7F7F';

/**
 * The palette colour for trace `i` (cycling).
 * @param i trace index
 * @returns a `#rrggbb` colour
 */
export function colorAt(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/**
 * A `#rrggbb` colour with an alpha, as `rgba()`.
 * @param hex `#rrggbb`
 * @param alpha 0..1
 * @returns `rgba(r,g,b,a)`
 * @example
 * withAlpha('#0072B2', 0.2); // 'rgba(0,114,178,0.2)'
 */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

/**
 * Picks the text of a figure element in a language.
 * @param text a string (returned as is) or `{ zh, en }`
 * @param lang `zh`, `en` or `both`
 * @param kind `title` (both: two lines) or `label` (both: `zh / en` on one line)
 * @returns the text (plotly's `<br>` separates lines)
 * @example
 * figureText({ zh: '准确率', en: 'Accuracy' }, 'both'); // '准确率 / Accuracy'
 */
export function figureText(text: FigureText | undefined, lang: FigureLang = 'both', kind: 'title' | 'label' = 'label'): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  if (lang === 'zh') return text.zh;
  if (lang === 'en') return text.en;
  if (text.zh === text.en) return text.zh;
  return kind === 'title' ? `${text.zh}<br>${text.en}` : `${text.zh} / ${text.en}`;
}

/** Common options of the figure builders. */
export interface ChartBase {
  /** Figure title. */
  title?: FigureText;
  /** Language of the texts given as `{ zh, en }` (default `both`). */
  lang?: FigureLang;
  /** Figure size in px (also used by the renderer). */
  width?: number;
  height?: number;
}

/**
 * A house axis: its title in the language, light grid, outside ticks, and readable tick labels: powers of
 * ten instead of SI prefixes (a y axis of 1e-12 … 1e-6 reads 10⁻¹², never 1p), no labels on the minor
 * ticks of a log axis (only the decades are labelled).
 * @param t the axis title
 * @param lang the language of the title
 * @param extra attributes set over the house ones (e.g. `{ type: 'log' }`)
 * @returns a plotly axis object
 * @example
 * houseAxis({ zh: '延迟（毫秒）', en: 'latency (ms)' }, 'en', { rangemode: 'tozero' });
 */
export function houseAxis(
  t: FigureText | undefined,
  lang: FigureLang = 'both',
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    title: { text: figureText(t, lang) },
    showgrid: true,
    gridcolor: '#E5E5E5',
    zeroline: false,
    linecolor: '#444444',
    showline: true,
    ticks: 'outside',
    automargin: true,
    exponentformat: 'power',
    minorloglabels: 'none',
    ...extra,
  };
}

/**
 * The house base layout: title, axis titles, white paper, light grid, the report font, the palette.
 * @param o title, axis titles, language and size
 * @returns a plotly layout object
 */
export function baseLayout(o: ChartBase & { xTitle?: FigureText; yTitle?: FigureText }): Record<string, unknown> {
  const lang = o.lang ?? 'both';
  const title = figureText(o.title, lang, 'title');
  const axis = (t: FigureText | undefined): Record<string, unknown> => houseAxis(t, lang);
  const layout: Record<string, unknown> = {
    font: { family: FIGURE_FONT_FAMILY, size: 12, color: '#222222' },
    paper_bgcolor: '#FFFFFF',
    plot_bgcolor: '#FFFFFF',
    colorway: [...PALETTE],
    margin: { l: 70, r: 30, t: title ? (title.includes('<br>') ? 80 : 60) : 30, b: 60 },
    xaxis: axis(o.xTitle),
    yaxis: axis(o.yTitle),
    legend: { bgcolor: 'rgba(255,255,255,0.8)' },
    showlegend: true,
  };
  if (title) layout.title = { text: title, x: 0.5, xanchor: 'center', font: { size: 15 } };
  if (o.width) layout.width = o.width;
  if (o.height) layout.height = o.height;
  return layout;
}
