/**
 * Clause 6.3.3 — transferability (claims of 5.2.3). The pre-trained model is fine-tuned on the
 * downstream task (`downstream` of case.json: `downstreamTrain`, the case's 4.5.4 settings) by the
 * built-in trainer, the fine-tuned weights are written into a copy of the ONNX file, and that copy is
 * evaluated by onnxruntime on `downstreamTest` with A.10 metrics and confidence intervals. The same
 * architecture is trained from scratch (seeded He initialisation of every layer) with the same budget
 * — same trainable layers, epochs, batch, optimiser, data and time limit — and compared: the transfer
 * gain. The pre-trained model before fine-tuning is scored too (its starting point).
 *
 * Claim metrics (on `downstreamTest`, fine-tuned model): `dice`, `iou`, `pixelAccuracy`
 * (segmentation); `accuracy`, `precision`, `recall`, `f1`, `specificity` (classification);
 * `transferGain` (fine-tuned − from scratch, headline metric); `improvement` (fine-tuned − pre-trained).
 * Measurements also say, per claim on a task metric, whether the pre-trained model already met it
 * before fine-tuning (`preFineTuneMeetsClaim`), and whether the from-scratch baseline — trained for as
 * many epochs as the fine-tune ran, under the same time limit — converged (`scratchConverged`).
 * Scoring and intervals (every figure with its own, at the case's `decision.level`) are in scores.ts, the
 * findings (already met before fine-tuning, worse than scratch, curve collapse, short fine-tune, metric
 * undefined on some images) in findings.ts.
 */
import * as os from 'node:os';
import { join } from 'node:path';
import { loadCaseDataset } from '../../case/predict.js';
import { bilingualNote, judgeClaim, type EvidenceInput } from '../judge.js';
import type { LoadedCase } from '../../case/types.js';
import { collectEnvironment } from '../../util/environment.js';
import type { EpChoice } from '../../model/types.js';
import type { Bilingual, ClaimCheck, Measurement } from '../../results/types.js';
import type { LayerInfo } from '../../training/plan.js';
import { trainerBackend } from '../../training/backend.js';
import { analyzeConvergence } from '../../training/convergence.js';
import { trainerUnsupported } from '../common/trainer-support.js';
import { Trainer, type EpochRecord, type TrainingHistory } from '../../training/trainer.js';
import { buildClauseResult, startClause, tableFromRows, type ClauseEvaluation, type ClauseRun } from '../clause.js';
import { transferFigures } from '../common/training-figures.js';
import { baselineCheck, COLLAPSE_LEVEL, diffCi, score, transferEvidence, type TransferScores } from './scores.js';
import { transferFindings } from './findings.js';

export { baselineCheck, COLLAPSE_LEVEL, type TransferScores } from './scores.js';
import {
  CONVERGENCE_ZH,
  deviationTexts,
  isConvNet,
  layerRows,
  underDeviations,
  resolveTrainable,
  selectSamples,
  toTrainingData,
  trainedSentence,
  trainerOptions,
  type TrainableParam,
  type TrainingOverrides,
} from '../common/training.js';

/** Settings of the 6.3.3 evaluation. */
export interface TransferabilityOptions extends TrainingOverrides {
  ep?: EpChoice;
  seed?: number;
  /** Layers fine-tuned: `auto` (fast default), `case`, or a choice. */
  trainable?: TrainableParam;
  /** Train the from-scratch comparison (default true). */
  scratch?: boolean;
  /** Safety time budget of each training run in seconds (default 60); the fast default caps epochs instead. */
  maxSeconds?: number;
  /** Downstream training samples used (default all), seeded selection. */
  trainSamples?: number;
  /** Downstream test samples used (default all). */
  testSamples?: number;
  /** Fine-tuned ONNX copies go to `${outDir}/models/` (default: the OS temp folder). */
  outDir?: string;
  /** Bootstrap resamples for confidence intervals (default 500). */
  bootstrapIterations?: number;
  onEpoch?: (run: 'fine-tune' | 'scratch', e: EpochRecord) => void;
}

/** The 6.3.3 evaluation with its raw material. */
export interface TransferabilityEvaluation extends ClauseEvaluation {
  scores: TransferScores[];
  fineTune?: TrainingHistory;
  scratch?: TrainingHistory;
  layers: LayerInfo[];
  /** Max |ONNX copy − trainer forward pass| on the test inputs (model outputs). */
  exportMaxAbsDiff?: number;
  fineTunedModelPath?: string;
}

/** An inconclusive 6.3.3 result with its reason (no downstream settings; a model the built-in trainer cannot train). */
function inconclusiveResult(clauseRun: ClauseRun, reason: string | Bilingual, seed: number): TransferabilityEvaluation {
  const decision = { verdict: 'inconclusive' as const, reason: bilingualNote(reason)! };
  const result = buildClauseResult(clauseRun, {
    claims: [],
    decision,
    rationale: (r) => r,
    settings: { seed },
    environment: collectEnvironment(),
  });
  return { result, figures: [], scores: [], layers: [] };
}

/**
 * Runs the 6.3.3 evaluation.
 * @param c the loaded case (its `downstream` settings and data sets are used)
 * @param opts overrides and budgets (see {@link TransferabilityOptions})
 * @returns the ClauseResult (figures not yet saved), the scores of the three models and the histories
 * @example
 * const ev = await evaluateTransferability(c, { outDir: 'evidence' });
 * await saveClauseEvaluation('evidence', ev);
 */
export async function evaluateTransferability(c: LoadedCase, opts: TransferabilityOptions = {}): Promise<TransferabilityEvaluation> {
  const clauseRun = startClause('6.3.3', c, opts);
  const spec = c.spec.downstream;
  const { seed, ep } = clauseRun;
  if (!spec)
    return inconclusiveResult(
      clauseRun,
      {
        zh: '用例未给出下游微调设置（case.json 的 "downstream"），无法进行 6.3.3 评价',
        en: 'the case declares no downstream fine-tuning settings (case.json "downstream"), so 6.3.3 cannot be run',
      },
      seed,
    );
  const task = (spec.task ?? c.spec.task) === 'segmentation' ? 'segmentation' : 'classification';
  const iterations = opts.bootstrapIterations ?? 500;
  const trainFull = await loadCaseDataset(c, spec.trainRole);
  const trainAll = trainFull.ids.length;
  const trainDs = selectSamples(trainFull, opts.trainSamples, seed);
  const testDs = selectSamples(await loadCaseDataset(c, 'downstreamTest'), opts.testSamples, seed + 1);
  const valDs = spec.validationRole && spec.validationRole !== 'downstreamTest' ? await loadCaseDataset(c, spec.validationRole) : testDs;
  const numClasses = (spec.labels ?? c.spec.labels).length;
  const train = toTrainingData(c, trainDs, numClasses);
  const val = toTrainingData(c, valDs, numClasses);
  const { choice, reason: trainableReason, epochsCap } = resolveTrainable(opts.trainable, spec, isConvNet(c.modelPath));
  const epochs = opts.epochs ?? (epochsCap !== undefined ? Math.min(spec.epochs, epochsCap) : undefined);
  const maxSeconds = opts.maxSeconds ?? 60;
  const modelsDir = join(opts.outDir ?? os.tmpdir(), 'models');

  const unsupported = await trainerUnsupported(
    trainerOptions(c, spec, { ...opts, epochs, seed, trainable: choice, init: 'pretrained' }, task),
  );
  if (unsupported) return inconclusiveResult(clauseRun, unsupported, seed);
  const pre = await score(c, testDs, 'pretrained', ep, seed, iterations, undefined, clauseRun.level);
  const run = async (init: 'pretrained' | 'scratch', runEpochs = epochs) => {
    const tOpts = trainerOptions(c, spec, { ...opts, epochs: runEpochs, seed, trainable: choice, init, maxSeconds }, task);
    const trainer = await Trainer.create(tOpts);
    try {
      const which = init === 'pretrained' ? 'fine-tune' : 'scratch';
      const history = await trainer.fit(train, val, (e) => opts.onEpoch?.(which, e));
      const path = trainer.exportOnnx(join(modelsDir, `6.3.3-${init === 'pretrained' ? 'fine-tuned' : 'from-scratch'}.onnx`));
      const s = await score(c, testDs, init === 'pretrained' ? 'fine-tuned' : 'scratch', ep, seed, iterations, path, clauseRun.level);
      const mine = await trainer.predict(
        toTrainingData(c, testDs, numClasses).x,
        train.shape.map((d, i) => (i === 0 ? testDs.ids.length : d)),
      );
      let diff = 0;
      for (let i = 0; i < mine.length; i++) diff = Math.max(diff, Math.abs(mine[i]! - s.logits[i]!));
      return { history, path, s, diff, layers: trainer.layers(), tOpts };
    } finally {
      await trainer.dispose();
    }
  };
  const ft = await run('pretrained');
  // The baseline trains exactly as long as the fine-tune did (its epochs run, the same time limit).
  const sc = opts.scratch === false ? undefined : await run('scratch', ft.history.epochs.length);
  const scratchConv = sc ? analyzeConvergence(sc.history.steps.map((x) => x.loss)) : undefined;
  const scratchConverged = scratchConv ? scratchConv.status === 'converged' : undefined;
  const scores = [pre.scores, ft.s.scores, ...(sc ? [sc.s.scores] : [])];
  const metric = ft.s.scores.headline.metric;
  const transferGain = sc ? ft.s.scores.headline.value - sc.s.scores.headline.value : undefined;
  const improvement = ft.s.scores.headline.value - pre.scores.headline.value;

  const measuredFor = (name: string): number | undefined =>
    name === 'transferGain' ? transferGain : name === 'improvement' ? improvement : ft.s.scores.metrics[name];
  const devs = deviationTexts(spec, {
    trainable: choice,
    epochs: ft.tOpts.epochs,
    epochsRun: ft.history.epochs.length,
    batchSize: ft.tOpts.batchSize,
    lr: ft.tOpts.optimizer.lr,
    samples: train.shape[0]!,
    samplesAvailable: trainAll,
    stoppedByBudget: ft.history.stoppedByBudget,
  });
  const nTest = testDs.ids.length;
  const evCtx = { n: nTest, fineTuned: ft.s.scores, pre: pre.scores, scratch: sc?.s.scores };
  const evidenceFor = (name: string, s: TransferScores): EvidenceInput => transferEvidence(name, s, evCtx);
  // "Already met before fine-tuning": each claim on a task metric judged on the pre-trained model.
  const preMeets = clauseRun.claims
    .filter((k) => pre.scores.metrics[k.metric] !== undefined)
    .map((k) => ({
      id: k.id,
      metric: k.metric,
      value: pre.scores.metrics[k.metric]!,
      met: judgeClaim(k, pre.scores.metrics[k.metric], undefined, evidenceFor(k.metric, pre.scores)).met,
    }));
  const alreadyMet = preMeets.filter((p) => p.met === true);
  // A baseline whose headline metric is (near) zero learned nothing: a gain over it evidences no transfer.
  const scratchCollapsed = sc ? sc.s.scores.headline.value <= COLLAPSE_LEVEL : undefined;
  const weakBaseline = scratchCollapsed
    ? { zh: '塌缩', en: 'collapsed' }
    : scratchConverged === false
      ? { zh: '未收敛', en: 'did not converge' }
      : undefined;
  const claims: ClaimCheck[] = clauseRun.claims.map((k) =>
    baselineCheck(
      k.metric,
      weakBaseline,
      underDeviations(
        judgeClaim(
          k,
          measuredFor(k.metric),
          {
            zh:
              `在 ${spec.trainRole} 上微调（${train.shape[0]} 个样本，${ft.history.epochs.length} 轮，训练层 ` +
              `${JSON.stringify(choice)}），由 onnxruntime 在 downstreamTest（${testDs.ids.length} 个样本）上评分`,
            en:
              `fine-tuned on ${spec.trainRole} (${train.shape[0]} samples, ${ft.history.epochs.length} epochs, ` +
              `layers ${JSON.stringify(choice)}), scored on downstreamTest (${testDs.ids.length} samples) by ` +
              `onnxruntime`,
          },
          evidenceFor(k.metric, ft.s.scores),
        ),
        devs,
      ),
    ),
  );
  const findings = transferFindings({
    claims: clauseRun.claims,
    pre: pre.scores,
    fineTuned: ft.s.scores,
    scratch: sc?.s.scores,
    fineTune: ft.history,
    evidenceFor,
    gainCi: sc ? diffCi(ft.s.scores, sc.s.scores) : undefined,
    epochsDeclared: spec.epochs,
    samples: train.shape[0]!,
    samplesAvailable: trainAll,
    emptyImages: ft.s.emptyImages,
    testSamples: nTest,
  });
  const names = {
    pretrained: { zh: '预训练（微调前）', en: 'Pre-trained (before fine-tuning)' },
    'fine-tuned': { zh: '微调后', en: 'Fine-tuned' },
    scratch: { zh: '从头训练（同预算）', en: 'From scratch (same budget)' },
  };
  const measurements: Measurement[] = [];
  for (const s of scores) {
    for (const [k, v] of Object.entries(s.metrics))
      measurements.push({
        name: k,
        value: Number.isFinite(v) ? v : null,
        unit: '1',
        ...(s.cis[k] ? { ci: s.cis[k] } : {}),
        conditions: { model: s.model, dataset: 'downstreamTest', samples: testDs.ids.length },
      });
  }
  measurements.push(
    {
      name: 'transferGain',
      value: transferGain ?? null,
      unit: '1',
      conditions: { metric, definition: { zh: '微调后 − 从头训练（同预算）', en: 'fine-tuned − from scratch, same budget' } },
    },
    {
      name: 'improvement',
      value: improvement,
      unit: '1',
      conditions: { metric, definition: { zh: '微调后 − 预训练起点', en: 'fine-tuned − pre-trained starting point' } },
    },
    {
      name: 'exportMaxAbsDiff',
      value: ft.diff,
      unit: '1',
      conditions: {
        compared: {
          zh: '重新导出的 ONNX 在 onnxruntime 上的输出与训练器前向输出对比（原始输出）',
          en: 'onnxruntime on the re-exported ONNX vs the trainer forward pass, raw outputs',
        },
      },
    },
    {
      name: 'epochsRun',
      value: ft.history.epochs.length,
      unit: 'epoch',
      conditions: { model: 'fine-tuned', configured: ft.tOpts.epochs, stoppedByBudget: ft.history.stoppedByBudget },
    },
    {
      name: 'trainingSamplesPerSecond',
      value: ft.history.samplesPerSecond,
      unit: 'samples/s',
      conditions: { backend: 'tfjs-cpu + JS kernels', trainable: choice },
    },
  );
  for (const p of preMeets)
    measurements.push({
      name: 'preFineTuneMeetsClaim',
      value: p.met,
      unit: '1',
      conditions: { claim: p.id, metric: p.metric, preTrained: p.value, model: 'pretrained', dataset: 'downstreamTest' },
    });
  if (sc)
    measurements.push({
      name: 'scratchCollapsed',
      value: scratchCollapsed!,
      unit: '1',
      conditions: { metric, scratch: sc.s.scores.headline.value, collapseLevel: COLLAPSE_LEVEL },
    });
  if (sc && scratchConv)
    measurements.push({
      name: 'scratchConverged',
      value: scratchConverged!,
      unit: '1',
      conditions: { status: scratchConv.status, epochs: sc.history.epochs.length, sameAsFineTune: true },
    });
  if (sc)
    measurements.push({
      name: 'epochsRun',
      value: sc.history.epochs.length,
      unit: 'epoch',
      conditions: { model: 'scratch', configured: sc.tOpts.epochs, stoppedByBudget: sc.history.stoppedByBudget },
    });
  const cmpRows = scores.map((s) => ({
    model: s.model,
    ...Object.fromEntries(Object.entries(s.metrics).map(([k, v]) => [k, v])),
    [`${metric}Low`]: s.headline.ci.low,
    [`${metric}High`]: s.headline.ci.high,
  }));
  const epochRows = ft.history.epochs.map((e, i) => ({
    epoch: e.epoch + 1,
    fineTuneTrainLoss: e.trainLoss,
    fineTuneValLoss: e.valLoss ?? null,
    fineTuneValMetric: e.valMetric ?? null,
    scratchTrainLoss: sc?.history.epochs[i]?.trainLoss ?? null,
    scratchValMetric: sc?.history.epochs[i]?.valMetric ?? null,
  }));
  const trained = trainedSentence(ft.layers);
  const f = (v: number | undefined) => (v === undefined ? 'n/a' : v.toFixed(3));
  const ids = alreadyMet.map((p) => p.id).join(', ');
  const metNote = alreadyMet.length
    ? {
        en:
          ` Already met before fine-tuning: ${ids} (the pre-trained model meets ${alreadyMet.length === 1 ? 'it' : 'them'} ` +
          'without any downstream training, so this does not evidence transfer).',
        zh: `微调前已满足：${ids}（预训练模型未经下游训练即已满足，不能作为可迁移性的证据）。`,
      }
    : { en: '', zh: '' };
  const scNote = scratchCollapsed
    ? {
        en:
          ` The from-scratch baseline collapsed (${metric} ${f(sc!.s.scores.headline.value)} after ${sc!.history.epochs.length} ` +
          'epochs, as long as the fine-tune): the transfer gain over it is no evidence of transfer, so a transferGain claim is not judged.',
        zh: `从头训练基线塌缩（${metric} ${f(sc!.s.scores.headline.value)}，${sc!.history.epochs.length} 轮，与微调相同）：相对它的迁移增益不能证明可迁移性，迁移增益声称不予判定。`,
      }
    : sc && scratchConverged === false
      ? {
          en:
            ` The from-scratch baseline (${sc.history.epochs.length} epochs, as long as the fine-tune) did not converge ` +
            `(${scratchConv!.status}): the transfer gain is measured against an unconverged baseline.`,
          zh: `从头训练基线（${sc.history.epochs.length} 轮，与微调相同）未收敛（${CONVERGENCE_ZH[scratchConv!.status]}）：迁移增益是相对未收敛基线的。`,
        }
      : { en: '', zh: '' };
  const result = buildClauseResult(clauseRun, {
    findings,
    rationale: (reason) => ({
      en:
        `${reason.en.replace(/\.$/, '')}. Downstream ${metric}: pre-trained ${f(pre.scores.headline.value)} → ` +
        `fine-tuned ${f(ft.s.scores.headline.value)} [${f(ft.s.scores.headline.ci.low)}, ` +
        `${f(ft.s.scores.headline.ci.high)}]` +
        `${sc ? `; from scratch with the same budget ${f(sc.s.scores.headline.value)}; transfer gain ${f(transferGain)}` : ''}. ` +
        `${trained.en} The fine-tuned ONNX copy reproduces the trainer's outputs within ` +
        `${ft.diff.toExponential(2)} (max abs).${metNote.en}${scNote.en}`,
      zh:
        `${reason.zh.replace(/。$/, '')}。下游 ${metric}：预训练 ${f(pre.scores.headline.value)} → 微调后 ` +
        `${f(ft.s.scores.headline.value)} [${f(ft.s.scores.headline.ci.low)}, ${f(ft.s.scores.headline.ci.high)}]` +
        `${sc ? `；同预算从头训练 ${f(sc.s.scores.headline.value)}；迁移增益 ${f(transferGain)}` : ''}。${trained.zh}重新导出的 ` +
        `ONNX 与训练器输出的最大绝对差 ${ft.diff.toExponential(2)}。${metNote.zh}${scNote.zh}`,
    }),
    claims,
    measurements,
    tables: [
      tableFromRows('comparison', { zh: '下游测试集 A.10 指标', en: 'A.10 metrics on the downstream test set' }, cmpRows),
      tableFromRows('epochs', { zh: '逐轮训练记录', en: 'Training per epoch' }, epochRows),
      tableFromRows('layers', { zh: '微调/冻结的层', en: 'Fine-tuned and frozen layers' }, layerRows(ft.layers)),
    ],
    settings: {
      seed,
      trainRole: spec.trainRole,
      validationRole: spec.validationRole ?? 'downstreamTest',
      testRole: 'downstreamTest',
      trainSamples: train.shape[0],
      testSamples: testDs.ids.length,
      epochs: ft.tOpts.epochs,
      batchSize: ft.tOpts.batchSize,
      optimizer: ft.tOpts.optimizer,
      schedule: ft.tOpts.schedule ?? { kind: 'constant' },
      loss: ft.tOpts.loss,
      augmentation: ft.tOpts.augmentation ?? null,
      trainable: choice,
      trainableReason,
      deviationsFromCase: devs,
      maxSecondsPerRun: maxSeconds,
      scratchBaseline: sc
        ? {
            zh: '相同结构，所有层按种子作 He 初始化，被训练的层、批量、优化器、数据与时间上限相同，轮数与微调实际运行的轮数相同',
            en:
              'same architecture, seeded He initialisation of every layer, same trainable layers/batch/optimiser/data/time limit, ' +
              'as many epochs as the fine-tune ran',
          }
        : { zh: '未运行', en: 'not run' },
      bootstrapIterations: iterations,
      fineTunedModel: ft.path,
      trainerBackend: trainerBackend(),
    },
    environment: collectEnvironment(pre.info),
  });
  const compare = scores.map((s) => ({ name: names[s.model], value: s.headline.value, low: s.headline.ci.low, high: s.headline.ci.high }));
  const mname = metric === 'dice' ? { zh: 'Dice', en: 'Dice' } : { zh: '准确率', en: 'Accuracy' };
  return {
    result,
    figures: transferFigures(ft.history, sc?.history, compare, mname),
    scores,
    fineTune: ft.history,
    scratch: sc?.history,
    layers: ft.layers,
    exportMaxAbsDiff: ft.diff,
    fineTunedModelPath: ft.path,
  };
}
