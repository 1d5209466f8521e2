#!/usr/bin/env node
/**
 * Writes the template notebooks of clauses 6.3.8 (adversarial security) and 6.3.9 (privacy) from the
 * cell sources below (same structure as scripts/make-inference-notebooks.js).
 * Run: node scripts/make-security-notebooks.js
 */
'use strict';
const { common, loadCell, showCell, saveCell, writeNotebooks, exploreCells } = require('./notebook-cells.js');

const notebooks = {
  '6.3.8-adversarial': [
    {
      md:
        `
# 6.3.8 对抗安全性 / Adversarial security

**要求 / Requirement (5.2.8, 6.3.8).** 提供方宜声称模型能够应对的对抗攻击类型及其在攻击下的性能（"宜"：无声称时结论为"无法判定"）。评估方法：采用黑盒或白盒方式，对输入施加具有欺骗性的扰动，检查模型能否抵抗攻击。

The provider should claim the adversarial attacks the model withstands and its performance under them (a ` +
        `"should" clause: without a claim the verdict is *inconclusive*). Method: apply deceptive ` +
        `perturbations to the inputs, black-box or white-box, and check whether the model resists.

**本笔记本的做法 / What this notebook does.** Black-box attacks that use only the ONNX model's outputs, from an ` +
        `explicit registry: **Square Attack** (score-based random search, Andriushchenko et al. 2020; claims ` +
        `may call it \`random-search\`) and **HopSkipJump** (decision-based, Chen et al. 2020), with L∞ and L2 ` +
        `budgets. Perturbations are made in the model-input space (after the case's pre-processing — the units ` +
        `providers state budgets in; for the CT case ε = 0.01 is 20 HU) and clipped to the valid range (CT: ` +
        `the pre-processing clip, [−1000, 1000] HU; tabular: the observed range of each feature). Every attack ` +
        `is seeded and every model query is counted against the per-sample budget. Classification: robust ` +
        `accuracy and attack success rate vs ε. Segmentation: Square Attack minimises the soft Dice against ` +
        `the ground truth; robust Dice (pooled) and the share of images whose Dice drops by ≥ \`successDrop\`; ` +
        `HopSkipJump is off by default for segmentation (its decision would be "Dice dropped", thousands of ` +
        `queries on 4096-pixel inputs) and can be added with \`attacks\`. The ε values and attacks that claims ` +
        `name are always added to the sweep.`,
    },
    {
      code: common(`const samples = 0;            // test samples attacked; 0 = default (6 segmentation, 40 classification)
const attacks: string[] = [];  // empty = default (square; classification also hopskipjump)
const norms = ['linf', 'l2'];
const epsilonsLinf: number[] = []; // empty = default sweep (model-input units)
const epsilonsL2: number[] = [];
const maxQueries = 0;          // per sample, score-based; 0 = default (80 segmentation, 200 classification; sized from cost)
const decisionQueries = 0;     // per sample, decision-based; 0 = default (400, sized from the measured cost)
const successDrop = 0.1;       // segmentation: Dice drop counted as a successful attack`),
      tags: ['parameters'],
    },
    { code: loadCell },
    { md: `## 攻击 / Attacks` },
    {
      code:
        `
import { evaluateAdversarial, listAttacks, displayTable } from 'ptm-conformity';
displayTable(listAttacks().map((a) => ({ attack: a.name, aliases: a.aliases.join(', '), kind: a.kind, norms: ` +
        `a.norms.join(', '), reference: a.reference })));
const ev = await evaluateAdversarial(c, {
  ep: ep, seed: seed, samples: samples > 0 ? samples : undefined, attacks: attacks.length ? attacks : ` +
        `undefined, norms: norms as ('linf' | 'l2')[],
  epsilons: { linf: epsilonsLinf.length ? epsilonsLinf : undefined, l2: epsilonsL2.length ? epsilonsL2 : undefined },
  maxQueries: maxQueries > 0 ? maxQueries : undefined, decisionQueries: decisionQueries > 0 ? decisionQueries : undefined,
  successDrop: successDrop, profile: profile,
});
displayMarkdown(\`执行提供者 / execution provider: **\${ev.result.environment.executionProvider}** · 有效范围 / valid ` +
        `range: \${(ev.result.settings.validRange as Record<'zh' | 'en', string>)[lang]}\`);`,
    },
    {
      md:
        `## 结果 / Results\n\nThe sweep table (attack, norm, ε, clean and robust metric, attack success rate, ` +
        `mean queries per sample), robust metric (solid) and attack success rate (dashed) vs ε per norm, ` +
        `and example perturbations (CT: clean image with predicted mask, perturbation, attacked image ` +
        `with predicted mask; tabular: the perturbation per feature).`,
    },
    { code: showCell },
    { md: `## 保存结果 / Save the clause result` },
    { code: saveCell },
  ],
  '6.3.9-privacy': [
    {
      md:
        `
# 6.3.9 隐私性 / Privacy

**要求 / Requirement (5.2.9, 6.3.9).** 提供方应声称：a) 采取的隐私保护措施（如差分隐私），使攻击者无法通过模型推断训练数据的分布或单条记录；b) 模型代码对数据上传与存储的保护。评估方法：检查隐私保护措施是否满足 5.2.9 的要求。

The provider claims a) privacy measures (e.g. differential privacy) so that attacks cannot infer the training ` +
        `data's distribution or single records from the model, and b) protection of data upload and storage by ` +
        `the model code. Method: check the privacy measures against 5.2.9.

**本笔记本的做法 / What this notebook does.** a) **Membership inference**: \`samples\` training samples (members) ` +
        `and as many held-out \`test\`/\`validation\` samples (non-members), seeded; the loss-threshold attack ` +
        `(Yeom et al. 2018) and a confidence attack; ROC, AUC, TPR at 0.1 % and 1 % FPR (FPR resolution is ` +
        `1/non-members) and membership advantage (max TPR − FPR). b) **Upload and storage**: inference runs in ` +
        `a child Node process under Node's permission model (\`--experimental-permission\`, reads limited to ` +
        `the package and the case, writes only to a temp dir; \`--allow-addons\` is required because ` +
        `onnxruntime-node is a native addon) with a preload that records and refuses every network and storage ` +
        `call (Node 20's permission model has no network switch); files left in the temp dir are listed. The ` +
        `judged run disables onnxruntime's own telemetry (\`ORT_DISABLE_TELEMETRY=1\`); a second run with the ` +
        `runtime as installed shows what onnxruntime itself writes. c) The provider's declared measures ` +
        `(differential privacy, de-identification) from the description, with their evidence status.`,
    },
    {
      code: common(`const samples = 0;               // members and non-members each; 0 = default (100, fewer when a set is smaller)
const sandbox = true;             // run the sandboxed inference check
const sandboxSamples = 8;
const runtimeTelemetry = 'disabled'; // onnxruntime telemetry in the judged sandbox run: 'disabled' | 'as-installed'`),
      tags: ['parameters'],
    },
    { code: loadCell },
    { md: `## 成员推断与沙箱推理 / Membership inference and sandboxed inference` },
    {
      code:
        `
import { evaluatePrivacy } from 'ptm-conformity';
const ev = await evaluatePrivacy(c, { ep: ep, seed: seed, samples: samples > 0 ? samples : undefined, ` +
        `sandbox: sandbox, sandboxSamples: sandboxSamples, runtimeTelemetry: runtimeTelemetry as 'disabled' | 'as-installed' });
displayMarkdown(\`沙箱参数 / sandbox flags: \\\`\${(ev.sandbox[0]?.flags ?? []).join(' ')}\\\`\`);`,
    },
    {
      md:
        `## 结果 / Results\n\nTables: membership attacks (AUC, TPR at low FPR, advantage), sandboxed runs ` +
        `(attempts refused, files left), declared privacy measures with evidence status. Figures: ` +
        `membership-inference ROC, loss distribution of members and non-members.`,
    },
    { code: showCell },
    { md: `## 保存结果 / Save the clause result` },
    { code: saveCell },
  ],
};

// The exploration cells after each verdict path (scripts/notebook-cells.js).
notebooks['6.3.8-adversarial'].push(
  ...exploreCells(
    '与攻击对照：同等强度的随机噪声对得分的影响（改变 `trySeverity`）。\n\nNext to the attacks: how much random noise changes the scores (change `trySeverity`).',
    `
const trySeverity = 2; // 改这里 / change me
// 本模态的随机噪声腐蚀 / the random-noise corruption of this case's modality
const tryNoise = noiseCorruptionFor(c.spec.modality);
const t = await sampleScores(c, { ep: ep, seed: seed, samples: 24, corruption: tryNoise, severity: trySeverity });
const tryLine = \`\${tryNoise ?? '—'} @ \${trySeverity}: **\${t.metric}** \${t.mean} → **\${t.meanCorrupted ?? '—'}**\`;
displayMarkdown(\`\${tryLine} (n = \${t.settings.samples})\`);`,
    { corruption: false },
  ),
);
notebooks['6.3.9-privacy'].push(
  ...exploreCells(
    '训练集与测试集得分之差——成员推断攻击利用的正是这一差距（改变 `n`）。\n\n' +
      'The gap between training and test scores, which a membership-inference attack exploits (change `n`).',
    `
const n = 32; // 改这里 / change me
const tr = await sampleScores(c, { ep: ep, seed: seed, samples: n, role: 'train' });
const te = await sampleScores(c, { ep: ep, seed: seed, samples: n, role: 'test' });
displayMarkdown(\`train \${tr.metric} **\${tr.mean}** · test **\${te.mean}** · gap **\${(tr.mean - te.mean).toFixed(4)}** (n = \${n})\`);`,
  ),
);

module.exports = { notebooks };
if (require.main === module) writeNotebooks(notebooks);
