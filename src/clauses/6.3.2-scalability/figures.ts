import type { ClauseFigure } from '../clause.js';
import type { ScalingRow } from './types.js';
import type { TrainingScalingRow } from './training.js';

const PALETTE = ['#1f5fa8', '#d9730d', '#2e8540', '#8e44ad', '#c0392b', '#7f8c8d'];

function series(rows: ScalingRow[], y: (r: ScalingRow) => number) {
  const keys = [...new Set(rows.map((r) => `${r.provider}/${r.mode}/batch ${r.batch}`))];
  return keys.map((k, i) => {
    const rs = rows.filter((r) => `${r.provider}/${r.mode}/batch ${r.batch}` === k).sort((a, b) => a.threads - b.threads);
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name: k,
      x: rs.map((r) => r.threads),
      y: rs.map(y),
      line: { color: PALETTE[i % PALETTE.length] },
    };
  });
}

/** The 6.3.2 figures: speed-up vs threads (with the ideal line), parallel efficiency, throughput. */
export function scalabilityFigures(rows: ScalingRow[], training: TrainingScalingRow[] = []): ClauseFigure[] {
  const maxT = Math.max(1, ...rows.map((r) => r.threads));
  return [
    {
      name: 'speedup',
      title: { zh: '加速比随线程数变化', en: 'Speed-up vs intra-op threads' },
      figure: {
        data: [
          ...series(rows, (r) => r.speedup),
          { type: 'scatter', mode: 'lines', name: 'ideal', x: [1, maxT], y: [1, maxT], line: { color: '#999999', dash: 'dot' } },
        ],
        layout: {
          title: { text: 'Speed-up / 加速比' },
          xaxis: { title: { text: 'threads' }, dtick: 1 },
          yaxis: { title: { text: 'speed-up (×)' }, rangemode: 'tozero' },
        },
      },
    },
    {
      name: 'efficiency',
      title: { zh: '并行效率', en: 'Parallel efficiency' },
      figure: {
        data: series(rows, (r) => r.parallelEfficiency),
        layout: {
          title: { text: 'Parallel efficiency / 并行效率' },
          xaxis: { title: { text: 'threads' }, dtick: 1 },
          yaxis: { title: { text: 'speed-up ÷ threads' }, range: [0, 1.2] },
        },
      },
    },
    {
      name: 'throughput',
      title: { zh: '吞吐量随线程数变化', en: 'Throughput vs threads' },
      figure: {
        data: series(rows, (r) => r.throughputPerSec),
        layout: {
          title: { text: 'Throughput / 吞吐量' },
          xaxis: { title: { text: 'threads' }, dtick: 1 },
          yaxis: { title: { text: 'samples / s' }, rangemode: 'tozero' },
        },
      },
    },
    ...(training.length
      ? [
          {
            name: 'training-throughput',
            title: { zh: '训练吞吐量随线程数变化（内置训练器）', en: 'Training throughput vs threads (built-in trainer)' },
            figure: {
              data: [
                {
                  type: 'scatter',
                  mode: 'lines+markers',
                  name: 'training',
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
                title: { text: 'Training throughput / 训练吞吐量' },
                xaxis: { title: { text: 'threads' }, dtick: 1 },
                yaxis: { title: { text: 'training samples / s' }, rangemode: 'tozero' },
              },
            },
          },
        ]
      : []),
  ];
}
