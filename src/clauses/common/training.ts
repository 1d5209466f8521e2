/**
 * Shared parts of 6.3.1 and 6.3.3: case data → trainer data (pre-processed inputs, targets in the
 * output's shape), the trainer options from a case's TrainingSpec, the fast-default choice of
 * trainable layers, seeded sample selection, and the layer table.
 */
import { casePreprocess } from '../../case/predict.js';
import { readOnnx, valueShape } from '../../onnx/read.js';
import type { LoadedCase, TrainingSpec } from '../../case/types.js';
import type { Dataset } from '../../data/types.js';
import type { Bilingual, ClaimCheck } from '../../results/types.js';
import { withNote } from '../judge.js';
import { subset } from '../../data/dataset.js';
import { EvaluationError, InputError } from '../../util/errors.js';
import { parseOnnx } from '../../training/parsed-model.js';
import type { ConvergenceStatus } from '../../training/convergence.js';
import type { LayerInfo, TrainableChoice } from '../../training/plan.js';
import type { TrainerOptions, TrainingData } from '../../training/trainer.js';
import { Rng } from '../../util/random.js';

/** How the trainable layers are chosen: a choice, the case's (`case`), or the fast default (`auto`). */
export type TrainableParam = TrainableChoice | 'case' | 'auto';

/**
 * Converts a data set to trainer data: inputs pre-processed as the case declares and shaped as the
 * model input; targets as 0/1 masks `[N,1,H,W]` (sigmoid output) or one-hot `[N,C,…]` (softmax).
 * @throws EvaluationError when the data set has no labels or masks
 */
export function toTrainingData(c: LoadedCase, ds: Dataset, numClasses: number): TrainingData {
  const io = c.spec.io;
  const { data: x, dims: shape } = casePreprocess(c, ds.x, ds.shape);
  const N = shape[0]!;
  // one target channel when the model gives one (a sigmoid logit, or a probability already: activation none)
  const oneChannel = numClasses <= 2 && (io.outputActivation === 'sigmoid' || outputChannels(c) === 1);
  if (ds.masks) {
    const [, H, W] = ds.maskShape ?? [N, ds.shape[ds.shape.length - 2]!, ds.shape[ds.shape.length - 1]!];
    const px = H! * W!;
    const C = oneChannel ? 1 : numClasses;
    const target = new Float32Array(N * C * px);
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < px; i++) {
        const k = ds.masks[n * px + i]!;
        if (oneChannel) target[n * px + i] = k > 0 ? 1 : 0;
        else target[(n * C + Math.min(k, C - 1)) * px + i] = 1;
      }
    }
    return { x, shape, target, targetShape: [N, C, H!, W!] };
  }
  if (ds.y) {
    const C = oneChannel ? 1 : numClasses;
    const target = new Float32Array(N * C);
    for (let n = 0; n < N; n++) {
      if (oneChannel) target[n] = ds.y[n]! > 0 ? 1 : 0;
      else target[n * C + ds.y[n]!] = 1;
    }
    return { x, shape, target, targetShape: [N, C] };
  }
  throw new EvaluationError(`data set "${ds.role}" has neither labels nor masks to train on`, {
    file: c.file,
    field: `/datasets/${ds.role}`,
    remedy: 'give labelColumn or maskColumn in case.json',
  });
}

/** The channel count (dim 1) of the case's output as the model file declares it, when it is a number. */
function outputChannels(c: LoadedCase): number | undefined {
  const v = (readOnnx(c.modelPath).graph?.output ?? []).find((o) => o.name === c.spec.io.output);
  const d = v ? valueShape(v)?.[1] : undefined;
  return typeof d === 'number' ? d : undefined;
}

/**
 * A seeded selection of at most `n` samples (all when `n` is undefined or ≥ N), in original order.
 */
export function selectSamples(ds: Dataset, n: number | undefined, seed: number): Dataset {
  const N = ds.ids.length;
  if (n === undefined || n >= N) return ds;
  const idx = Array.from(new Rng(seed).permutation(N).subarray(0, n)).sort((a, b) => a - b);
  return subset(ds, idx);
}

/** Whether the ONNX model is a convolutional network (its whole-network training is slow in pure JS). */
export function isConvNet(modelPath: string): boolean {
  return parseOnnx(modelPath).nodes.some((n) => n.opType === 'Conv' || n.opType === 'ConvTranspose');
}

/** Epoch cap of the fast default for convolutional networks (deterministic, unlike a time budget). */
export const AUTO_CONV_EPOCHS = 6;

/**
 * Resolves the trainable-layers parameter. `auto` (the fast default): the case's choice for
 * networks without convolutions (MLPs train whole in seconds); for convolutional networks the last
 * `convLastLayers` weighted layers (default 2: for the CT U-Net its last 3×3 conv and the 1×1 output
 * conv), trained on features cached from the frozen prefix, for at most {@link AUTO_CONV_EPOCHS} epochs.
 * @returns the choice and a sentence saying why
 */
export function resolveTrainable(
  param: TrainableParam | undefined,
  spec: TrainingSpec,
  conv: boolean,
  convLastLayers = 2,
): { choice: TrainableChoice; reason: Bilingual; epochsCap?: number } {
  const caseChoice: TrainableChoice = spec.trainable ?? 'last';
  const j = JSON.stringify(caseChoice);
  const ofCase: Bilingual = { zh: `用例的设置（${j}）`, en: `the case's setting (${j})` };
  if (param === undefined || param === 'auto') {
    if (!conv) return { choice: caseChoice, reason: ofCase };
    return {
      choice: { lastLayers: convLastLayers },
      epochsCap: AUTO_CONV_EPOCHS,
      reason: {
        zh:
          `卷积网络在 CPU 上的快速默认：训练最后 ${convLastLayers} 个含权重层，至多 ${AUTO_CONV_EPOCHS} 轮` +
          `（用例要求 ${j}、${spec.epochs} 轮；传入 trainable='case' 和 epochs 即按用例训练）`,
        en:
          `fast default for convolutional networks on a CPU: the last ${convLastLayers} weighted layers, at ` +
          `most ${AUTO_CONV_EPOCHS} epochs (the case asks for ${j}, ${spec.epochs} ` +
          `epochs; pass trainable='case' and epochs to train that)`,
      },
    };
  }
  if (param === 'case') return { choice: caseChoice, reason: ofCase };
  return { choice: param, reason: { zh: '由参数设定', en: 'set by parameter' } };
}

/** Overrides of a TrainingSpec accepted by both evaluations. */
export interface TrainingOverrides {
  epochs?: number;
  batchSize?: number;
  /** Learning rate replacing the case's (e.g. a huge one to show divergence detection). */
  lr?: number;
}

/**
 * Trainer options from a case's TrainingSpec and overrides.
 * @throws InputError when the spec's loss does not fit the model output
 */
export function trainerOptions(
  c: LoadedCase,
  spec: TrainingSpec,
  o: TrainingOverrides & { seed: number; trainable: TrainableChoice; init: TrainerOptions['init']; maxSeconds?: number; threads?: number },
  task: 'segmentation' | 'classification',
): TrainerOptions {
  const optimizer = { ...spec.optimizer, lr: o.lr ?? spec.optimizer.lr };
  if (task === 'classification' && (spec.loss === 'dice' || spec.loss === 'dice-bce')) {
    throw new InputError(`loss '${spec.loss}' is for segmentation, the task is classification`, {
      file: c.file,
      field: '/training/loss',
      remedy: "use 'cross-entropy' or 'binary-cross-entropy'",
    });
  }
  return {
    modelPath: c.modelPath,
    task,
    activation: c.spec.io.outputActivation,
    loss: spec.loss,
    optimizer,
    schedule: spec.schedule,
    epochs: o.epochs ?? spec.epochs,
    batchSize: o.batchSize ?? spec.batchSize,
    seed: o.seed,
    trainable: o.trainable,
    init: o.init,
    augmentation: spec.augmentation,
    inputName: c.spec.io.input,
    outputName: c.spec.io.output,
    maxSeconds: o.maxSeconds,
    threads: o.threads,
  };
}

/** The layers table rows: node, operator, parameters, trained or frozen. */
export function layerRows(layers: LayerInfo[]): Record<string, unknown>[] {
  return layers.map((l) => ({
    layer: l.node,
    op: l.opType,
    parameters: l.parameterCount,
    trained: l.trainable ? { zh: '训练', en: 'trained' } : { zh: '冻结', en: 'frozen' },
  }));
}

/** One sentence (zh/en) on which layers were trained. */
export function trainedSentence(layers: LayerInfo[]): { zh: string; en: string } {
  const t = layers.filter((l) => l.trainable);
  const n = t.reduce((s, l) => s + l.parameterCount, 0);
  const total = layers.reduce((s, l) => s + l.parameterCount, 0);
  const names = t.map((l) => l.node).join(', ');
  if (t.length === layers.length)
    return {
      zh: `训练了全部 ${layers.length} 个含参数层（整网，${total} 个参数）。`,
      en: `all ${layers.length} parameterised layers were trained (whole network, ${total} parameters).`,
    };
  return {
    zh: `训练了 ${t.length}/${layers.length} 个含参数层（${n}/${total} 个参数）：${names}；其余层冻结（在 onnxruntime 中运行，特征缓存）。`,
    en:
      `${t.length} of ${layers.length} parameterised layers were trained (${n} of ${total} parameters): ` +
      `${names}; the others were frozen (run in onnxruntime, features cached).`,
  };
}

/**
 * How a run departed from the case's settings (layers, epochs, batch, learning rate, samples, time
 * budget), each as a sentence; empty when it followed them.
 */
export function deviations(spec: TrainingSpec, run: RunSettings): string[] {
  return deviationTexts(spec, run).map((d) => d.en);
}

/** What a built-in training run did (compared with the case's `training` settings by {@link deviations}). */
export interface RunSettings {
  trainable: TrainableChoice;
  epochs: number;
  epochsRun: number;
  batchSize: number;
  lr: number;
  samples: number;
  samplesAvailable: number;
  stoppedByBudget: boolean;
}

/**
 * {@link deviations} in both languages.
 * @example
 * deviationTexts(spec, run)[0]; // { zh: '配置 8 轮而非 30 轮', en: '8 epochs configured instead of 30' }
 */
export function deviationTexts(spec: TrainingSpec, run: RunSettings): Bilingual[] {
  const out: Bilingual[] = [];
  const caseChoice = spec.trainable ?? 'last';
  const j = JSON.stringify;
  if (j(run.trainable) !== j(caseChoice))
    out.push({
      zh: `训练层为 ${j(run.trainable)}，而非用例设置的 ${j(caseChoice)}`,
      en: `layers trained ${j(run.trainable)} instead of the case's ${j(caseChoice)}`,
    });
  if (run.epochs !== spec.epochs)
    out.push({ zh: `配置 ${run.epochs} 轮而非 ${spec.epochs} 轮`, en: `${run.epochs} epochs configured instead of ${spec.epochs}` });
  if (run.stoppedByBudget)
    out.push({
      zh: `时间预算使训练在 ${run.epochs} 轮中的第 ${run.epochsRun} 轮后停止`,
      en: `the time budget stopped training after ${run.epochsRun} of ${run.epochs} epochs`,
    });
  if (run.batchSize !== spec.batchSize)
    out.push({ zh: `批量 ${run.batchSize} 而非 ${spec.batchSize}`, en: `batch ${run.batchSize} instead of ${spec.batchSize}` });
  if (run.lr !== spec.optimizer.lr)
    out.push({ zh: `学习率 ${run.lr} 而非 ${spec.optimizer.lr}`, en: `learning rate ${run.lr} instead of ${spec.optimizer.lr}` });
  if (run.samples < run.samplesAvailable)
    out.push({
      zh: `使用 ${run.samplesAvailable} 个训练样本中的 ${run.samples} 个`,
      en: `${run.samples} of ${run.samplesAvailable} training samples`,
    });
  return out;
}

/** The convergence states of a training curve in Chinese. */
export const CONVERGENCE_ZH: Record<ConvergenceStatus, string> = {
  converged: '已收敛',
  decreasing: '仍在下降',
  diverged: '发散',
  'not-decreasing': '未下降',
};

/**
 * A claim judged on a run that departed from the case's settings: met stays met (reached with less),
 * not met becomes not judged (`met: null`, the verdict inconclusive) with the deviations in the note,
 * worded as the other evidence minimums ("evidence budget below minimum: …, raise with -p …") —
 * a claim is only failed under the provider's own settings.
 */
export function underDeviations(check: ClaimCheck, devs: (string | Bilingual)[]): ClaimCheck {
  const d = joined(devs);
  if (!devs.length || check.met !== false)
    return devs.length && check.met
      ? withNote(check, { zh: `在缩减的设置下仍满足：${d.zh}`, en: `met even with reduced settings: ${d.en}` })
      : check;
  const { note: _n, noteZh: _z, ...rest } = check;
  return withNote(
    { ...rest, met: null },
    {
      zh: `证据量低于最低要求：在缩减的设置下不满足（${d.zh}），请用 -p trainable=case、用例的训练轮数（-p epochs=…）和全部样本，或 --profile full 进行判定`,
      en:
        `evidence budget below minimum: not met under reduced settings (${d.en}), raise with -p trainable=case, ` +
        "the case's epochs (-p epochs=…) and all samples, or --profile full, to judge it",
    },
  );
}

/** Texts joined in each language (a plain string is English and stands for both). */
export function joined(texts: (string | Bilingual)[]): Bilingual {
  const b = texts.map((t) => (typeof t === 'string' ? { zh: t, en: t } : t));
  return { zh: b.map((t) => t.zh).join('；'), en: b.map((t) => t.en).join('; ') };
}
