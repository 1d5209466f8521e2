/**
 * Figures of 6.3.1 and 6.3.3: loss convergence curves (train, validation, smoothed steps), the task
 * metric per epoch, the provider's logged curve, training time per epoch vs threads, and the
 * transfer comparison (pre-trained, fine-tuned, from scratch).
 */
import { barChart, lineChart } from '../../figures/charts.js';
import { figureText } from '../../figures/style.js';
import type { ConvergenceAnalysis } from '../../training/convergence.js';
import type { TrainingHistory } from '../../training/trainer.js';
import type { ClauseFigure } from '../clause.js';

const finite = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

/** The 6.3.1 figures. */
export function trainabilityFigures(
  h: TrainingHistory,
  a: ConvergenceAnalysis,
  sweep: { threads: number; secondsPerEpoch: number }[],
  provider: Record<string, number>[] | undefined,
  task: 'segmentation' | 'classification',
): ClauseFigure[] {
  const epochs = h.epochs.map((e) => e.epoch + 1);
  const metric = task === 'segmentation' ? { zh: 'Dice', en: 'Dice' } : { zh: '准确率', en: 'Accuracy' };
  const figs: ClauseFigure[] = [
    {
      name: 'loss-curve',
      title: { zh: '损失收敛曲线（训练/验证）', en: 'Loss convergence curve (train / validation)' },
      figure: (lang) =>
        lineChart({
          lang,
          x: epochs,
          xTitle: { zh: '轮次', en: 'Epoch' },
          yTitle: { zh: '损失', en: 'Loss' },
          title: { zh: '损失收敛曲线', en: 'Loss convergence' },
          series: [
            { name: { zh: '训练损失', en: 'Train loss' }, y: h.epochs.map((e) => finite(e.trainLoss)) as number[] },
            { name: { zh: '验证损失', en: 'Validation loss' }, y: h.epochs.map((e) => finite(e.valLoss)) as number[], dash: 'dash' },
          ],
        }),
    },
    {
      name: 'step-loss',
      title: { zh: '逐步损失与平滑曲线', en: 'Loss per step and smoothed curve' },
      figure: (lang) =>
        lineChart({
          lang,
          x: h.steps.map((s) => s.step + 1),
          xTitle: { zh: '步', en: 'Step' },
          yTitle: { zh: '损失', en: 'Loss' },
          markers: false,
          title: { zh: '逐步损失', en: 'Loss per step' },
          series: [
            { name: { zh: '每步损失', en: 'Step loss' }, y: h.steps.map((s) => finite(s.loss)) as number[] },
            { name: { zh: '指数平滑', en: 'Smoothed (EMA)' }, y: a.smoothed.map((v) => finite(v)) as number[] },
          ],
        }),
    },
    {
      name: 'metric-curve',
      title: { zh: `${metric.zh}（训练/验证）`, en: `${metric.en} (train / validation)` },
      figure: (lang) =>
        lineChart({
          lang,
          x: epochs,
          xTitle: { zh: '轮次', en: 'Epoch' },
          yTitle: metric,
          title: metric,
          series: [
            { name: { zh: '训练', en: 'Train' }, y: h.epochs.map((e) => finite(e.trainMetric)) as number[] },
            { name: { zh: '验证', en: 'Validation' }, y: h.epochs.map((e) => finite(e.valMetric)) as number[], dash: 'dash' },
          ],
        }),
    },
  ];
  if (sweep.length) {
    figs.push({
      name: 'threads',
      title: { zh: '每轮训练时间与线程数', en: 'Training time per epoch vs threads' },
      figure: (lang) =>
        barChart({
          lang,
          categories: sweep.map((s) => String(s.threads)),
          series: [{ name: { zh: '秒/轮', en: 's / epoch' }, values: sweep.map((s) => s.secondsPerEpoch) }],
          valueFormat: '.2f',
          xTitle: { zh: 'onnxruntime 线程数', en: 'onnxruntime threads' },
          yTitle: { zh: '秒', en: 's' },
          title: { zh: '训练时间', en: 'Training time' },
        }),
    });
  }
  const loss = provider?.filter((r) => r['loss'] !== undefined) ?? [];
  if (loss.length) {
    figs.push({
      name: 'provider-curve',
      title: { zh: '提供方训练命令的损失曲线', en: "Loss curve logged by the provider's training command" },
      figure: (lang) =>
        lineChart({
          lang,
          x: loss.map((r, i) => r['epoch'] ?? i + 1),
          xTitle: { zh: '轮次', en: 'Epoch' },
          yTitle: { zh: '损失', en: 'Loss' },
          title: { zh: '提供方训练', en: 'Provider training' },
          series: [
            { name: { zh: '训练损失', en: 'Train loss' }, y: loss.map((r) => finite(r['loss'])) as number[] },
            {
              name: { zh: '验证损失', en: 'Validation loss' },
              y: loss.map((r) => finite(r['valLoss'] ?? r['val_loss'])) as number[],
              dash: 'dash',
            },
          ],
        }),
    });
  }
  return figs;
}

/** The 6.3.3 figures: validation curves of fine-tuning vs from scratch, and the metric comparison with CIs. */
export function transferFigures(
  ft: TrainingHistory,
  scratch: TrainingHistory | undefined,
  compare: { name: { zh: string; en: string }; value: number; low: number; high: number }[],
  metric: { zh: string; en: string },
): ClauseFigure[] {
  const figs: ClauseFigure[] = [
    {
      name: 'curves',
      title: { zh: '微调与从头训练的验证曲线', en: 'Validation curves: fine-tuning vs training from scratch' },
      figure: (lang) =>
        lineChart({
          lang,
          x: ft.epochs.map((e) => e.epoch + 1),
          xTitle: { zh: '轮次', en: 'Epoch' },
          yTitle: metric,
          title: { zh: '下游任务', en: 'Downstream task' },
          series: [
            {
              name: { zh: '微调（预训练起点）', en: 'Fine-tuned (pre-trained start)' },
              y: ft.epochs.map((e) => finite(e.valMetric)) as number[],
            },
            ...(scratch
              ? [
                  {
                    name: { zh: '从头训练（同预算）', en: 'From scratch (same budget)' },
                    y: scratch.epochs.map((e) => finite(e.valMetric)) as number[],
                    dash: 'dash',
                  },
                ]
              : []),
          ],
        }),
    },
  ];
  figs.push({
    name: 'comparison',
    title: { zh: `下游测试集 ${metric.zh}（95% 置信区间）`, en: `${metric.en} on the downstream test set (95 % CI)` },
    figure: (lang) =>
      barChart({
        lang,
        categories: compare.map((r) => figureText(r.name, lang)),
        xTitle: { zh: '模型', en: 'Model' },
        yTitle: metric,
        title: metric,
        valueFormat: '.3f',
        series: [{ name: metric, values: compare.map((r) => r.value), low: compare.map((r) => r.low), high: compare.map((r) => r.high) }],
      }),
  });
  return figs;
}
