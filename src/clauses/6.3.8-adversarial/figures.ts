/**
 * The 6.3.8 figures: robust metric and attack success rate vs ε per norm, and example perturbations
 * (CT/image cases: clean image, perturbation and attacked image with its predicted mask; tabular
 * cases: the perturbation per feature).
 */
import type { AttackResult, Norm } from './attacks/types.js';
import type { CaseModel } from '../../case/predict.js';
import type { LoadedCase } from '../../case/types.js';
import type { Dataset } from '../../data/types.js';
import { barChart, lineChart } from '../../figures/charts.js';
import { imageGrid, type GridImage } from '../../figures/charts-eval.js';
import type { PlotlyFigure } from '../../figures/render.js';
import { figureText, type FigureLang } from '../../figures/style.js';
import type { Bilingual } from '../../results/types.js';
import type { ClauseFigure } from '../clause.js';

/** What the figures need from the evaluation (see adversarial.ts). */
export interface AdversarialFigureInput {
  ds: Dataset;
  /** Clean samples in model space. */
  xm: Float32Array;
  /** Model input shape of the samples. */
  shape: number[];
  rows: { attack: string; norm: Norm; epsilon: number; robust: number | null; attackSuccessRate: number; metric: string }[];
  examples: { attack: string; norm: Norm; epsilon: number; result: AttackResult }[];
  seg: boolean;
}

function rows2d(a: ArrayLike<number>, o: number, h: number, w: number): number[][] {
  return Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) => a[o + i * w + j]!));
}

/** Features shown one bar each: named feature columns or at most this many inputs. */
const MAX_FEATURE_BARS = 64;

/**
 * How a classification example is drawn: `image` for [N, (C,) H, W] inputs, `signal` for long 1-D inputs
 * (one bar per element would be thousands of bars), `features` for tabular rows.
 * @example
 * exampleKind([1, 3, 48, 192], false); // 'image'
 * exampleKind([1, 1536], false); // 'signal'
 */
export function exampleKind(shape: number[], named: boolean): 'image' | 'signal' | 'features' {
  const dim = shape.slice(1).reduce((a, b) => a * b, 1);
  if (named || dim <= MAX_FEATURE_BARS) return 'features';
  const hw = shape.slice(-2);
  if (shape.length >= 3 && hw[0]! >= 8 && hw[1]! >= 8) return 'image';
  return 'signal';
}

/** Channel mean of sample `s` (rows of H × W) of a [N, C, H, W] or [N, H, W] array. */
function channelMean(a: ArrayLike<number>, s: number, shape: number[]): number[][] {
  const h = shape.at(-2)!,
    w = shape.at(-1)!;
  const ch = shape.length >= 4 ? shape.slice(1, -2).reduce((x, y) => x * y, 1) : 1;
  const o = s * ch * h * w;
  return Array.from({ length: h }, (_, i) =>
    Array.from({ length: w }, (_, j) => {
      let t = 0;
      for (let k = 0; k < ch; k++) t += a[o + k * h * w + i * w + j]!;
      return t / ch;
    }),
  );
}

type Example = AdversarialFigureInput['examples'][number];

function exampleTitle(ex: Example, label: string, id: string): { zh: string; en: string } {
  return {
    zh: `样本 ${id} 的扰动示例（${ex.attack}，${label} ε=${ex.epsilon}）：原始输入、扰动、攻击后输入`,
    en: `Example perturbation of ${id} (${ex.attack}, ${label} ε=${ex.epsilon}): clean input, perturbation, attacked input`,
  };
}

/** Clean input, perturbation and attacked input of one image sample (channel mean). */
function imageExample(inp: AdversarialFigureInput, ex: Example, s: number, label: string): ClauseFigure {
  const delta = Float32Array.from(ex.result.xAdv, (v, i) => v - inp.xm[i]!);
  const fooled = ex.result.adversarial[s] ? 1 : 0;
  const attacked: Bilingual = fooled ? { zh: 'x + δ（攻击成功）', en: 'x + δ (fooled)' } : { zh: 'x + δ', en: 'x + δ' };
  const images = (lang: FigureLang): GridImage[] => [
    { title: 'x', z: channelMean(inp.xm, s, inp.shape) },
    { title: `δ (ε=${ex.epsilon})`, z: channelMean(delta, s, inp.shape), range: [-ex.epsilon, ex.epsilon] },
    { title: figureText(attacked, lang), z: channelMean(ex.result.xAdv, s, inp.shape) },
  ];
  const title = { zh: '对抗扰动示例（通道均值）', en: 'Adversarial example (channel mean)' };
  return {
    name: 'examples',
    title: exampleTitle(ex, label, inp.ds.ids[s]!),
    figure: (lang) => imageGrid({ images: images(lang), columns: 3, title, lang }),
  };
}

/** Clean and attacked signal of one sample over the element index, and the perturbation. */
function signalExample(inp: AdversarialFigureInput, ex: Example, s: number, label: string): ClauseFigure {
  const dim = inp.shape.slice(1).reduce((a, b) => a * b, 1);
  const o = s * dim;
  const idx = Array.from({ length: dim }, (_, i) => i);
  const clean = Array.from(inp.xm.subarray(o, o + dim));
  const adv = Array.from(ex.result.xAdv.subarray(o, o + dim));
  return {
    name: 'examples',
    title: exampleTitle(ex, label, inp.ds.ids[s]!),
    figure: (lang) =>
      lineChart({
        lang,
        x: idx,
        series: [
          { name: { zh: '原始', en: 'clean' }, y: clean },
          { name: { zh: '攻击后', en: 'attacked' }, y: adv },
          { name: { zh: '扰动 δ', en: 'perturbation δ' }, y: adv.map((v, i) => v - clean[i]!) },
        ],
        markers: false,
        xTitle: { zh: '元素序号', en: 'element index' },
        yTitle: { zh: '模型输入值', en: 'model-input value' },
        title: { zh: '对抗扰动示例', en: 'Adversarial example' },
      }),
  };
}

/**
 * Builds the 6.3.8 figures.
 * @param c the case (feature names for tabular examples)
 * @param cm the open case model (predicts the example masks)
 * @param inp sweep rows, example attack results and the clean samples
 * @example
 * const figs = await adversarialFigures(c, cm, { ds, xm, shape, rows, examples, seg: false });
 */
export async function adversarialFigures(c: LoadedCase, cm: CaseModel, inp: AdversarialFigureInput): Promise<ClauseFigure[]> {
  const figs: ClauseFigure[] = [];
  const metricName = inp.seg ? { zh: '鲁棒 Dice', en: 'robust Dice' } : { zh: '鲁棒准确率', en: 'robust accuracy' };
  for (const norm of ['linf', 'l2'] as Norm[]) {
    const rs = inp.rows.filter((r) => r.norm === norm);
    if (!rs.length) continue;
    const x = [...new Set(rs.map((r) => r.epsilon))].sort((a, b) => a - b);
    const attacks = [...new Set(rs.map((r) => r.attack))];
    const series = attacks.flatMap((a) => {
      const at = (e: number) => rs.find((r) => r.attack === a && r.epsilon === e);
      const s = [
        {
          name: { zh: `${a}：攻击成功率`, en: `${a}: attack success rate` },
          y: x.map((e) => at(e)?.attackSuccessRate ?? null),
          dash: 'dash',
        },
      ];
      if (rs.some((r) => r.attack === a && r.robust !== null))
        s.unshift({
          name: { zh: `${a}：${metricName.zh}`, en: `${a}: ${metricName.en}` },
          y: x.map((e) => at(e)?.robust ?? null),
          dash: 'solid',
        });
      return s;
    });
    const label = norm === 'linf' ? 'L∞' : 'L2';
    figs.push({
      name: `sweep-${norm}`,
      title: { zh: `${label} 预算下的鲁棒性能与攻击成功率`, en: `Robust performance and attack success rate vs ${label} budget` },
      figure: (lang) =>
        lineChart({
          lang,
          x,
          series,
          xTitle: { zh: `ε（${label}，模型输入空间）`, en: `ε (${label}, model-input space)` },
          yTitle: { zh: '比例', en: 'rate' },
          yRange: [0, 1.05],
          title: { zh: `${label} 预算扫描`, en: `${label} budget sweep` },
        }),
    });
  }
  const scored = inp.examples.filter((e) => Number.isFinite(e.epsilon));
  const ex =
    scored.find((e) => e.norm === 'linf' && e.result.adversarial.some((a) => a)) ??
    scored.find((e) => e.result.adversarial.some((a) => a)) ??
    scored.at(-1);
  if (!ex) return figs;
  const dim = inp.shape.slice(1).reduce((a, b) => a * b, 1);
  const n = inp.ds.ids.length;
  const picks = Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => ex.result.adversarial[b]! - ex.result.adversarial[a]!)
    .slice(0, inp.seg ? 3 : 1);
  const label = ex.norm === 'linf' ? 'L∞' : 'L2';
  if (inp.seg) {
    const h = inp.shape.at(-2)!,
      w = inp.shape.at(-1)!;
    const advPred = await cm.predictModelSpace(ex.result.xAdv, inp.shape, { batchSize: 16 });
    const cleanPred = await cm.predictModelSpace(inp.xm, inp.shape, { batchSize: 16 });
    const panels: { title: Bilingual; image: GridImage }[] = [];
    for (const s of picks) {
      const o = s * dim;
      const delta = Array.from({ length: dim }, (_, i) => ex.result.xAdv[o + i]! - inp.xm[o + i]!);
      const id = inp.ds.ids[s];
      const fooled = ex.result.adversarial[s];
      panels.push({
        title: { zh: `${id} 原图`, en: `${id} clean` },
        image: { z: rows2d(inp.xm, o, h, w), mask: rows2d(cleanPred.masks!, s * h * w, h, w) },
      });
      panels.push({
        title: { zh: `δ（${label} ε=${ex.epsilon}）`, en: `δ (${label} ε=${ex.epsilon})` },
        image: { z: rows2d(delta, 0, h, w), range: [-ex.epsilon, ex.epsilon] },
      });
      panels.push({
        title: { zh: `攻击后${fooled ? '（攻击成功）' : ''}`, en: `attacked${fooled ? ' (fooled)' : ''}` },
        image: { z: rows2d(ex.result.xAdv, o, h, w), mask: rows2d(advPred.masks!, s * h * w, h, w) },
      });
    }
    figs.push({
      name: 'examples',
      title: {
        zh: `扰动示例（${ex.attack}，${label} ε=${ex.epsilon}）：原图+预测、扰动、攻击后+预测`,
        en: `Example perturbations (${ex.attack}, ${label} ε=${ex.epsilon}): clean + prediction, perturbation, attacked + prediction`,
      },
      figure: (lang) =>
        imageGrid({
          images: panels.map((p) => ({ ...p.image, title: figureText(p.title, lang) })),
          columns: 3,
          title: { zh: '对抗扰动示例', en: 'Adversarial examples' },
          lang,
        }),
    });
    return figs;
  }
  const s = picks[0]!;
  const kind = exampleKind(inp.shape, Boolean(c.spec.datasets.test?.featureColumns));
  if (kind !== 'features') {
    figs.push(kind === 'image' ? imageExample(inp, ex, s, label) : signalExample(inp, ex, s, label));
    return figs;
  }
  const names = c.spec.datasets.test?.featureColumns ?? Array.from({ length: dim }, (_, i) => `x${i}`);
  const delta = Array.from({ length: dim }, (_, i) => ex.result.xAdv[s * dim + i]! - inp.xm[s * dim + i]!);
  const meanAbs = Array.from({ length: dim }, (_, i) => {
    let t = 0;
    for (let k = 0; k < n; k++) t += Math.abs(ex.result.xAdv[k * dim + i]! - inp.xm[k * dim + i]!);
    return t / n;
  });
  const bars = (lang: FigureLang): PlotlyFigure => {
    const f = barChart({
      lang,
      categories: names,
      series: [
        {
          name: {
            zh: `样本 ${inp.ds.ids[s]} 的扰动${ex.result.adversarial[s] ? '（攻击成功）' : ''}`,
            en: `perturbation of ${inp.ds.ids[s]}${ex.result.adversarial[s] ? ' (fooled)' : ''}`,
          },
          values: delta,
        },
        { name: { zh: '全部样本平均 |δ|', en: 'mean |δ| over samples' }, values: meanAbs },
      ],
      xTitle: { zh: 'δ（模型输入单位）', en: 'δ (model-input units)' },
      orientation: 'h',
      title: { zh: '对抗扰动示例', en: 'Adversarial perturbation example' },
      height: Math.max(360, 22 * dim + 160),
    });
    (f.layout as Record<string, unknown>).legend = { orientation: 'h', x: 0, y: -0.08, yanchor: 'top' };
    return f;
  };
  figs.push({
    name: 'examples',
    title: {
      zh: `各特征扰动（${ex.attack}，${label} ε=${ex.epsilon}，标准化单位）`,
      en: `Perturbation per feature (${ex.attack}, ${label} ε=${ex.epsilon}, model-input units)`,
    },
    figure: bars,
    height: Math.max(360, 22 * dim + 160),
  });
  return figs;
}
