#!/usr/bin/env node
/**
 * Writes the template notebooks of the description and training clauses (6.2, 6.3.1, 6.3.3) from the cell
 * sources below; with scripts/make-inference-notebooks.js and scripts/make-security-notebooks.js every one
 * of the ten template notebooks comes from a generator (test/notebook/templates.test.ts keeps them in sync).
 * Run: node scripts/make-description-training-notebooks.js
 */
'use strict';
/* eslint-disable max-len -- the cell sources are notebook text, kept as the former hand-edited notebooks had them */
const { writeNotebooks, exploreCells } = require('./notebook-cells.js');

const notebooks = {
  '6.2-description': [
    {
      md: `
# 6.2 预训练模型说明 / Pre-trained model description

**要求 / Requirement (第 4 章, 6.2).** 预训练模型提供方应描述与模型本体相关的过程、方法和所用数据集的全部相关细节：版本标识（4.1）；模型框架——结构（4.2.1）、节点（4.2.2）、参数（4.2.3）、数据表示（4.2.4）、可解释性（4.2.5，宜）；源任务数据——模态（4.3.1）、数据量（4.3.2）、数据质量（4.3.3）、基准性能（4.3.4，宜）；训练过程——学习方法（4.4.1）、训练设置（4.4.2，宜）、任务域（4.4.3）；适用性——数据模态（4.5.1）、任务类型（4.5.2）、适用环境（4.5.3）、下游任务训练需求（4.5.4，宜）。评价方法（6.2）：对照第 4 章检查说明的完整性与准确性；被广泛使用的模型，说明形式可不同。

The provider describes the model itself and the processes, methods and data behind it: version (4.1); framework — structure, nodes, parameters, data representation, interpretability (should); source data — modality, volume, quality, baseline performance (should); training — learning method, settings (should), task domain; applicability — modalities, task types, environment, downstream training needs (should). Method (6.2): check the description against chapter 4 for **completeness** and **accuracy**.

**本笔记本的做法 / What this notebook does.** Completeness: every chapter-4 item of \`templates/description.schema.json\` (annotated with its clause and shall/should strength) is looked up — a missing *shall* (应) item fails the clause, a missing *should* (宜) or *where-applicable* item is noted. Accuracy: the facts the description declares about the model are compared with the ONNX file itself — SHA-256 and size, IR version and opsets, operator types and in-graph activations, parameter counts in total and per layer (table B.1), input/output names, element types and shapes, MACs per sample. Every finding names its clause and shows the declared and the measured value.
`,
    },
    {
      code: `
// 评估参数 / Parameters (ptmc run and ptmc execute -p override these)
const casePath = '../examples/ct-body-segmentation';
const outDir = '../evidence/notebook-run';
const ep = 'auto';
const seed = 42;
const lang = 'zh';
// 'default'（2 核默认）| 'full'（各条款判定所需证据量，ptmc run --profile full）/ run profile, recorded in the settings
const profile: string = 'default';
const interactivePlots = false; // true: interactive HTML figures (plotly.js inlined once) / 交互式图
`,
      tags: ['parameters'],
    },
    {
      code: `
import { loadCase, checkDescription, writeClauseResult, displayTable, displayMarkdown, setInteractivePlots } from 'ptm-conformity';
setInteractivePlots(interactivePlots);
const c = await loadCase(casePath);
const descriptionPath = c.descriptionPath ?? c.resolve(c.spec.description);
displayMarkdown(\`**评估案例 / Case:** \\\`\${c.spec.name}\\\` · 说明 / description: \\\`\${c.spec.description}\\\` · 模型 / model: \\\`\${c.spec.model}\\\`  \\nSHA-256: \\\`\${c.modelSha256}\\\`\`);
`,
    },
    {
      md: `
## 检查 / Check

\`checkDescription\` reads the description, walks the chapter-4 items and inspects the model file (no inference is run, so \`ep\` and \`seed\` do not change the result; they are recorded for the evidence).
`,
    },
    {
      code: `
const result = await checkDescription(descriptionPath, { modelPath: c.modelPath });
type Row = Record<string, unknown>;
const findings = (result.findings ?? []) as Row[];
const title = (t: unknown) => (t as Record<string, string>)[lang] ?? (t as Record<string, string>).en;
// a finding's note and check are {zh, en} (a plain string where it only lists names)
const inLang = (t: unknown) => (t === undefined ? '' : typeof t === 'string' ? t : title(t));
displayMarkdown(\`**结论 / Verdict: \${result.verdict.toUpperCase()}** — \${title(result.rationale)}\`);
`,
    },
    {
      md: `
## 完整性 / Completeness (chapter 4, item by item)

\`present\` — given; \`missing\` — a *shall* item not given (fails 6.2); \`noted\` — a *should* / *where-applicable* item not given; \`not-applicable\` — a conditional item whose condition does not hold.
`,
    },
    {
      code: `
const comp = findings.filter((f) => f.kind === 'completeness').map((f) => ({ clause: f.clause, item: f.item, title: title(f.title), strength: f.strength, status: f.status, note: inLang(f.note) }));
displayTable(comp, { caption: String(lang) === 'zh' ? '第 4 章逐项完整性' : 'Completeness per chapter-4 item', maxRows: 200 });
const counts: Record<string, number> = {};
for (const f of comp) counts[String(f.status)] = (counts[String(f.status)] ?? 0) + 1;
displayTable([counts], { caption: String(lang) === 'zh' ? '状态计数' : 'Items by status' });
`,
    },
    {
      md: `
## 准确性 / Accuracy (declared vs. model file)

Each row compares one declared fact with the value measured from the ONNX file; \`inconsistent\` fails 6.2.
`,
    },
    {
      code: `
const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
const acc = findings.filter((f) => f.kind === 'accuracy').map((f) => ({ clause: f.clause, check: inLang(f.check), declared: show(f.declared), measured: show(f.measured), status: f.status, note: inLang(f.note) }));
displayTable(acc, { caption: String(lang) === 'zh' ? '声明与模型文件对照' : 'Declared vs. measured', maxRows: 200 });
`,
    },
    {
      md: `
## 结果 / Result

The ClauseResult for 6.2 (findings, tables, settings, model SHA-256, environment) is written to \`\${outDir}/results/6.2.json\`.
`,
    },
    {
      code: `
result.settings = { ...result.settings, casePath: casePath, ep: ep, seed: seed, lang: lang };
const written = writeClauseResult(outDir, result);
displayTable(result.measurements.map((m) => ({ measurement: m.label ? title(m.label) : m.name, value: m.value, unit: m.unit })), { caption: String(lang) === 'zh' ? '汇总' : 'Summary' });
displayMarkdown(\`**6.2 \${result.verdict.toUpperCase()}** · 结果文件 / result file: \\\`\${written}\\\`\`);
`,
    },
  ],
  '6.3.1-trainability': [
    {
      md: `
# 6.3.1 可训练性 / Trainability

**要求 / Requirement (5.2.1, 6.3.1).** 提供方应声称预训练模型的可训练性指标（如损失函数值、对目标数据分布的拟合程度）并提供证据。评估方法：按提供方给出的训练用例和训练设置（超参数、适用环境）对模型进行训练，记录损失函数值的收敛曲线等，判断是否符合 5.2.1。

The provider claims how trainable the pre-trained model is (e.g. the loss value reached, the fit to the target distribution) and gives evidence. Method: train the model with the provider's training case and settings (hyper-parameters, environment), record the convergence curve of the loss, and judge the result against 5.2.1.

**本笔记本的做法 / What this notebook does.**
- 用案例 \`training\` 设置（数据、轮次、批量、优化器、学习率计划、损失、数据增强）以内置训练器训练模型。The built-in trainer trains with the case's \`training\` settings (data roles, epochs, batch, optimiser, schedule such as appendix B's −10 % every 20 epochs, loss, augmentation).
- 快速默认：冻结的前段在 onnxruntime 中运行并缓存特征，只在 TensorFlow.js 中训练后段；卷积网络默认训练最后两层、至多 6 轮，整网训练可通过参数 \`trainable='all'\` 选择。被训练的层在下文明确列出；未按案例设置运行而未达到的声称判为“无法判定”并列出偏离项。Fast default: the frozen prefix runs in onnxruntime (its cut tensor exposed as an extra graph output) and its features are cached; only the tail is trained in TensorFlow.js. For convolutional networks the default trains the last two weighted layers for at most 6 epochs; \`trainable='all'\` (or \`'case'\`) trains what the case asks. The trained layers are listed below; a claim not met under such reduced settings is left unjudged (inconclusive) with the deviations listed.
- 默认 \`init='reinit-trainable'\`：被训练的层从随机权重开始（附录 B.1.5.2），以观察完整的收敛过程。By default the trained layers start from seeded random weights (appendix B.1.5.2), so that a full convergence curve is observed; \`init='pretrained'\` continues from the pre-trained weights.
- 收敛分析：平滑曲线、相对下降、平台期、发散（NaN/∞、爆炸、持续上升）、最后窗口的 Mann–Kendall 趋势检验、训练–验证差距。Convergence analysis: smoothed curve, relative decrease, plateau, divergence (NaN/∞, explosion, sustained rise), Mann–Kendall trend test on the last window, train–validation gap.
- 可选：运行提供方自己的训练命令（\`training.command\`），日志逐行显示并存入证据。Optionally the provider's own training command runs, its log streamed here and kept in the evidence.
- 训练每轮时间与线程数（6.3.2 的训练侧）。Training time per epoch vs threads (the training side of 6.3.2).
`,
    },
    {
      code: `
// 评估参数 / Parameters (ptmc run and ptmc execute -p override these)
const casePath = '../examples/ct-body-segmentation';
const outDir = '../evidence/notebook-run';
const ep: 'auto' | 'cpu' | 'webgpu' | 'cuda' = 'auto';
const seed = 42;
const lang: 'zh' | 'en' = 'zh';
// 'default'（2 核默认）| 'full'（各条款判定所需证据量，ptmc run --profile full）/ run profile, recorded in the settings
const profile: string = 'default';
const interactivePlots = false; // true: interactive HTML figures (plotly.js inlined once) / 交互式图
// 训练层：'auto'（快速默认）| 'case'（案例设置）| 'all' | 'last' / trained layers
const trainable = 'auto';
// 初始权重 / starting weights: 'reinit-trainable' | 'pretrained' | 'scratch'
const init = 'reinit-trainable';
// null = 案例设置 / the case's value
const epochs: number | null = null;
const batchSize: number | null = null;
const lr: number | null = null;
const trainSamples: number | null = null;
// 安全时间上限（秒）；卷积网络的快速默认另限轮次 ≤ 6 / safety time limit (s); the fast default for conv nets also caps epochs at 6
const maxSeconds = 60;
const threadsSweep = [1, 2];
// 运行提供方训练命令 / run the provider's training command: 'auto' | true | false
const useProviderCommand: boolean | 'auto' = 'auto';
// 提供方代码仅在允许时运行（ptmc run --allow-provider-commands）/ provider code runs only when allowed
const allowProviderCommands: boolean = false;
const noSandbox: boolean = false;
`,
      tags: ['parameters'],
    },
    {
      code: `
import { loadCase, displayMarkdown, displayTable, setInteractivePlots } from 'ptm-conformity';
setInteractivePlots(interactivePlots);
const c = await loadCase(casePath);
displayMarkdown(\`**评估案例 / Case:** \\\`\${c.spec.name}\\\` · 任务 / task: \${c.spec.task} · 模型 / model: \\\`\${c.spec.model}\\\`  \\nSHA-256: \\\`\${c.modelSha256}\\\`\`);
const t = c.spec.training;
displayMarkdown(t ? '#### 案例的训练设置 / The case\\'s training settings' : '**案例未给出训练设置 / the case declares no training settings**');
if (t) displayTable(Object.entries(t).filter(([k]) => k !== 'command').map(([k, v]) => ({ setting: k, value: JSON.stringify(v) })));
`,
    },
    {
      md: `
## 训练 / Training

逐轮进度与提供方命令的日志在下方实时输出。Progress per epoch and the provider command's log are printed below as they happen.
`,
    },
    {
      code: `
import { evaluateTrainability } from 'ptm-conformity';
const ev = await evaluateTrainability(c, {
  ep: ep as any, seed: seed, trainable: trainable as any, init: init as any, epochs: epochs ?? undefined, batchSize: batchSize ?? undefined, lr: lr ?? undefined,
  trainSamples: trainSamples ?? undefined, maxSeconds: maxSeconds, threadsSweep: threadsSweep, useProviderCommand: useProviderCommand, allowProviderCommands: allowProviderCommands, noSandbox: noSandbox, outDir: outDir,
  onEpoch: (e) => console.log(\`epoch \${e.epoch + 1}: lr \${e.lr.toPrecision(3)} · train loss \${e.trainLoss.toFixed(4)} · val loss \${e.valLoss?.toFixed(4) ?? '—'} · val metric \${e.valMetric?.toFixed(4) ?? '—'} · \${e.seconds.toFixed(1)} s\`),
  onProviderLine: (line) => console.log(\`[provider] \${line}\`),
});
`,
    },
    {
      md: `
## 训练了哪些层 / Which layers were trained
`,
    },
    {
      code: `
const s = ev.result.settings as Record<string, any>;
const trainedLayers = ev.layers.filter((l) => l.trainable);
displayMarkdown(ev.layers.length === 0 ? '—' : trainedLayers.length === ev.layers.length
  ? \`**整网训练 / the whole network was trained**: all \${ev.layers.length} parameterised layers (\${s.trainableParameters} parameters).\`
  : \`**只训练了以下 \${trainedLayers.length} 层 / only these \${trainedLayers.length} layers were trained** (\${s.trainableParameters} parameters; the other \${ev.layers.length - trainedLayers.length} layers were frozen and run in onnxruntime): \${trainedLayers.map((l) => '\`' + l.node + '\`').join(', ')}.  \\n选择依据 / why: \${s.trainableReason[lang]}. 初始权重 / start: \\\`\${s.init}\\\`.\`);
`,
    },
    {
      md: `
## 收敛分析 / Convergence analysis
`,
    },
    {
      code: `
if (ev.analysis) {
  const a = ev.analysis;
  displayMarkdown(\`**状态 / status: \\\`\${a.status}\\\`**\\n\\n\` + a.reasons.map((r) => \`- \${lang === 'zh' ? r.zh : r.en}  \\n  \${lang === 'zh' ? r.en : r.zh}\`).join('\\n'));
  displayTable([{ initial: a.initial, final: a.final, relativeDecrease: a.relativeDecrease, plateauAtStep: a.plateauAt === null ? null : a.plateauAt + 1, mannKendallZ: a.trend.z, mannKendallP: a.trend.pValue, window: a.window, diverged: a.diverged }]);
}
if (ev.provider) displayMarkdown(ev.provider.skipped ? \`提供方训练命令 / provider command: \${ev.provider.skipped}\` : \`提供方训练命令 / provider command \\\`\${ev.provider.argv.join(' ')}\\\`: exit \${ev.provider.exitCode}, \${ev.provider.records.length} records, \${ev.provider.seconds.toFixed(1)} s; log \\\`\${ev.provider.logPath}\\\`\${ev.provider.analysis ? \`; status \\\`\${ev.provider.analysis.status}\\\`\` : ''}.\`);
`,
    },
    {
      md: `
## 结果 / Results

逐轮损失与指标、训练/冻结的层、每轮时间与线程数、收敛曲线（训练/验证）、逐步损失与平滑曲线，以及声称与实测对照和结论。Loss and metric per epoch, trained/frozen layers, time per epoch vs threads, the convergence curves (train/validation), the per-step loss with its smoothed curve, claims vs measured and the verdict.
`,
    },
    {
      code: `
import { showClauseEvaluation } from 'ptm-conformity';
await showClauseEvaluation(ev, lang as any);
`,
    },
    {
      md: `
## 保存结果 / Save the clause result
`,
    },
    {
      code: `
import { saveClauseEvaluation } from 'ptm-conformity';
const written = await saveClauseEvaluation(outDir, ev);
displayMarkdown(\`结果已写入 / result written: \\\`\${outDir}/results/\${written.clause}.json\\\` (\${written.figures.length} figures)\`);
`,
    },
  ],
  '6.3.3-transferability': [
    {
      md: `
# 6.3.3 可迁移性 / Transferability

**要求 / Requirement (5.2.3, 6.3.3).** 提供方应声称预训练模型微调后在人工智能医疗器械下游任务中的预期性能（附录 A.10 的指标）并提供证据。评估方法：按提供方给出的训练用例和训练设置（训练方法、数据增强方法）在下游任务域上测试并记录性能指标，判断是否符合 5.2.3；适用公开数据集时，测试在公开数据集上的性能。迁移训练主要通过微调实现。

The provider claims the performance expected on a downstream medical-device task after fine-tuning (metrics of appendix A.10). Method: following the provider's training case and settings (training method, augmentation), fine-tune on the downstream task domain, measure and record the performance metrics, and judge against 5.2.3 (on public data sets where applicable). Transfer is mainly done by fine-tuning.

**本笔记本的做法 / What this notebook does.**
- 按案例 \`downstream\` 设置（4.5.4）在 \`downstreamTrain\` 上微调预训练模型。Fine-tunes the pre-trained model on \`downstreamTrain\` with the case's \`downstream\` settings (4.5.4).
- 微调后的权重写回 ONNX 副本（同一计算图、新的初始化器），由与其他条款相同的 onnxruntime 路径在 \`downstreamTest\` 上评估 A.10 指标及 95% 置信区间；并核对副本与训练器前向输出一致（最大绝对差）。The fine-tuned weights are written into a copy of the ONNX file (same graph, new initializers), which onnxruntime scores on \`downstreamTest\` with A.10 metrics and 95 % confidence intervals; the copy's outputs are checked against the trainer's forward pass (max abs difference).
- 以相同架构、相同预算（相同训练层、轮次、批量、优化器、数据、时间上限）从随机初始化训练作对照，得到迁移增益。The same architecture trained from seeded random weights with the same budget (same trainable layers, epochs, batch, optimiser, data, time limit) is the comparison: the transfer gain.
- 快速默认：冻结前段在 onnxruntime 中运行并缓存特征，仅训练后段；卷积网络默认训练最后两层、至多 6 轮（\`trainable='case'\` 与 \`epochs\` 训练案例要求的层与轮次）。未按案例设置运行而未达到的声称不判为不符合，而是“无法判定”，并列出偏离项。Fast default: frozen prefix in onnxruntime with cached features, tail trained in TensorFlow.js; for convolutional networks the last two weighted layers for at most 6 epochs (\`trainable='case'\` and \`epochs\` train what the case asks). A claim not met under such reduced settings is not failed but left unjudged (inconclusive), with the deviations listed.
`,
    },
    {
      code: `
// 评估参数 / Parameters (ptmc run and ptmc execute -p override these)
const casePath = '../examples/ct-body-segmentation';
const outDir = '../evidence/notebook-run';
const ep: 'auto' | 'cpu' | 'webgpu' | 'cuda' = 'auto';
const seed = 42;
const lang: 'zh' | 'en' = 'zh';
// 'default'（2 核默认）| 'full'（各条款判定所需证据量，ptmc run --profile full）/ run profile, recorded in the settings
const profile: string = 'default';
const interactivePlots = false; // true: interactive HTML figures (plotly.js inlined once) / 交互式图
// 微调层：'auto'（快速默认）| 'case'（案例设置）| 'all' | 'last' / fine-tuned layers
const trainable = 'auto';
// null = 案例设置 / the case's value
const epochs: number | null = null;
const batchSize: number | null = null;
const lr: number | null = null;
// 每次训练的安全时间上限（秒）；卷积网络的快速默认另限轮次 ≤ 6 / safety time limit per training run (s); the fast default for conv nets also caps epochs at 6
const maxSeconds = 60;
// 同预算从头训练对照 / from-scratch comparison with the same budget
const scratch = true;
const bootstrapIterations = 500;
`,
      tags: ['parameters'],
    },
    {
      code: `
import { loadCase, displayMarkdown, displayTable, setInteractivePlots } from 'ptm-conformity';
setInteractivePlots(interactivePlots);
const c = await loadCase(casePath);
displayMarkdown(\`**评估案例 / Case:** \\\`\${c.spec.name}\\\` · 任务 / task: \${c.spec.downstream?.task ?? c.spec.task} · 模型 / model: \\\`\${c.spec.model}\\\`  \\nSHA-256: \\\`\${c.modelSha256}\\\`\`);
const d = c.spec.downstream;
displayMarkdown(d ? '#### 案例的下游微调设置 (4.5.4) / The case\\'s downstream fine-tuning settings' : '**案例未给出下游微调设置 / the case declares no downstream settings**');
if (d) displayTable(Object.entries(d).map(([k, v]) => ({ setting: k, value: JSON.stringify(v) })));
`,
    },
    {
      md: `
## 微调与从头训练 / Fine-tuning and training from scratch
`,
    },
    {
      code: `
import { evaluateTransferability } from 'ptm-conformity';
const ev = await evaluateTransferability(c, {
  ep: ep as any, seed: seed, trainable: trainable as any, epochs: epochs ?? undefined, batchSize: batchSize ?? undefined, lr: lr ?? undefined,
  maxSeconds: maxSeconds, scratch: scratch, bootstrapIterations: bootstrapIterations, outDir: outDir,
  onEpoch: (run, e) => console.log(\`\${run} epoch \${e.epoch + 1}: train loss \${e.trainLoss.toFixed(4)} · val loss \${e.valLoss?.toFixed(4) ?? '—'} · val metric \${e.valMetric?.toFixed(4) ?? '—'} · \${e.seconds.toFixed(1)} s\`),
});
`,
    },
    {
      md: `
## 微调了哪些层 / Which layers were fine-tuned
`,
    },
    {
      code: `
const s = ev.result.settings as Record<string, any>;
const tl = ev.layers.filter((l) => l.trainable);
displayMarkdown(ev.layers.length === 0 ? '—' : tl.length === ev.layers.length
  ? \`**整网微调 / the whole network was fine-tuned**: all \${ev.layers.length} parameterised layers.\`
  : \`**只微调了以下 \${tl.length} 层 / only these \${tl.length} layers were fine-tuned**; the other \${ev.layers.length - tl.length} layers kept their pre-trained weights (frozen, run in onnxruntime): \${tl.map((l) => '\`' + l.node + '\`').join(', ')}.  \\n选择依据 / why: \${s.trainableReason[lang]}.\`);
if (ev.exportMaxAbsDiff !== undefined) displayMarkdown(\`微调后的 ONNX 副本 / fine-tuned ONNX copy: \\\`\${ev.fineTunedModelPath}\\\` — onnxruntime 输出与训练器前向输出的最大绝对差 / max |onnxruntime − trainer| = **\${ev.exportMaxAbsDiff.toExponential(2)}**\`);
`,
    },
    {
      md: `
## 结果 / Results

下游测试集上预训练（微调前）、微调后与同预算从头训练三者的 A.10 指标及置信区间、逐轮记录、验证曲线、声称与实测对照和结论。A.10 metrics with confidence intervals on the downstream test set for the pre-trained model (before fine-tuning), the fine-tuned model and the same-budget from-scratch model, the per-epoch record, validation curves, claims vs measured and the verdict.
`,
    },
    {
      code: `
import { showClauseEvaluation } from 'ptm-conformity';
await showClauseEvaluation(ev, lang as any);
`,
    },
    {
      md: `
## 保存结果 / Save the clause result
`,
    },
    {
      code: `
import { saveClauseEvaluation } from 'ptm-conformity';
const written = await saveClauseEvaluation(outDir, ev);
displayMarkdown(\`结果已写入 / result written: \\\`\${outDir}/results/\${written.clause}.json\\\` (\${written.figures.length} figures)\`);
`,
    },
  ],
};

// The exploration cells after each verdict path (scripts/notebook-cells.js).
notebooks['6.2-description'].push(
  ...exploreCells(
    '重新测量描述所声称的性能：在测试集前 `n` 个样本上运行模型（改变 `n` 再运行）。\n\n' +
      'Re-measure the performance the description declares: run the model on the first `n` test samples (change `n` and run again).',
    `
const n = 32; // 改这里 / change me
const check = await sampleScores(c, { ep: ep, seed: seed, samples: n });
displayMarkdown(\`**\${check.metric}** 均值 / mean over \${check.settings.samples} samples: **\${check.mean}** · \${check.ms.toFixed(0)} ms · SHA-256 \${c.modelSha256.slice(0, 12)}…\`);`,
    { evVar: 'result' },
  ),
);
notebooks['6.3.1-trainability'].push(
  ...exploreCells(
    "预训练模型在另一数据集上的逐样本得分（改变 `role`：`validation`、`train`、`test`）。\n\nThe pre-trained model's per-sample scores on another data set (change `role`: `validation`, `train`, `test`).",
    `
const role = 'validation'; // 改这里 / change me
const other = await sampleScores(c, { ep: ep, seed: seed, samples: 24, role: role as any });
displayMarkdown(\`\${role}: **\${other.metric}** 均值 / mean **\${other.mean}** (n = \${other.settings.samples}) · test: \${scores.mean}\`);`,
  ),
);
notebooks['6.3.3-transferability'].push(
  ...exploreCells(
    '预训练模型在验证集与测试集上的得分对比（改变 `role`）。\n\nThe pre-trained model on another data set next to the test set (change `role`).',
    `
const role = 'validation'; // 改这里 / change me
const other = await sampleScores(c, { ep: ep, seed: seed, samples: 24, role: role as any });
displayMarkdown(\`\${role}: **\${other.metric}** 均值 / mean **\${other.mean}** · test: \${scores.mean}\`);`,
  ),
);

module.exports = { notebooks };
if (require.main === module) writeNotebooks(notebooks);
