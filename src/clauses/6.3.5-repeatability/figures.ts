import type { ClauseFigure } from '../clause.js';

/** The rows the figures need (see RepeatRow in repeatability.ts). */
interface Row {
  comparison: string;
  maxAbsDiff: number;
  decisionAgreement: number;
}

/** The 6.3.5 figures: max |Δoutput| per comparison (log scale; 0 shown at the floor) and decision agreement. */
export function repeatabilityFigures(rows: Row[]): ClauseFigure[] {
  const floor = 1e-12;
  return [
    {
      name: 'deviation',
      title: { zh: '各比较的最大输出绝对差', en: 'Max absolute output difference per comparison' },
      figure: {
        data: [
          {
            type: 'bar',
            x: rows.map((r) => r.comparison),
            y: rows.map((r) => Math.max(r.maxAbsDiff, floor)),
            text: rows.map((r) => (r.maxAbsDiff === 0 ? 'identical' : r.maxAbsDiff.toExponential(1))),
            textposition: 'outside',
            marker: { color: '#1f5fa8' },
          },
        ],
        layout: {
          title: { text: 'max |Δoutput| / 最大输出差异' },
          yaxis: { title: { text: 'max |Δ| (log; 1e-12 = identical)' }, type: 'log' },
          xaxis: { title: { text: 'comparison' } },
        },
      },
    },
    {
      name: 'agreement',
      title: { zh: '决策一致率', en: 'Decision agreement' },
      figure: {
        data: [{ type: 'bar', x: rows.map((r) => r.comparison), y: rows.map((r) => r.decisionAgreement), marker: { color: '#2e8540' } }],
        layout: {
          title: { text: 'Decision agreement / 决策一致率' },
          yaxis: { title: { text: 'agreement' }, range: [0, 1.05] },
          xaxis: { title: { text: 'comparison' } },
        },
      },
    },
  ];
}
