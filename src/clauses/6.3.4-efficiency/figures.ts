import type { ClauseFigure } from '../clause.js';
import type { LatencyRow } from '../common/efficiency-measure.js';
import type { VariantRow } from './variants.js';

const BLUE = '#1f5fa8';
const ORANGE = '#d9730d';

/**
 * The 6.3.4 figures: latency distribution per batch size (box plots), throughput vs batch size,
 * and (with variants) accuracy vs latency with the Pareto front marked.
 */
export function efficiencyFigures(rows: LatencyRow[], variants: VariantRow[], front: number[]): ClauseFigure[] {
  const figs: ClauseFigure[] = [
    {
      name: 'latency',
      title: { zh: '各批量的单次推理延迟分布', en: 'Latency distribution per batch size' },
      figure: {
        data: rows.map((r) => ({
          type: 'box',
          name: `batch ${r.batch}`,
          y: r.timing.samplesMs,
          boxpoints: false,
          marker: { color: BLUE },
        })),
        layout: {
          title: { text: 'Latency per query / 单次推理延迟' },
          yaxis: { title: { text: 'latency (ms)' }, rangemode: 'tozero' },
          showlegend: false,
        },
      },
    },
    {
      name: 'throughput',
      title: { zh: '吞吐量随批量变化', en: 'Throughput vs batch size' },
      figure: {
        data: [
          {
            type: 'scatter',
            mode: 'lines+markers',
            x: rows.map((r) => r.batch),
            y: rows.map((r) => r.throughputPerSec),
            line: { color: BLUE },
            name: 'throughput',
          },
        ],
        layout: {
          title: { text: 'Throughput / 吞吐量' },
          xaxis: { title: { text: 'batch size' }, type: 'log' },
          yaxis: { title: { text: 'samples / s' }, rangemode: 'tozero' },
        },
      },
    },
  ];
  if (variants.length) {
    const onFront = new Set(front);
    figs.push({
      name: 'pareto',
      title: { zh: '模型变体：精度–延迟与帕累托前沿', en: 'Model variants: accuracy vs latency, Pareto front' },
      figure: {
        data: [
          {
            type: 'scatter',
            mode: 'markers+text',
            x: variants.map((v) => v.latencyP50Ms),
            y: variants.map((v) => v.score),
            text: variants.map((v) => v.variant),
            textposition: 'top center',
            marker: { size: 10, color: variants.map((_, i) => (onFront.has(i) ? ORANGE : BLUE)) },
            name: 'variants',
          },
          {
            type: 'scatter',
            mode: 'lines',
            x: front.map((i) => variants[i]!.latencyP50Ms).sort((a, b) => a - b),
            y: [...front].sort((a, b) => variants[a]!.latencyP50Ms - variants[b]!.latencyP50Ms).map((i) => variants[i]!.score),
            line: { color: ORANGE, dash: 'dash' },
            name: 'Pareto front',
          },
        ],
        layout: {
          title: { text: 'Accuracy vs latency / 精度与延迟' },
          xaxis: { title: { text: 'p50 latency at batch 1 (ms)' } },
          yaxis: { title: { text: variants[0]!.metric } },
        },
      },
    });
  }
  return figs;
}
