import { baseLayout, figureText, houseAxis } from '../../figures/style.js';
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
  const comparison = { zh: '比较', en: 'comparison' };
  return [
    {
      name: 'deviation',
      title: { zh: '各比较的最大输出绝对差', en: 'Max absolute output difference per comparison' },
      figure: (lang) => ({
        data: [
          {
            type: 'bar',
            x: rows.map((r) => r.comparison),
            y: rows.map((r) => Math.max(r.maxAbsDiff, floor)),
            text: rows.map((r) =>
              r.maxAbsDiff === 0 ? figureText({ zh: '完全一致', en: 'identical' }, lang) : r.maxAbsDiff.toExponential(1),
            ),
            textposition: 'outside',
            cliponaxis: false,
            marker: { color: '#1f5fa8' },
          },
        ],
        layout: {
          ...baseLayout({ title: { zh: '最大输出差异', en: 'max |Δoutput|' }, lang }),
          yaxis: houseAxis({ zh: '最大 |Δ|（对数；1e-12 即完全一致）', en: 'max |Δ| (log; 1e-12 = identical)' }, lang, {
            type: 'log',
            dtick: 1,
          }),
          xaxis: houseAxis(comparison, lang, { type: 'category', showgrid: false }),
          showlegend: false,
        },
      }),
    },
    {
      name: 'agreement',
      title: { zh: '决策一致率', en: 'Decision agreement' },
      figure: (lang) => ({
        data: [{ type: 'bar', x: rows.map((r) => r.comparison), y: rows.map((r) => r.decisionAgreement), marker: { color: '#2e8540' } }],
        layout: {
          ...baseLayout({ title: { zh: '决策一致率', en: 'Decision agreement' }, lang }),
          yaxis: houseAxis({ zh: '一致率', en: 'agreement' }, lang, { range: [0, 1.05] }),
          xaxis: houseAxis(comparison, lang, { type: 'category', showgrid: false }),
          showlegend: false,
        },
      }),
    },
  ];
}
