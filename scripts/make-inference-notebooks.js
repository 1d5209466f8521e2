#!/usr/bin/env node
/**
 * Writes the template notebooks of the inference-only clauses (6.3.2, 6.3.4, 6.3.5, 6.3.6, 6.3.7) from the cell
 * sources below, so that their structure stays uniform and reviewable in one place.
 * Run: node scripts/make-inference-notebooks.js
 */
'use strict';
const { common, loadCell, showCell, saveCell, writeNotebooks, exploreCells } = require('./notebook-cells.js');

const notebooks = {
  '6.3.4-efficiency': [
    {
      md:
        `
# 6.3.4 模型效率 / Model efficiency

**要求 / Requirement (5.2.4, 6.3.4).** 提供方应声称模型前向推理所需的算力、计算与存储资源占用，以及不同参数配置下的精度与推理时间。评估方法：a) 在声称的算力条件下运行推理，` +
        `检查能否运行；b) 记录推理所用计算与存储资源并与声称比较；c) 如适用，记录不同参数配置下的性能与推理时间。

The provider claims the compute needed for forward inference, the compute and storage it occupies, and ` +
        `accuracy and inference time across parameter configurations. Method: a) run inference at the declared ` +
        `compute and check that it runs; b) record compute and storage used and compare with the claims; c) ` +
        `where applicable, record performance and inference time per parameter configuration.

**本笔记本的做法 / What this notebook does.** MACs/FLOPs and parameters are counted from the ONNX graph at the ` +
        `declared input shape; the model file size is read; peak memory is measured in a fresh child process ` +
        `(peak RSS after three inferences minus peak RSS after loading onnxruntime). Latency is measured ` +
        `MLPerf-style — warm-up runs excluded, then at least \`minQueries\` queries and \`minDurationMs\` of ` +
        `measurement — as p50/p90/p99 and throughput per batch size, on seeded synthetic inputs (values do not ` +
        `change the cost of these dense models). Declared model variants are scored on the test set (Dice or ` +
        `accuracy) and timed at batch 1; the Pareto front is marked. Latency claims are measured under exactly ` +
        `the conditions they state (batch, threads, provider).`,
    },
    {
      code: common(`const batchSizes = [1, 4, 16];
const threads = 0; // 0 = onnxruntime's default
const minQueries = 20;
const minDurationMs = 400;
const variantSamples = 40;`),
      tags: ['parameters'],
    },
    { code: loadCell },
    { md: `## 测量 / Measurement` },
    {
      code:
        `
import { evaluateEfficiency } from 'ptm-conformity';
const ev = await evaluateEfficiency(c, { ep: ep, seed: seed, batchSizes: batchSizes, threads: threads > 0 ? ` +
        `threads : undefined, timing: { minQueries: minQueries, minDurationMs: minDurationMs }, variantSamples: variantSamples });
displayMarkdown(\`执行提供者 / execution provider: **\${ev.result.environment.executionProvider}** · CPU: ` +
        `\${ev.result.environment.cpu} · onnxruntime \${ev.result.environment.onnxruntime}\`);`,
    },
    {
      md:
        `## 结果 / Results\n\nTables: compute and storage measurements, latency and throughput per batch ` +
        `size, model variants. Figures: latency distribution, throughput vs batch size, accuracy vs ` +
        `latency (Pareto front in orange).`,
    },
    {
      code:
        `
import { showClauseEvaluation, displayTable } from 'ptm-conformity';
displayTable(ev.result.measurements.filter((m) => !String(m.name).startsWith('latency') && m.name !== ` +
        `'throughputPerSec').map((m) => ({ measurement: m.name, value: m.value, unit: m.unit, conditions: ` +
        `JSON.stringify(m.conditions ?? {}, (_k, v) => (v && typeof v.zh === 'string' && typeof v.en === 'string' ? v[lang] : v)) })));
await showClauseEvaluation(ev, lang);`,
    },
    { md: `## 保存结果 / Save the clause result` },
    { code: saveCell },
  ],
  '6.3.2-scalability': [
    {
      md:
        `
# 6.3.2 架构可扩展性 / Architecture scalability

**要求 / Requirement (5.2.2, 6.3.2).** 提供方应声称增加算力能否提升模型推理和训练效率，以及所需的最低与最高硬件配置。评估方法：改变硬件和软件资源，记录推理效率的变化，与声称比较。

The provider claims whether more compute improves inference (and training) efficiency, and the minimum and ` +
        `maximum hardware. Method: change hardware and software resources, record how inference efficiency ` +
        `changes, and compare with the claims.

**本笔记本的做法 / What this notebook does.** Sweeps intra-op threads (1 … cores), batch size, execution mode ` +
        `(sequential / parallel with inter-op threads) and every execution provider onnxruntime-node knows ` +
        `(CPU, WebGPU, CUDA — those not present on this machine are listed as *not available*, with the ` +
        `reason). For each configuration: throughput and latency; then speed-up and parallel efficiency ` +
        `relative to one thread, the minimum configuration that meets each claim, and whether the last added ` +
        `thread still helps. The sweep always includes the thread counts and batch sizes the claims name. ` +
        `Training-time scaling is reported in 6.3.1.`,
    },
    {
      code: common(`const threadCounts: number[] = []; // empty = 1 … number of cores
const batchSizes = [1, 8];
const modes = ['sequential', 'parallel'];
const minQueries = 10;
const minDurationMs = 300;`),
      tags: ['parameters'],
    },
    { code: loadCell },
    { md: `## 资源扫描 / Resource sweep` },
    {
      code:
        `
import { evaluateScalability } from 'ptm-conformity';
const ev = await evaluateScalability(c, { seed: seed, batchSizes: batchSizes, modes: modes as ('sequential' | ` +
        `'parallel')[], threads: threadCounts.length ? threadCounts : undefined, timing: { minQueries: ` +
        `minQueries, minDurationMs: minDurationMs } });
displayMarkdown(ev.unavailable.length ? ev.unavailable.map((u) => \`- **\${u.provider}**: ` +
        `\${u.text[lang]}\`).join('\\n') : '所有执行提供者均可用 / every provider was available');`,
    },
    {
      md:
        `## 结果 / Results\n\nThe sweep table, provider availability, speed-up (dotted: ideal linear ` +
        `speed-up), parallel efficiency and throughput vs threads.`,
    },
    { code: showCell },
    { md: `## 保存结果 / Save the clause result` },
    { code: saveCell },
  ],
  '6.3.5-repeatability': [
    {
      md:
        `
# 6.3.5 输出可重复性 / Output repeatability

**要求 / Requirement (5.2.5, 6.3.5).** 提供方应声称对相同测试数据，模型输出结果一致（相同的值或相同的范围；文本为相同含义）。评估方法：使用相同测试用例重复推理，检查输出是否一致。

The provider claims that the same test data give consistent outputs (the same value or within a stated ` +
        `range). Method: run the same test cases repeatedly and check that the outputs agree.

**本笔记本的做法 / What this notebook does.** The first \`samples\` test cases are run: repeatedly within one ` +
        `session, in fresh sessions, with different intra-op thread counts, with other execution providers ` +
        `(where present), and one at a time vs in batches. Every run is compared with the reference run: max ` +
        `absolute and relative difference of the raw outputs, the share of bit-identical values, and decision ` +
        `agreement (equal class labels; for segmentation the mean Dice between the runs' masks). A claim of ` +
        `identical outputs (max |Δ| = 0) is judged bit for bit.`,
    },
    {
      code: common(`const samples = 24;
const repeats = 3;
const sessions = 2;
const batchSize = 8;`),
      tags: ['parameters'],
    },
    { code: loadCell },
    { md: `## 重复推理 / Repeated inference` },
    {
      code:
        `
import { evaluateRepeatability } from 'ptm-conformity';
const ev = await evaluateRepeatability(c, { ep: ep, seed: seed, samples: samples, repeats: repeats, sessions: ` +
        `sessions, batchSize: batchSize });`,
    },
    {
      md:
        `## 结果 / Results\n\nThe comparison table, max |Δoutput| per comparison (log scale; the floor 1e-12 ` +
        `stands for bit-identical) and decision agreement.`,
    },
    { code: showCell },
    { md: `## 保存结果 / Save the clause result` },
    { code: saveCell },
  ],
  '6.3.6-robustness': [
    {
      md:
        `
# 6.3.6 鲁棒性 / Robustness

**要求 / Requirement (5.2.6, 6.3.6).** 提供方应声称模型对含噪声输入仍能正确输出的能力（h），以及对分布外数据点的处理能力（i）。评估方法：评估适用场景、样本形式和性能；参考附录 ` +
        `A.12.2：a) 自然噪声样本；b) 不合格样本（其他类型、明显错误的样本混入测试集），模型不应被误导。"自然噪声是相对的"：噪声的度量、水平和阈值按任务选择，因此每个噪声水平都是参数并记录在证据中。

The provider claims correct output on noisy inputs (h) and the handling of out-of-distribution points (i). ` +
        `Method (A.12.2): a) natural-noise samples; b) unqualified samples — other types and obviously wrong ` +
        `samples mixed into the test set — must not mislead the model. "Natural noise is relative": the noise ` +
        `measure, level and threshold are chosen per task, so every level is a parameter recorded in the evidence.

**本笔记本的做法 / What this notebook does.** Every corruption registered for the case's modality (for CT in HU: ` +
        `Gaussian, shot and impulse noise, Gaussian and motion blur, contrast, brightness, pixelate, JPEG-like ` +
        `quantisation, ring and streak artefacts, dose-reduction noise; for tabular data: Gaussian feature ` +
        `perturbation and mean-imputed missing values) is applied to the raw test inputs at severities 1–5 ` +
        `(the parameters of each severity are in the settings), seeded per corruption and severity. The task ` +
        `metric is reported with its 95 % CI per corruption and severity, with the corruption error (mean of 1 ` +
        `− metric over severities) and the relative corruption error (mean drop from the clean metric), ` +
        `normalised by a declared reference when the case gives one. Then the case's \`invalid\` and \`ood\` ` +
        `samples: the share accepted with high confidence (≥ \`confidenceThreshold\`), and out-of-distribution ` +
        `detection by the maximum softmax probability (AUROC, AUPR, FPR at 95 % TPR). A task-metric claim with ` +
        `\`{ corruption, severity }\` holds when it is met at every severity up to the stated one.`,
    },
    {
      code: common(`const corruptions: string[] = []; // empty = every corruption of the modality
const severities = [1, 2, 3, 4, 5];
const samples = 0;            // test samples; 0 = default (40, lowered to fit the time budget at the measured cost)
const confidenceThreshold = 0.9;
const bootstrapIterations = 300;`),
      tags: ['parameters'],
    },
    { code: loadCell },
    { md: `## 腐蚀扫描与不合格样本 / Corruption sweep and unqualified samples` },
    {
      code:
        `
import { evaluateRobustness } from 'ptm-conformity';
const ev = await evaluateRobustness(c, { ep: ep, seed: seed, corruptions: corruptions.length ? corruptions : ` +
        `undefined, severities: severities, samples: samples > 0 ? samples : undefined, confidenceThreshold: confidenceThreshold, ` +
        `bootstrapIterations: bootstrapIterations });`,
    },
    {
      md:
        `## 结果 / Results\n\nTables: the metric per corruption and severity (with CI), corruption errors, ` +
        `acceptance of test / OOD / invalid samples. Figures: metric vs severity (severity 0 = clean), ` +
        `confidence histograms, OOD-detection ROC.`,
    },
    { code: showCell },
    { md: `## 保存结果 / Save the clause result` },
    { code: saveCell },
  ],
  '6.3.7-generalization': [
    {
      md:
        `
# 6.3.7 泛化性 / Generalisation

**要求 / Requirement (5.2.7, 6.3.7).** 提供方应声称对训练集与真实世界未见样本的分析。评估方法：使用未参与训练的数据进行测试；参考附录 A.12.1：a) 亚组组合测试——各亚组之间无统计学显著偏差；b) 压力（困难、非典型）样本达到声明的基线。

The provider claims an analysis of the training set vs unseen real-world samples. Method: test on data not ` +
        `used in training (A.12.1): a) subgroup combination test — no statistically significant deviation ` +
        `between subgroups; b) stress (hard, atypical) samples reach the declared baseline.

**本笔记本的做法 / What this notebook does.** On the test set: the task metric per subgroup column value and per ` +
        `combination of up to \`maxOrder\` columns (groups smaller than \`minSize\` are not reported), with 95 ` +
        `% CIs (Wilson for accuracy, bootstrap over images for pooled Dice); each group is tested against the ` +
        `rest of the set (two-proportion z-test, or a bootstrap of the difference for Dice), and the p-values ` +
        `are controlled for the false-discovery rate by Benjamini–Hochberg at level \`q\`; differences and ` +
        `ratios to the overall metric. Then the case's \`hard\` set against the test set and the claimed level.`,
    },
    {
      code: common(`const minSize = 8;
const maxOrder = 2;
const q = 0.05;
const iterations = 400;`),
      tags: ['parameters'],
    },
    { code: loadCell },
    { md: `## 亚组与困难样本 / Subgroups and hard samples` },
    {
      code: `
import { evaluateGeneralization } from 'ptm-conformity';
const ev = await evaluateGeneralization(c, { ep: ep, seed: seed, minSize: minSize, maxOrder: maxOrder, q: q, iterations: iterations });`,
    },
    {
      md:
        `## 结果 / Results\n\nThe subgroup table (metric, CI, difference and ratio to overall, p-value, ` +
        `BH-adjusted p-value, significance), hard vs test, the forest plot (\\* = significant after BH) ` +
        `and the hard-sample bar chart.`,
    },
    { code: showCell },
    { md: `## 保存结果 / Save the clause result` },
    { code: saveCell },
  ],
};

// The exploration cells after each verdict path (scripts/notebook-cells.js).
notebooks['6.3.4-efficiency'].push(
  ...exploreCells(
    '不同批大小下的推理耗时（改变 `tryBatch`）。\n\nInference time at another batch size (change `tryBatch`).',
    `
const tryBatch = [1, 8]; // 改这里 / change me
const timed = [];
for (const b of tryBatch) {
  const s = await sampleScores(c, { ep: ep, seed: seed, samples: 32, batchSize: b });
  timed.push({ batch: b, ms: s.ms, ms_per_sample: Number((s.ms / 32).toFixed(3)), mean_score: s.mean });
}
timed`,
  ),
);
notebooks['6.3.2-scalability'].push(
  ...exploreCells(
    '同一批样本，以不同的线程数推理并比较耗时（改变 `tryThreads`）。\n\nThe same samples inferred with different thread counts, timed (change `tryThreads`).',
    `
const tryThreads = [1, 2]; // 改这里 / change me
const timed = [];
for (const t of tryThreads) {
  const s = await sampleScores(c, { ep: 'cpu', seed: seed, samples: 32, threads: t });
  timed.push({ threads: t, ms: s.ms, ms_per_sample: Number((s.ms / 32).toFixed(3)), mean_score: s.mean });
}
timed`,
  ),
);
notebooks['6.3.5-repeatability'].push(
  ...exploreCells(
    '以两种线程数各运行一次，比较逐样本得分的最大差异（改变 `threadsA`、`threadsB`）。\n\n' +
      'Run twice with two thread counts and compare the per-sample scores (change `threadsA`, `threadsB`).',
    `
const threadsA = 1; // 改这里 / change me
const threadsB = 2;
const a = await sampleScores(c, { ep: 'cpu', seed: seed, samples: 24, threads: threadsA });
const b = await sampleScores(c, { ep: 'cpu', seed: seed, samples: 24, threads: threadsB });
const byId = new Map(b.rows.map((r) => [r.id, Number(r[b.metric])]));
const maxDelta = Math.max(...a.rows.map((r) => Math.abs(Number(r[a.metric]) - (byId.get(r.id) ?? NaN))));
displayMarkdown(\`线程 / threads \${threadsA} vs \${threadsB}: max |Δ \${a.metric}| = **\${maxDelta}** over \${a.rows.length} samples\`);`,
  ),
);
notebooks['6.3.6-robustness'].push(
  ...exploreCells(
    '换一种腐蚀或严重度重新测量（改变 `tryCorruption`、`trySeverity`；名称见 `corruptionsFor(c.spec.modality)`）。\n\n' +
      'Re-measure under another corruption or severity (change `tryCorruption`, `trySeverity`; names: `corruptionsFor(c.spec.modality)`).',
    `
import { corruptionsFor } from 'ptm-conformity';
const tryCorruption = corruptionsFor(c.spec.modality).at(-1)!.name; // 改这里 / change me
const trySeverity = 5;
const t = await sampleScores(c, { ep: ep, seed: seed, samples: 24, corruption: tryCorruption, severity: trySeverity });
const line = \`\${tryCorruption} @ \${trySeverity}: **\${t.metric}** \${t.mean} → **\${t.meanCorrupted}**\`;
displayMarkdown(\`\${line} (n = \${t.settings.samples}, seed \${seed})\`);`,
  ),
);
notebooks['6.3.7-generalization'].push(
  ...exploreCells(
    '困难样本集与测试集的逐样本得分对比（改变 `role`：`hard`、`validation`）。\n\n' +
      'The hard set next to the test set, per sample (change `role`: `hard`, `validation`).',
    `
const role = 'hard'; // 改这里 / change me
const other = await sampleScores(c, { ep: ep, seed: seed, samples: 24, role: role as any });
displayMarkdown(\`\${role}: **\${other.metric}** 均值 / mean **\${other.mean}** · test: \${scores.mean}\`);
scoresFrame(other).head(5)`,
  ),
);

module.exports = { notebooks };
if (require.main === module) writeNotebooks(notebooks);
