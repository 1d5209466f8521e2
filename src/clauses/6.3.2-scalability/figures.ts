import type { ClauseFigure } from '../clause.js';
import type { ScalingRow } from './types.js';

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
export function scalabilityFigures(rows: ScalingRow[]): ClauseFigure[] {
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
  ];
}
