import { baseLayout, figureText, houseAxis, type FigureLang } from '../../figures/style.js';
import type { ClauseFigure } from '../clause.js';
import type { LatencyRow } from '../common/efficiency-measure.js';
import type { VariantRow } from './variants.js';

const BLUE = '#1f5fa8';
const ORANGE = '#d9730d';

const batchName = (b: number, lang: FigureLang) => figureText({ zh: `批量 ${b}`, en: `batch ${b}` }, lang);

/**
 * The 6.3.4 figures: latency distribution per batch size (box plots), throughput vs batch size,
 * and (with variants) accuracy vs latency with the Pareto front marked.
 */
export function efficiencyFigures(rows: LatencyRow[], variants: VariantRow[], front: number[]): ClauseFigure[] {
  const batches = rows.map((r) => r.batch);
  const figs: ClauseFigure[] = [
    {
      name: 'latency',
      title: { zh: '各批量的单次推理延迟分布', en: 'Latency distribution per batch size' },
      figure: (lang) => ({
        data: rows.map((r) => ({
          type: 'box',
          name: batchName(r.batch, lang),
          y: r.timing.samplesMs,
          boxpoints: false,
          marker: { color: BLUE },
        })),
        layout: {
          ...baseLayout({ title: { zh: '单次推理延迟', en: 'Latency per query' }, lang }),
          xaxis: houseAxis(undefined, lang, { type: 'category', showgrid: false }),
          yaxis: houseAxis({ zh: '延迟（毫秒）', en: 'latency (ms)' }, lang, { rangemode: 'tozero' }),
          showlegend: false,
        },
      }),
    },
    {
      name: 'throughput',
      title: { zh: '吞吐量随批量变化', en: 'Throughput vs batch size' },
      figure: (lang) => ({
        data: [
          {
            type: 'scatter',
            mode: 'lines+markers',
            x: batches,
            y: rows.map((r) => r.throughputPerSec),
            line: { color: BLUE },
            name: figureText({ zh: '吞吐量', en: 'throughput' }, lang),
          },
        ],
        layout: {
          ...baseLayout({ title: { zh: '吞吐量', en: 'Throughput' }, lang }),
          // a log axis labelled at the measured batch sizes only (no minor-tick digits)
          xaxis: houseAxis({ zh: '批量', en: 'batch size' }, lang, {
            type: 'log',
            tickmode: 'array',
            tickvals: batches,
            ticktext: batches.map(String),
          }),
          yaxis: houseAxis({ zh: '样本/秒', en: 'samples / s' }, lang, { rangemode: 'tozero' }),
          showlegend: false,
        },
      }),
    },
  ];
  if (variants.length) {
    const onFront = new Set(front);
    figs.push({
      name: 'pareto',
      title: { zh: '模型变体：精度–延迟与帕累托前沿', en: 'Model variants: accuracy vs latency, Pareto front' },
      figure: (lang) => ({
        data: [
          {
            type: 'scatter',
            mode: 'markers+text',
            x: variants.map((v) => v.latencyP50Ms),
            y: variants.map((v) => v.score),
            text: variants.map((v) => v.variant),
            textposition: 'top center',
            marker: { size: 10, color: variants.map((_, i) => (onFront.has(i) ? ORANGE : BLUE)) },
            name: figureText({ zh: '变体', en: 'variants' }, lang),
          },
          {
            type: 'scatter',
            mode: 'lines',
            x: front.map((i) => variants[i]!.latencyP50Ms).sort((a, b) => a - b),
            y: [...front].sort((a, b) => variants[a]!.latencyP50Ms - variants[b]!.latencyP50Ms).map((i) => variants[i]!.score),
            line: { color: ORANGE, dash: 'dash' },
            name: figureText({ zh: '帕累托前沿', en: 'Pareto front' }, lang),
          },
        ],
        layout: {
          ...baseLayout({ title: { zh: '精度与延迟', en: 'Accuracy vs latency' }, lang }),
          xaxis: houseAxis({ zh: '批量 1 的 p50 延迟（毫秒）', en: 'p50 latency at batch 1 (ms)' }, lang),
          yaxis: houseAxis(variants[0]!.metric, lang),
        },
      }),
    });
  }
  return figs;
}
