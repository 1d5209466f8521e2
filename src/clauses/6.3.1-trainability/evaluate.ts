/**
 * Clause 6.3.1 — trainability (claims of 5.2.1). The model is trained with the case's training
 * settings (`training` of case.json: data roles, epochs, batch, optimiser, schedule, loss,
 * augmentation) by the built-in trainer; the loss convergence curve (train and validation) is
 * recorded and analysed (smoothing, relative decrease, plateau, divergence, Mann–Kendall trend,
 * train–validation gap). The provider's own training command can be run too, its log captured.
 *
 * Claim metrics: `finalTrainLoss` (inference-mode loss on the training data after training),
 * `lossDecrease` (relative, `(initial − final)/initial`, 0..1), `finalValidationLoss`,
 * `validationDice` / `validationAccuracy`. With condition `{ source: 'provider' }` a loss claim is
 * judged on the provider command's log (last `loss`; decrease from its first record).
 * A diverging run (non-finite loss, explosion, sustained increase) fails the clause whatever the claims.
 */
import * as os from 'node:os';
import { loadCaseDataset } from '../../case/predict.js';
import { bilingualNote, judgeClaim, verdictFromClaims } from '../judge.js';
import { curveCollapseFinding, providerNotRunFinding, shortTrainingFinding } from '../common/findings.js';
import type { LoadedCase } from '../../case/types.js';
import { collectEnvironment } from '../../util/environment.js';
import type { EpChoice } from '../../model/types.js';
import type { Bilingual, ClaimCheck, Finding, Measurement } from '../../results/types.js';
import { analyzeConvergence, type ConvergenceAnalysis } from '../../training/convergence.js';
import type { LayerInfo } from '../../training/plan.js';
import { trainerBackend } from '../../training/backend.js';
import { Trainer, type EpochRecord, type TrainingHistory } from '../../training/trainer.js';
import { tryCreateTrainer } from '../common/trainer-support.js';
import { buildClauseResult, startClause, tableFromRows, type ClauseRun, type ClauseEvaluation } from '../clause.js';
import { trainabilityFigures } from '../common/training-figures.js';
import { providerStatusText, underCaseSettings } from './case-settings.js';
import { runProvider, type ProviderCommandRun } from './provider.js';

export { claimsCaseSettings, providerStatus, underCaseSettings } from './case-settings.js';
import {
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
  CONVERGENCE_ZH,
} from '../common/training.js';

/** Settings of the 6.3.1 evaluation. */
export interface TrainabilityOptions extends TrainingOverrides {
  ep?: EpChoice;
  seed?: number;
  /** Layers trained: `auto` (fast default), `case`, or a choice (see `TrainableChoice`). */
  trainable?: TrainableParam;
  /** Starting weights of the trained layers (default `reinit-trainable`: appendix B.1.5.2 trains from random weights). */
  init?: 'pretrained' | 'scratch' | 'reinit-trainable';
  /** Training samples used (default: all for tabular data, 48 for images), seeded selection. */
  trainSamples?: number;
  /** Validation samples used (default: all for tabular data, 24 for images). */
  validationSamples?: number;
  /** Safety time budget of the built-in training in seconds (default 60): no epoch starts after it. */
  maxSeconds?: number;
  /** onnxruntime thread counts for the time-per-epoch sweep (default [1, cores]; [] skips it). */
  threadsSweep?: number[];
  /** Run the case's `training.command` (`auto`: when its interpreter has torch and its time limit ≤ 120 s). */
  useProviderCommand?: boolean | 'auto';
  /**
   * The case's `training.command` is provider code: it runs only when this is true (`ptmc run
   * --allow-provider-commands`, notebook parameter `allowProviderCommands`; default false).
   */
  allowProviderCommands?: boolean;
  /** Run the allowed provider command without the bubblewrap sandbox (`--no-sandbox`; default false). */
  noSandbox?: boolean;
  /** Evidence folder: the provider log goes to `${outDir}/logs/6.3.1-provider-training.log`. */
  outDir?: string;
  onEpoch?: (e: EpochRecord) => void;
  onProviderLine?: (line: string) => void;
}

/** The 6.3.1 evaluation with its raw material. */
export interface TrainabilityEvaluation extends ClauseEvaluation {
  history?: TrainingHistory;
  analysis?: ConvergenceAnalysis;
  layers: LayerInfo[];
  provider?: ProviderCommandRun;
}

function inconclusive(run: ClauseRun, reason: string | Bilingual, settings: Record<string, unknown>): TrainabilityEvaluation {
  const result = buildClauseResult(run, {
    claims: [],
    decision: { verdict: 'inconclusive', reason: bilingualNote(reason)! },
    rationale: (r) => r,
    settings,
    environment: collectEnvironment(),
  });
  return { result, figures: [], layers: [] };
}

/**
 * Runs the 6.3.1 evaluation.
 * @param c the loaded case (its `training` settings are used)
 * @param opts overrides and budgets (see {@link TrainabilityOptions})
 * @returns the ClauseResult (figures not yet saved), the history, the analysis and the provider run
 * @example
 * const ev = await evaluateTrainability(c, { outDir: 'evidence' });
 * await saveClauseEvaluation('evidence', ev);
 */
export async function evaluateTrainability(c: LoadedCase, opts: TrainabilityOptions = {}): Promise<TrainabilityEvaluation> {
  const run = startClause('6.3.1', c, opts);
  const spec = c.spec.training;
  const seed = run.seed;
  if (!spec)
    return inconclusive(
      run,
      {
        zh: '用例未给出训练设置（case.json 的 "training"），无法运行 6.3.1 的训练用例',
        en: 'the case declares no training settings (case.json "training"), so the training case of 6.3.1 cannot be run',
      },
      { seed },
    );
  const task = c.spec.task === 'segmentation' ? 'segmentation' : 'classification';
  const image = c.spec.modality !== 'tabular';
  const trainFull = await loadCaseDataset(c, spec.trainRole);
  const trainDs = selectSamples(trainFull, opts.trainSamples ?? (image ? 48 : undefined), seed);
  const valDs = spec.validationRole
    ? selectSamples(await loadCaseDataset(c, spec.validationRole), opts.validationSamples ?? (image ? 24 : undefined), seed + 1)
    : undefined;
  const numClasses = c.spec.labels.length;
  const train = toTrainingData(c, trainDs, numClasses);
  const val = valDs ? toTrainingData(c, valDs, numClasses) : undefined;

  const { choice, reason: trainableReason, epochsCap } = resolveTrainable(opts.trainable, spec, isConvNet(c.modelPath));
  const epochs = opts.epochs ?? (epochsCap !== undefined ? Math.min(spec.epochs, epochsCap) : undefined);
  const init = opts.init ?? 'reinit-trainable';
  const maxSeconds = opts.maxSeconds ?? 60;
  const tOpts = trainerOptions(c, spec, { ...opts, epochs, seed, trainable: choice, init, maxSeconds }, task);
  const made = await tryCreateTrainer(tOpts);
  if (!made.trainer) return inconclusive(run, made.unsupported, { seed, trainable: choice, maxSeconds });
  const trainer = made.trainer;
  const layers = trainer.layers();
  const before = await trainer.evaluate(train);
  const history = await trainer.fit(train, val, opts.onEpoch);
  const after = await trainer.evaluate(train);
  await trainer.dispose();
  const stepLosses = history.steps.map((s) => s.loss);
  const analysis = analyzeConvergence(stepLosses, {
    validation: history.epochs.map((e) => e.valLoss ?? NaN),
    initial: before.loss,
    final: history.stoppedNonFinite ? NaN : after.loss,
  });
  const lastEpoch = history.epochs[history.epochs.length - 1];

  const sweep: { threads: number; secondsPerEpoch: number; samplesPerSecond: number }[] = [];
  const cores = os.cpus().length;
  for (const t of opts.threadsSweep ?? [...new Set([1, cores])]) {
    const small = {
      ...train,
      x: train.x.subarray(0, Math.min(train.shape[0]!, 2 * tOpts.batchSize) * (train.x.length / train.shape[0]!)),
      shape: [Math.min(train.shape[0]!, 2 * tOpts.batchSize), ...train.shape.slice(1)],
    };
    const sd = {
      ...small,
      target: train.target.subarray(0, small.shape[0]! * (train.target.length / train.shape[0]!)),
      targetShape: [small.shape[0]!, ...train.targetShape.slice(1)],
    };
    const tr = await Trainer.create({ ...tOpts, epochs: 1, threads: t, maxSeconds: undefined });
    const t0 = performance.now();
    await tr.fit(sd);
    const s = (performance.now() - t0) / 1000;
    await tr.dispose();
    sweep.push({ threads: t, secondsPerEpoch: s, samplesPerSecond: sd.shape[0]! / s });
  }
  const provider = await runProvider(c, opts);

  const devs = deviationTexts(spec, {
    trainable: choice,
    epochs: tOpts.epochs,
    epochsRun: history.epochs.length,
    batchSize: tOpts.batchSize,
    lr: tOpts.optimizer.lr,
    samples: train.shape[0]!,
    samplesAvailable: trainFull.ids.length,
    stoppedByBudget: history.stoppedByBudget,
  });
  const metricName = task === 'segmentation' ? 'validationDice' : 'validationAccuracy';
  const measured: Record<string, number | undefined> = {
    finalTrainLoss: history.stoppedNonFinite ? NaN : after.loss,
    lossDecrease: analysis.relativeDecrease,
    finalValidationLoss: lastEpoch?.valLoss,
    [metricName]: lastEpoch?.valMetric,
  };
  const pa = provider?.analysis;
  const provMeasured: Record<string, number | undefined> = pa
    ? {
        finalTrainLoss: pa.final,
        lossDecrease: pa.relativeDecrease,
        finalValidationLoss: provider?.records[provider.records.length - 1]?.['valLoss'],
      }
    : {};
  const claims: ClaimCheck[] = run.claims.map((k) => {
    const fromProvider = k.conditions?.['source'] === 'provider';
    const v = fromProvider ? provMeasured[k.metric] : measured[k.metric];
    const diverged = fromProvider ? pa?.diverged : analysis.diverged;
    if (diverged) {
      const ch = judgeClaim(k, v);
      const first = (fromProvider ? pa! : analysis).reasons[0]!;
      const why = `training diverged: ${first.en}`;
      return { ...ch, met: false, note: why, noteZh: `训练发散：${first.zh}`, evidence: { ...ch.evidence!, override: why } };
    }
    if (fromProvider && provider?.notAllowed)
      return {
        ...judgeClaim(k, undefined),
        met: null,
        note: 'provider command not run (not allowed): no provider log to judge',
        noteZh: '提供方训练命令未运行（未允许）：没有可据以判定的提供方日志',
      };
    if (fromProvider) return judgeClaim(k, v, { zh: '依据提供方训练命令的日志测量', en: "measured on the provider command's log" });
    return underCaseSettings(
      k,
      underDeviations(
        judgeClaim(k, v, {
          zh: `内置训练器，${history.epochs.length} 轮，训练层：${JSON.stringify(choice)}`,
          en: `built-in trainer, ${history.epochs.length} epoch(s), layers: ${JSON.stringify(choice)}`,
        }),
        devs,
      ),
      devs,
      providerStatusText(provider),
    );
  });
  let { verdict, reason } = verdictFromClaims(claims);
  if (analysis.diverged) {
    verdict = 'fail';
    const first = analysis.reasons[0]!;
    reason = {
      zh: `在这些设置下训练发散：${first.zh}`,
      en: `training diverged under these settings: ${first.en.replace(/[.:] training diverged\.$/, '')}`,
    };
  }
  const trained = trainedSentence(layers);
  const m = (name: string, value: number | string | null | undefined, unit: string, conditions?: Record<string, unknown>): Measurement => ({
    name,
    value: value === undefined || (typeof value === 'number' && !Number.isFinite(value)) ? null : value,
    unit,
    ...(conditions ? { conditions } : {}),
  });
  const measurements: Measurement[] = [
    m('initialTrainLoss', before.loss, '1', { mode: 'inference', init }),
    m('finalTrainLoss', measured['finalTrainLoss'], '1', { mode: 'inference' }),
    m('lossDecrease', analysis.relativeDecrease, '1'),
    m('finalValidationLoss', lastEpoch?.valLoss, '1'),
    m(metricName, lastEpoch?.valMetric, '1'),
    m('convergenceStatus', analysis.status, '1'),
    m('mannKendallZ', analysis.trend.z, '1', { window: analysis.window }),
    m('mannKendallP', analysis.trend.pValue, '1', { window: analysis.window }),
    m('trainValidationGap', analysis.gap?.absolute, '1'),
    m('epochsRun', history.epochs.length, 'epoch', { configured: tOpts.epochs, stoppedByBudget: history.stoppedByBudget }),
    m('trainingSamplesPerSecond', history.samplesPerSecond, 'samples/s', { backend: 'tfjs-cpu + JS kernels', trainable: choice }),
    m('secondsPerEpoch', history.epochs.length ? history.epochs.reduce((s, e) => s + e.seconds, 0) / history.epochs.length : null, 's'),
    ...sweep.map((s) => m('secondsPerEpochAtThreads', s.secondsPerEpoch, 's', { threads: s.threads, samples: 2 * tOpts.batchSize })),
  ];
  if (pa)
    measurements.push(
      m('providerFinalTrainLoss', pa.final, '1', { argv: provider!.argv }),
      m('providerLossDecrease', pa.relativeDecrease, '1'),
      m('providerSeconds', provider!.seconds, 's'),
    );
  const tables = [
    tableFromRows(
      'epochs',
      { zh: '逐轮损失与指标', en: 'Loss and metric per epoch' },
      history.epochs.map((e) => ({
        epoch: e.epoch + 1,
        lr: e.lr,
        trainLoss: e.trainLoss,
        trainMetric: e.trainMetric,
        valLoss: e.valLoss ?? null,
        valMetric: e.valMetric ?? null,
        seconds: e.seconds,
      })),
    ),
    tableFromRows('layers', { zh: '训练/冻结的层', en: 'Trained and frozen layers' }, layerRows(layers)),
    tableFromRows(
      'threads',
      { zh: '训练每轮时间与线程数（6.3.2 训练侧）', en: 'Training time per epoch vs threads (training side of 6.3.2)' },
      sweep.map((s) => ({ ...s })),
    ),
  ];
  if (provider?.records?.length)
    tables.push(
      tableFromRows('provider', { zh: '提供方训练命令的日志指标', en: "Metrics from the provider's training command" }, provider.records),
    );
  const provText: Bilingual = provider
    ? provider.skipped
      ? { zh: `提供方训练命令${provider.skippedZh ?? provider.skipped}。`, en: ` Provider command ${provider.skipped}.` }
      : {
          zh:
            `提供方训练命令 ${provider.argv.join(' ')}：退出码 ${provider.exitCode}${provider.timedOut ? '（达到时间上限）' : ''}，` +
            `${provider.records.length} 条指标记录${pa ? `，${CONVERGENCE_ZH[pa.status]}` : ''}；日志 ${provider.logPath}。`,
          en:
            ` Provider command ${provider.argv.join(' ')}: exit ${provider.exitCode}` +
            `${provider.timedOut ? ' (time limit reached)' : ''}, ${provider.records.length} metric records` +
            `${pa ? `, ${pa.status}` : ''}; log ${provider.logPath}.`,
        }
    : { zh: '', en: '' };
  const findings: Finding[] = [];
  const short = shortTrainingFinding('5.2.1', {
    epochsDeclared: spec.epochs,
    epochsRun: history.epochs.length,
    samples: train.shape[0]!,
    samplesAvailable: trainFull.ids.length,
  });
  if (short) findings.push(short);
  const collapse = curveCollapseFinding('5.2.1', {
    run: 'training',
    diverged: analysis.diverged,
    status: analysis.status,
    metric: history.metricName,
    values: history.epochs.map((e) => e.valMetric),
  });
  if (collapse) findings.push(collapse);
  if (provider?.notAllowed)
    findings.push({
      id: '6.3.1-provider-command-not-allowed',
      severity: 'info',
      item: '5.2.1',
      text: {
        zh: '提供方训练命令未运行（未允许）：仅在 ptmc run --allow-provider-commands 时运行；依据提供方日志的声称不确定。',
        en:
          'provider command not run (not allowed): it runs only with ptmc run --allow-provider-commands; ' +
          'claims on the provider log are inconclusive.',
      },
      measured: null,
    });
  else if (c.spec.training?.command && (!provider || provider.skipped))
    findings.push(providerNotRunFinding('5.2.1', provider?.skipped ?? 'useProviderCommand=false'));
  else if (provider && !provider.skipped && provider.exitCode !== 0)
    findings.push({
      id: '6.3.1-provider-command-failed',
      severity: 'major',
      item: '5.2.1',
      text: {
        zh:
          `提供方训练命令在沙箱（${provider.sandbox.tool}，无网络，仅可写临时目录）中失败：退出码 ${provider.exitCode}` +
          `${provider.timedOut ? '，超时' : ''}。`,
        en:
          `provider command failed in the sandbox (${provider.sandbox.tool}, no network, writes only to scratch): exit ` +
          `${provider.exitCode}${provider.signal ? ` (${provider.signal})` : ''}${provider.timedOut ? ', time limit reached' : ''}.`,
      },
      measured: provider.exitCode,
    });
  const result = buildClauseResult(run, {
    decision: { verdict, reason },
    findings,
    rationale: (reason) => ({
      en:
        `${reason.en.replace(/\.$/, '')}. Built-in trainer: ${history.epochs.length} epoch(s) on ` +
        `${train.shape[0]} samples, loss ${before.loss.toPrecision(4)} → ` +
        `${Number.isFinite(measured['finalTrainLoss']!) ? measured['finalTrainLoss']!.toPrecision(4) : 'non-finite'}; ` +
        `convergence: ${analysis.status} — ${analysis.reasons.map((r) => r.en).join(' ')} ${trained.en}` +
        `${provText.en}`,
      zh:
        `${reason.zh.replace(/。$/, '')}。内置训练器：${train.shape[0]} 个样本训练 ${history.epochs.length} 轮，损失 ` +
        `${before.loss.toPrecision(4)} → ` +
        `${Number.isFinite(measured['finalTrainLoss']!) ? measured['finalTrainLoss']!.toPrecision(4) : '非有限值'}；` +
        `收敛状态：${CONVERGENCE_ZH[analysis.status]}——${analysis.reasons.map((r) => r.zh).join('')}${trained.zh}${provText.zh}`,
    }),
    claims,
    measurements,
    tables,
    settings: {
      seed,
      trainRole: spec.trainRole,
      validationRole: spec.validationRole ?? null,
      trainSamples: train.shape[0],
      validationSamples: val?.shape[0] ?? 0,
      epochs: tOpts.epochs,
      batchSize: tOpts.batchSize,
      optimizer: tOpts.optimizer,
      schedule: tOpts.schedule ?? { kind: 'constant' },
      loss: tOpts.loss,
      augmentation: tOpts.augmentation ?? null,
      trainable: choice,
      trainableReason,
      deviationsFromCase: devs,
      init,
      maxSeconds,
      trainableParameters: layers.filter((l) => l.trainable).reduce((s, l) => s + l.parameterCount, 0),
      trainerBackend: trainerBackend(),
      useProviderCommand: opts.useProviderCommand ?? 'auto',
      allowProviderCommands: opts.allowProviderCommands ?? false,
      ...(provider && !provider.skipped
        ? {
            providerCommand: {
              argv: provider.argv,
              sandbox: provider.sandbox,
              exitCode: provider.exitCode,
              signal: provider.signal,
              timedOut: provider.timedOut,
              logSha256: provider.logSha256,
            },
          }
        : {}),
      requestedEp: run.ep,
    },
    environment: collectEnvironment({
      executionProvider: 'cpu',
      requestedProvider: opts.ep ?? 'auto',
      ...(opts.ep && opts.ep !== 'cpu'
        ? {
            fallbacks: [
              {
                provider: opts.ep,
                reason: "the built-in trainer runs the frozen prefix on onnxruntime's CPU provider and trains in TensorFlow.js on the CPU",
                text: {
                  zh: '内置训练器在 onnxruntime 的 CPU 执行提供程序上运行冻结的前段，并在 CPU 上用 TensorFlow.js 训练',
                  en: "the built-in trainer runs the frozen prefix on onnxruntime's CPU provider and trains in TensorFlow.js on the CPU",
                },
              },
            ],
          }
        : {}),
    }),
  });
  return { result, figures: trainabilityFigures(history, analysis, sweep, provider?.records, task), history, analysis, layers, provider };
}
