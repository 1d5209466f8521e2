/**
 * Figures in the report's language (issue 15): a figure built per language renders with its texts in that
 * language only, is saved as `.zh.svg` / `.en.svg` beside the bilingual `.svg`, and the PDF of each
 * language embeds its own; axes read in powers of ten, log axes label only the decades, and overlaid
 * distributions stay visible.
 */
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { histogram, lineChart } from '../../src/figures/charts.js';
import { figureIn, renderPlotlySvg, saveFigure, type LocalizedFigure } from '../../src/figures/render.js';
import { reportFont } from '../../src/figures/fonts.js';
import { houseAxis, type FigureLang } from '../../src/figures/style.js';
import type { ClauseFigure } from '../../src/clauses/clause.js';
import { trainabilityFigures, transferFigures } from '../../src/clauses/common/training-figures.js';
import { scalabilityFigures } from '../../src/clauses/6.3.2-scalability/figures.js';
import { efficiencyFigures } from '../../src/clauses/6.3.4-efficiency/figures.js';
import { repeatabilityFigures } from '../../src/clauses/6.3.5-repeatability/figures.js';
import { robustnessFigures } from '../../src/clauses/6.3.6-robustness/figures.js';
import { listFiles } from '../../src/evidence/hash.js';
import { loadFigure } from '../../src/report/figures.js';
import { renderReportBuffer } from '../../src/report/render.js';
import type { ClauseResult } from '../../src/results/types.js';
import { packageRoot } from '../../src/util/package-root.js';
import { getAjv } from '../../src/util/schema.js';
import { pdfPlainText } from '../report/language.js';

const fontkit = require('fontkit') as { openSync(p: string): { hasGlyphForCodePoint(c: number): boolean } };
const font = fontkit.openSync(reportFont().regular);

/** The characters of the texts that the report font has no glyph for (drawn as boxes in the PDF). */
function missingGlyphs(texts: string[]): string[] {
  return [...new Set([...texts.join('')])].filter((c) => !/\s/.test(c) && !font.hasGlyphForCodePoint(c.codePointAt(0)!));
}

const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;

/** The texts of an SVG's `<text>` elements. */
function svgTexts(svg: string): string[] {
  const doc = new new JSDOM('').window.DOMParser().parseFromString(svg, 'image/svg+xml');
  return Array.from(doc.getElementsByTagName('text'), (t) => t.textContent ?? '').filter((t) => t.trim());
}

/** Names a figure may show in any language: metric and provider ids, acronyms of the standard's tables. */
const NAMES = new Set(['Dice', 'softmax', 'cpu', 'onnxruntime', 'accuracy']);

/** Latin words of ≥ 3 letters in the texts that are not names. */
function latinWords(texts: string[]): string[] {
  // acronyms (ROC, AUC) and identifiers with digits, `_` or `-` (p50, fp32, gaussian_noise, threads-2) are names
  return texts.flatMap((t) =>
    (t.match(/[A-Za-z][A-Za-z0-9_-]*/g) ?? []).filter((w) => /^[A-Za-z]{3,}$/.test(w) && w !== w.toUpperCase() && !NAMES.has(w)),
  );
}

const lossCurve = (lang: FigureLang) =>
  lineChart({
    lang,
    x: [1, 2, 3],
    series: [
      { name: { zh: '训练损失', en: 'Train loss' }, y: [0.9, 0.5, 0.3] },
      { name: { zh: '验证损失', en: 'Validation loss' }, y: [1, 0.7, 0.6], dash: 'dash' },
    ],
    xTitle: { zh: '轮次', en: 'Epoch' },
    yTitle: { zh: '损失', en: 'Loss' },
    title: { zh: '损失收敛曲线', en: 'Loss convergence' },
  });

/** The clause figures, from small hand-made inputs (every builder whose inputs are plain rows). */
function clauseFigures(): ClauseFigure[] {
  const h = {
    epochs: [0, 1, 2].map((e) => ({
      epoch: e,
      trainLoss: 1 / (e + 1),
      valLoss: 1.2 / (e + 1),
      trainMetric: 0.6 + e / 10,
      valMetric: 0.55 + e / 10,
    })),
    steps: [0, 1, 2, 3].map((s) => ({ step: s, loss: 1 / (s + 1) })),
  };
  const analysis = { smoothed: [1, 0.7, 0.5, 0.4] };
  const timing = (ms: number[]) => ({ samplesMs: ms });
  return [
    ...trainabilityFigures(
      h as never,
      analysis as never,
      [{ threads: 1, secondsPerEpoch: 2 }],
      [{ epoch: 1, loss: 0.5, valLoss: 0.6 }],
      'classification',
    ),
    ...transferFigures(h as never, h as never, [{ name: { zh: '微调', en: 'fine-tuned' }, value: 0.9, low: 0.85, high: 0.95 }], {
      zh: '准确率',
      en: 'Accuracy',
    }),
    ...scalabilityFigures(
      [1, 2].map((t) => ({
        provider: 'cpu',
        mode: 'sequential',
        batch: 1,
        threads: t,
        speedup: t * 0.9,
        parallelEfficiency: 0.9,
        throughputPerSec: 100 * t,
      })) as never,
      [{ threads: 1, samplesPerSecond: 50, low: 45, high: 55 }] as never,
    ),
    ...efficiencyFigures(
      [1, 4].map((b) => ({ batch: b, throughputPerSec: 100 * b, timing: timing([1, 2, 3]) })) as never,
      [{ variant: 'fp32', latencyP50Ms: 3, score: 0.9, metric: 'accuracy' }] as never,
      [0],
    ),
    ...repeatabilityFigures([
      { comparison: 'within-session', maxAbsDiff: 0, decisionAgreement: 1 },
      { comparison: 'threads-2', maxAbsDiff: 3e-7, decisionAgreement: 1 },
    ]),
    ...robustnessFigures(
      [{ corruption: 'gaussian_noise', severity: 1, value: 0.8, low: 0.75, high: 0.85 }] as never,
      0.9,
      'Dice',
      [0.9, 0.95, 0.99],
      { ood: new Float64Array([0.5, 0.6]), invalid: new Float64Array([0.3]) },
      { roc: { fpr: [0, 0.5, 1], tpr: [0, 0.8, 1] }, auroc: 0.8 } as never,
    ),
  ];
}

describe('figures in the report language', function () {
  this.timeout(300_000);
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ptmc-figlang-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('a figure with bilingual texts renders zh without English words and en without Chinese', async () => {
    const both = svgTexts(await renderPlotlySvg(lossCurve('both')));
    assert.ok(both.includes('损失 / Loss'), JSON.stringify(both));
    const zh = svgTexts(await renderPlotlySvg(lossCurve('zh')));
    const en = svgTexts(await renderPlotlySvg(lossCurve('en')));
    for (const t of ['损失收敛曲线', '轮次', '损失', '训练损失', '验证损失']) assert.ok(zh.includes(t), `${t} in ${JSON.stringify(zh)}`);
    for (const t of ['Loss convergence', 'Epoch', 'Loss', 'Train loss', 'Validation loss'])
      assert.ok(en.includes(t), `${t} in ${JSON.stringify(en)}`);
    assert.deepEqual(latinWords(zh), []);
    assert.deepEqual(
      en.filter((t) => CJK.test(t)),
      [],
    );
  });

  it('every clause figure built per language has zh-only and en-only texts', async () => {
    const figs = clauseFigures();
    assert.equal(
      figs.length,
      5 + 2 + 4 + 3 + 2 + 3,
      'trainability 5 (with threads and the provider curve), transfer 2, scalability 4, efficiency 3, repeatability 2, robustness 3',
    );
    for (const f of figs) {
      assert.equal(typeof f.figure, 'function', `${f.name}: built per language`);
      const zh = svgTexts(await renderPlotlySvg(figureIn(f.figure, 'zh')));
      const en = svgTexts(await renderPlotlySvg(figureIn(f.figure, 'en')));
      assert.ok(
        zh.some((t) => CJK.test(t)),
        `${f.name}: zh texts ${JSON.stringify(zh)}`,
      );
      assert.deepEqual(latinWords(zh), [], `${f.name}: English in the zh figure`);
      assert.deepEqual(
        en.filter((t) => CJK.test(t)),
        [],
        `${f.name}: Chinese in the en figure`,
      );
    }
  });

  it('saves .zh.svg and .en.svg beside the bilingual figure and records them (schema-valid)', async () => {
    const ref = await saveFigure(tmp, '6.3.1', 'loss-curve', lossCurve, { title: { zh: '损失', en: 'Loss' } });
    assert.deepEqual(ref.byLang, { zh: 'figures/6.3.1-loss-curve.zh.svg', en: 'figures/6.3.1-loss-curve.en.svg' });
    assert.ok(svgTexts(readFileSync(join(tmp, ref.byLang!.zh), 'utf8')).includes('轮次'));
    assert.ok(svgTexts(readFileSync(join(tmp, ref.byLang!.en), 'utf8')).includes('Epoch'));
    assert.ok(svgTexts(readFileSync(join(tmp, ref.path), 'utf8')).includes('轮次 / Epoch'));
    // the manifest lists (and hashes) every file of the bundle: the per-language copies too
    assert.deepEqual(
      listFiles(tmp, new Set()).filter((f) => f.includes('loss-curve')),
      [
        'figures/6.3.1-loss-curve.en.svg',
        'figures/6.3.1-loss-curve.plotly.json',
        'figures/6.3.1-loss-curve.svg',
        'figures/6.3.1-loss-curve.zh.svg',
      ],
    );
    // a builder whose texts are names only gives the same figure in every language: one file
    const names: LocalizedFigure = (lang) => lineChart({ lang, x: [1, 2], series: [{ name: 'cpu', y: [1, 2] }], xTitle: 'ε' });
    const same = await saveFigure(tmp, '6.3.1', 'names', names);
    assert.deepEqual(same.byLang, { zh: 'figures/6.3.1-names.svg', en: 'figures/6.3.1-names.svg' });
    assert.deepEqual(
      readdirSync(join(tmp, 'figures'))
        .filter((f) => f.startsWith('6.3.1-names'))
        .sort(),
      ['6.3.1-names.plotly.json', '6.3.1-names.svg'],
    );
    // a fixed figure has no per-language copy
    assert.equal((await saveFigure(tmp, '6.3.1', 'fixed', lossCurve('both'))).byLang, undefined);
    const schema = JSON.parse(readFileSync(join(packageRoot(), 'templates', 'clause-result.schema.json'), 'utf8'));
    const valid = getAjv().compile({ ...schema.properties.figures.items, $defs: schema.$defs });
    assert.equal(valid(ref), true, JSON.stringify(valid.errors));
    assert.equal(valid({ ...ref, byLang: { zh: 'a.svg' } }), false, 'both languages required');
  });

  it('the report reads the figure of its language, confined to the bundle, else the bilingual one', async () => {
    const ref = await saveFigure(tmp, '6.3.4', 'loss', lossCurve);
    const zh = loadFigure(tmp, ref, 'zh');
    assert.equal(zh.kind, 'svg');
    assert.ok(zh.kind === 'svg' && zh.svg.includes('轮次') && !zh.svg.includes('Epoch'));
    const both = loadFigure(tmp, ref);
    assert.ok(both.kind === 'svg' && both.svg.includes('轮次 / Epoch'));
    const escaped = loadFigure(tmp, { ...ref, byLang: { zh: '../../etc/passwd', en: '/etc/passwd' } }, 'zh');
    assert.ok(
      escaped.kind === 'svg' && escaped.svg.includes('轮次 / Epoch'),
      'a path leaving the bundle is never read: the bilingual figure',
    );
  });

  it('the zh PDF embeds the zh figure and the en PDF the en one (pdftotext)', async () => {
    const bundle = join(tmp, 'bundle');
    cpSync(join(packageRoot(), 'test', 'fixtures', 'results', 'bundle'), bundle, { recursive: true });
    const file = join(bundle, 'results', '6.3.4.json');
    const r = JSON.parse(readFileSync(file, 'utf8')) as ClauseResult;
    const fig = (lang: FigureLang) =>
      lineChart({
        lang,
        x: [1, 2, 3],
        series: [
          { name: { zh: '逐步训练损失值', en: 'Stepwise training loss value' }, y: [3, 2, 1] },
          { name: 'cpu', y: [1, 2, 3] },
        ],
        xTitle: { zh: '训练轮次编号', en: 'Training epoch number' },
        yTitle: { zh: '损失', en: 'Loss' },
      });
    r.figures = [await saveFigure(bundle, '6.3.4', 'loss', fig, { title: { zh: '损失曲线', en: 'Loss curve' } })];
    writeFileSync(file, JSON.stringify(r));
    const text: Record<string, string> = {};
    for (const lang of ['zh', 'en'] as const) {
      const pdf = join(tmp, `${lang}.pdf`);
      writeFileSync(pdf, await renderReportBuffer(bundle, lang));
      text[lang] = pdfPlainText(pdf).replace(/\s+/g, '');
    }
    assert.ok(text.zh.includes('训练轮次编号') && text.zh.includes('逐步训练损失值'), 'the zh figure is in the zh PDF');
    assert.ok(!text.zh.includes('Trainingepochnumber') && !text.zh.includes('Stepwisetraining'), 'no English axis or legend in the zh PDF');
    assert.ok(text.en.includes('Trainingepochnumber') && text.en.includes('Stepwisetraininglossvalue'), 'the en figure is in the en PDF');
    assert.ok(!text.en.includes('训练轮次编号') && !text.en.includes('逐步训练损失值'), 'no Chinese axis or legend in the en PDF');
    assert.ok(existsSync(join(bundle, 'figures', '6.3.4-loss.zh.svg')));
  });

  it('axes read in powers of ten, never SI prefixes, and log axes label the decades only', async () => {
    const dev = repeatabilityFigures([
      { comparison: 'within-session', maxAbsDiff: 0, decisionAgreement: 1 },
      { comparison: 'threads-2', maxAbsDiff: 3e-7, decisionAgreement: 1 },
    ])[0]!;
    const fig = figureIn(dev.figure, 'en');
    const yaxis = fig.layout!.yaxis as Record<string, unknown>;
    assert.equal(yaxis.type, 'log');
    assert.equal(yaxis.exponentformat, 'power');
    const svg = await renderPlotlySvg(fig);
    const doc = new new JSDOM('').window.DOMParser().parseFromString(svg, 'image/svg+xml');
    const ticks = Array.from(doc.querySelectorAll('g.ytick text'), (t) => t.textContent ?? '');
    assert.ok(ticks.length >= 3, JSON.stringify(ticks));
    // 1e-12 … 1e-6: every label is 10 with a superscript exponent (plotly writes the minus as U+2212)
    for (const t of ticks) assert.match(t, /^10[−-]\d+$/, `tick "${t}" in ${JSON.stringify(ticks)}`);
    assert.ok(ticks.includes('10−12'), JSON.stringify(ticks));
    assert.ok(!ticks.some((t) => /\d\s*[pfnµμm]$/.test(t)), 'no SI suffix');
    assert.deepEqual(missingGlyphs([...ticks, ...svgTexts(svg)]), [], 'no zero-width space or other glyph the PDF font lacks');
    // a line chart over 1e-12..1e-9 on a linear axis: power notation too
    const lin = await renderPlotlySvg(lineChart({ lang: 'en', x: [1, 2, 3], series: [{ name: 'cpu', y: [1e-12, 5e-10, 1e-9] }] }));
    const linTicks = Array.from(
      new new JSDOM('').window.DOMParser().parseFromString(lin, 'image/svg+xml').querySelectorAll('g.ytick text'),
      (t) => t.textContent ?? '',
    );
    assert.ok(
      linTicks.some((t) => /×10[−-]\d+$/.test(t)),
      JSON.stringify(linTicks),
    );
    assert.ok(!linTicks.some((t) => /\d[pfnµμ]$/.test(t)), JSON.stringify(linTicks));
    // a log axis over less than two decades: no digit-only minor labels ("2", "5", "9")
    const short = await renderPlotlySvg({
      data: [{ type: 'scatter', x: [1, 3, 9, 27], y: [1, 2, 3, 4] }],
      layout: { xaxis: houseAxis(undefined, 'en', { type: 'log' }) },
    });
    const xt = Array.from(
      new new JSDOM('').window.DOMParser().parseFromString(short, 'image/svg+xml').querySelectorAll('g.xtick text'),
      (t) => t.textContent ?? '',
    );
    assert.deepEqual(
      xt.filter((t) => /^[2-9]$/.test(t)),
      [],
      JSON.stringify(xt),
    );
  });

  it('a line over a few epochs is labelled at whole epochs only', async () => {
    const doc = new new JSDOM('').window.DOMParser().parseFromString(await renderPlotlySvg(lossCurve('en')), 'image/svg+xml');
    assert.deepEqual(
      Array.from(doc.querySelectorAll('g.xtick text'), (t) => t.textContent),
      ['1', '2', '3'],
    );
    const steps = lineChart({
      x: Array.from({ length: 40 }, (_, i) => i + 1),
      series: [{ name: 'cpu', y: Array.from({ length: 40 }, () => 1) }],
    });
    assert.equal((steps.layout!.xaxis as Record<string, unknown>).dtick, undefined, '40 steps: plotly chooses the ticks');
  });

  it('overlaid distributions stay visible: several series stand side by side in each bin', async () => {
    const same = [0.9, 0.95, 0.97, 0.99, 0.99];
    const f = histogram({
      lang: 'en',
      series: [
        { name: 'test', values: same },
        { name: 'OOD', values: same },
        { name: 'invalid', values: same },
      ],
      bins: 10,
      range: [0, 1],
    });
    // three series in bins of width 0.1: bars of 0.085 / 3, the first starting 0.0425 left of the bin centre
    const w = (0.1 * 0.85) / 3;
    assert.deepEqual(
      f.data.map((t) => [t.width, t.offset]),
      [0, 1, 2].map((i) => [w, -0.0425 + i * w]),
    );
    const svg = await renderPlotlySvg(f);
    const doc = new new JSDOM('').window.DOMParser().parseFromString(svg, 'image/svg+xml');
    const traces = Array.from(doc.querySelectorAll('g.trace.bars'));
    assert.equal(traces.length, 3);
    // the top bin (0.9–1.0) holds all five values of each series: three bars of the same height, at three x positions
    const lefts = traces.map((t) => {
      const ds = Array.from(t.querySelectorAll('path'), (p) => p.getAttribute('d') ?? '').filter((d) => d.startsWith('M'));
      const xs = ds.map((d) => Number(/^M([\d.]+)/.exec(d)![1]));
      return Math.max(...xs);
    });
    assert.equal(new Set(lefts).size, 3, `bars at distinct x: ${lefts}`);
    // the axis keeps round ticks (not the bar positions)
    const xt = Array.from(doc.querySelectorAll('g.xtick text'), (t) => t.textContent ?? '');
    assert.deepEqual(xt, ['0', '0.2', '0.4', '0.6', '0.8', '1']);
    // a single series keeps touching bars of the bin width
    const one = histogram({ series: [{ name: 'v', values: same }], bins: 10, range: [0, 1] });
    assert.equal(one.data[0]!.width, 0.1);
    assert.equal(one.data[0]!.offset, undefined);
  });
});
