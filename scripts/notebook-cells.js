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

/** Writes each `{ stem: cells }` as notebooks/<stem>.ipynb. */
function writeNotebooks(notebooks) {
  for (const [stem, cells] of Object.entries(notebooks)) {
    writeFileSync(join(__dirname, '..', 'notebooks', `${stem}.ipynb`), JSON.stringify(notebook(stem, cells), null, 1) + '\n');
  }
}

module.exports = { notebook, common, loadCell, showCell, saveCell, writeNotebooks };
