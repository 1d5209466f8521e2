/**
 * Shared pieces of the template-notebook generators (scripts/make-*-notebooks.js): the nbformat 4.5
 * document with deterministic cell ids, the common parameters, and the load / show / save cells.
 */
'use strict';
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const lines = (s) =>
  s
    .replace(/^\n/, '')
    .replace(/\n$/, '')
    .split('\n')
    .map((l, i, a) => (i < a.length - 1 ? l + '\n' : l));

/** A notebook from `{ md }` and `{ code, tags? }` cells; ids are `<clause>-NN`. */
function notebook(stem, cells) {
  return {
    cells: cells.map((c, i) => {
      const id = `${stem.split('-')[0].replace(/\./g, '-')}-${String(i).padStart(2, '0')}`;
      if (c.md) return { cell_type: 'markdown', id, metadata: {}, source: lines(c.md) };
      return { cell_type: 'code', execution_count: null, id, metadata: c.tags ? { tags: c.tags } : {}, outputs: [], source: lines(c.code) };
    }),
    metadata: {
      kernelspec: { display_name: 'TypeScript (ptm-conformity)', language: 'typescript', name: 'ptm-typescript' },
      language_info: { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** The parameters every clause notebook defines, then the clause's own (`extra`). */
const common = (extra) => `
// 评估参数 / Parameters (ptmc run and ptmc execute -p override these)
const casePath = '../examples/ct-body-segmentation';
const outDir = '../evidence/notebook-run';
const ep: 'auto' | 'cpu' | 'webgpu' | 'cuda' = 'auto';
const seed = 42;
const lang: 'zh' | 'en' = 'zh';
// 'default'（2 核默认）| 'full'（各条款判定所需证据量，ptmc run --profile full）/ run profile, recorded in the settings
const profile: string = 'default';
const interactivePlots = false; // true: interactive HTML figures (plotly.js inlined once) / 交互式图
${extra}`;

const loadCell =
  `
import { loadCase, displayMarkdown, setInteractivePlots } from 'ptm-conformity';
setInteractivePlots(interactivePlots);
const c = await loadCase(casePath);
displayMarkdown(\`**评估案例 / Case:** \\\`\${c.spec.name}\\\` · 任务 / task: \${c.spec.task} · 模型 / model: ` +
  `\\\`\${c.spec.model}\\\`  \\nSHA-256: \\\`\${c.modelSha256}\\\`\`);`;

const showCell = `
import { showClauseEvaluation } from 'ptm-conformity';
await showClauseEvaluation(ev, lang);`;

const saveCell = `
import { saveClauseEvaluation } from 'ptm-conformity';
const written = await saveClauseEvaluation(outDir, ev);
displayMarkdown(\`结果已写入 / result written: \\\`\${outDir}/results/\${written.clause}.json\\\` (\${written.figures.length} figures)\`);`;

/**
 * The exploration cells that follow a template's verdict path: the clause's measurements as a DataFrame,
 * per-sample scores with the worst samples shown (images for image cases), and one "try it" cell.
 * @param tryMd bilingual text of the "try it" cell
 * @param tryCode its code (re-runs one measurement with a parameter to change)
 * @param opts `evVar` (what holds the evaluation, default `ev`), `corruption` (false: clean samples only)
 */
function exploreCells(tryMd, tryCode, opts = {}) {
  const corr = opts.corruption === false ? '' : ', corruption: exploreCorruption, severity: 3';
  return [
    {
      md:
        `
## 探索 / Explore

以下单元格不改变判定，供数据科学家查看与试验：本条款全部测量值的 DataFrame、测试集逐样本得分（最差在前）及最差样本，以及一个可改参数重测的单元格。

The cells below do not change the verdict; they are for looking into it: every measurement of this clause as a ` +
        `DataFrame, per-sample scores on the test set (worst first) with the worst samples, and one cell that re-runs a ` +
        `measurement with a parameter you can change.`,
    },
    {
      code: `
import { measurementsFrame } from 'ptm-conformity';
// 全部测量值（danfojs DataFrame：可 .query、.sortValues、.head）/ every measurement (a danfojs DataFrame)
const measurements: ReturnType<typeof measurementsFrame> = measurementsFrame(${opts.evVar ?? 'ev'});
measurements.head(15)`,
    },
    {
      code: `
import { noiseCorruptionFor, sampleScores, showWorstSamples, scoresFrame } from 'ptm-conformity';
${opts.corruption === false ? '' : `// 本模态的随机噪声腐蚀 / the random-noise corruption of this case's modality (gaussian-noise where there is one)
const exploreCorruption = noiseCorruptionFor(c.spec.modality);
`}// 逐样本得分，最差在前 / per-sample scores, worst first (Dice per image, or the probability of the true class)
const scores = await sampleScores(c, { ep: ep, seed: seed, samples: 16${corr} });
await showWorstSamples(scores, 2);
scoresFrame(scores).head(6)`,
    },
    {
      md: `### 试一试 / Try it

${tryMd}`,
    },
    { code: tryCode },
  ];
}

/** Writes each `{ stem: cells }` as notebooks/<stem>.ipynb. */
function writeNotebooks(notebooks) {
  for (const [stem, cells] of Object.entries(notebooks)) {
    writeFileSync(join(__dirname, '..', 'notebooks', `${stem}.ipynb`), JSON.stringify(notebook(stem, cells), null, 1) + '\n');
  }
}

module.exports = { notebook, common, loadCell, showCell, saveCell, exploreCells, writeNotebooks };
