import { baseLayout, figureText, houseAxis, type FigureLang } from '../../figures/style.js';
import type { ClauseFigure } from '../clause.js';
import type { ScalingRow } from './types.js';
import type { TrainingScalingRow } from './training.js';

const PALETTE = ['#1f5fa8', '#d9730d', '#2e8540', '#8e44ad', '#c0392b', '#7f8c8d'];

function series(rows: ScalingRow[], y: (r: ScalingRow) => number, lang: FigureLang) {
  const key = (r: ScalingRow) => `${r.provider}/${r.mode}/${r.batch}`;
  const keys = [...new Set(rows.map(key))];
  return keys.map((k, i) => {
    const rs = rows.filter((r) => key(r) === k).sort((a, b) => a.threads - b.threads);
    const r0 = rs[0]!;
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name: figureText(
        { zh: `${r0.provider}/${MODE_ZH[r0.mode]}/批量 ${r0.batch}`, en: `${r0.provider}/${r0.mode}/batch ${r0.batch}` },
        lang,
      ),
      x: rs.map((r) => r.threads),
      y: rs.map(y),
      line: { color: PALETTE[i % PALETTE.length] },
    };
  });
}

const MODE_ZH: Record<ScalingRow['mode'], string> = { sequential: '顺序', parallel: '并行' };
const THREADS = { zh: '线程数', en: 'threads' };

/** The house layout of a 6.3.2 figure: threads on x (one tick per thread count), `y` the quantity. */
function layout(lang: FigureLang, title: { zh: string; en: string }, y: { zh: string; en: string }, yExtra: Record<string, unknown>) {
  return {
    ...baseLayout({ title, lang }),
    xaxis: houseAxis(THREADS, lang, { dtick: 1 }),
    yaxis: houseAxis(y, lang, yExtra),
  };
}

/** The 6.3.2 figures: speed-up vs threads (with the ideal line), parallel efficiency, throughput. */
export function scalabilityFigures(rows: ScalingRow[], training: TrainingScalingRow[] = []): ClauseFigure[] {
  const maxT = Math.max(1, ...rows.map((r) => r.threads));
  return [
    {
      name: 'speedup',
      title: { zh: '加速比随线程数变化', en: 'Speed-up vs intra-op threads' },
      figure: (lang) => ({
        data: [
          ...series(rows, (r) => r.speedup, lang),
          {
            type: 'scatter',
            mode: 'lines',
            name: figureText({ zh: '理想', en: 'ideal' }, lang),
            x: [1, maxT],
            y: [1, maxT],
            line: { color: '#999999', dash: 'dot' },
          },
        ],
        layout: layout(lang, { zh: '加速比', en: 'Speed-up' }, { zh: '加速比（×）', en: 'speed-up (×)' }, { rangemode: 'tozero' }),
      }),
    },
    {
      name: 'efficiency',
      title: { zh: '并行效率', en: 'Parallel efficiency' },
      figure: (lang) => ({
        data: series(rows, (r) => r.parallelEfficiency, lang),
        layout: layout(
          lang,
          { zh: '并行效率', en: 'Parallel efficiency' },
          { zh: '加速比 ÷ 线程数', en: 'speed-up ÷ threads' },
          { range: [0, 1.2] },
        ),
      }),
    },
    {
      name: 'throughput',
      title: { zh: '吞吐量随线程数变化', en: 'Throughput vs threads' },
      figure: (lang) => ({
        data: series(rows, (r) => r.throughputPerSec, lang),
        layout: layout(lang, { zh: '吞吐量', en: 'Throughput' }, { zh: '样本/秒', en: 'samples / s' }, { rangemode: 'tozero' }),
      }),
    },
    ...(training.length
      ? [
          {
            name: 'training-throughput',
            title: { zh: '训练吞吐量随线程数变化（内置训练器）', en: 'Training throughput vs threads (built-in trainer)' },
            figure: (lang: FigureLang) => ({
              data: [
                {
                  type: 'scatter',
                  mode: 'lines+markers',
                  name: figureText({ zh: '训练', en: 'training' }, lang),
                  x: training.map((r) => r.threads),
                  y: training.map((r) => r.samplesPerSecond),
                  error_y: {
                    type: 'data',
                    symmetric: false,
                    array: training.map((r) => r.high - r.samplesPerSecond),
                    arrayminus: training.map((r) => r.samplesPerSecond - r.low),
                  },
                  line: { color: PALETTE[2] },
                },
              ],
              layout: {
                ...layout(
                  lang,
                  { zh: '训练吞吐量', en: 'Training throughput' },
                  { zh: '训练样本/秒', en: 'training samples / s' },
                  {
                    rangemode: 'tozero',
                  },
                ),
                showlegend: false,
              },
            }),
          },
        ]
      : []),
  ];
}
