import { histogram, lineChart } from '../../figures/charts.js';
import { rocCurve } from '../../figures/charts-eval.js';
import type { ClauseFigure } from '../clause.js';
import type { Bilingual } from '../../results/types.js';
import type { OodDetection } from './ood.js';
import type { SeverityRow } from './types.js';

/**
 * The 6.3.6 figures: metric vs severity per corruption (95 % CI bands, clean baseline at severity 0),
 * confidence histograms of test / OOD / invalid samples, and the OOD-detection ROC curve.
 */
export function robustnessFigures(
  rows: SeverityRow[],
  clean: number,
  metric: string,
  inConf: ArrayLike<number>,
  extra: Record<string, ArrayLike<number>>,
  ood?: OodDetection,
): ClauseFigure[] {
  const setName: Record<string, Bilingual> = { ood: { zh: '分布外', en: 'OOD' }, invalid: { zh: '不合格', en: 'invalid' } };
  const names = [...new Set(rows.map((r) => r.corruption))];
  const sev = [0, ...[...new Set(rows.map((r) => r.severity))].sort((a, b) => a - b)];
  const figs: ClauseFigure[] = [
    {
      name: 'severity',
      title: { zh: `${metric} 随腐蚀严重度变化（95% 置信区间）`, en: `${metric} vs corruption severity (95 % CI)` },
      height: 480,
      figure: (lang) =>
        lineChart({
          lang,
          x: sev,
          series: names.map((n) => {
            const rs = sev.map((s) => rows.find((r) => r.corruption === n && r.severity === s));
            return {
              name: n,
              y: rs.map((r, i) => (i === 0 ? clean : (r?.value ?? null))),
              low: rs.map((r, i) => (i === 0 ? clean : (r?.low ?? null))),
              high: rs.map((r, i) => (i === 0 ? clean : (r?.high ?? null))),
            };
          }),
          xTitle: { zh: '严重度（0 = 原始）', en: 'severity (0 = clean)' },
          yTitle: metric,
          title: { zh: `${metric} 与腐蚀严重度`, en: `${metric} vs severity` },
          height: 480,
        }),
    },
  ];
  const sets = Object.entries(extra).filter(([, v]) => v.length);
  if (sets.length) {
    figs.push({
      name: 'confidence',
      title: { zh: '测试集、分布外与不合格样本的置信度', en: 'Confidence of test, OOD and invalid samples' },
      figure: (lang) =>
        histogram({
          lang,
          series: [
            { name: { zh: '测试集', en: 'test' }, values: inConf },
            ...sets.map(([name, values]) => ({ name: setName[name] ?? name, values })),
          ],
          bins: 20,
          range: [0, 1],
          normalize: true,
          xTitle: { zh: '置信度', en: 'confidence' },
          yTitle: { zh: '占比', en: 'fraction' },
          title: { zh: '置信度分布', en: 'Confidence distribution' },
        }),
    });
  }
  if (ood) {
    figs.push({
      name: 'ood-roc',
      title: { zh: '以置信度检测分布外样本的 ROC 曲线', en: 'OOD detection by confidence: ROC' },
      figure: (lang) =>
        rocCurve({
          lang,
          curves: [
            { name: { zh: '最大 softmax 概率', en: 'max softmax probability' }, fpr: ood.roc.fpr, tpr: ood.roc.tpr, auc: ood.auroc },
          ],
          title: { zh: '分布外检测 ROC', en: 'OOD detection ROC' },
        }),
    });
  }
  return figs;
}
