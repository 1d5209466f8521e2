"""Chapter-4 description and chapter-5 claims of the CT case (content; structure per
templates/description.schema.json and templates/claims.schema.json)."""


def T(zh, en):
    return {'zh': zh, 'en': en}


def description(f, met):
    src = met['source']
    d = src['dice']
    return {
        '$schema': '../../templates/description.schema.json',
        'modelId': 'ptmc-ct-body-unet',
        'version': '1.0.0',
        'overview': T('CT 人体表（Body）分割预训练模型：4 层 U-Net，全监督训练，输入为 CT 模态的浮点型二维切片（HU 线性编码），标签为人体表区域的二值掩膜。仿附录 B 的示例，数据为合成的 CT 样模体。',
                      'CT body-segmentation pre-trained model: a 4-level U-Net trained fully supervised on float 2-D CT slices (HU, linear encoding) with binary body-region masks. Mirrors the example of appendix B on synthetic CT-like phantoms.'),
        'modelFile': {'path': 'model.onnx', 'format': 'onnx', 'sha256': f['sha'], 'bytes': f['bytes'], 'irVersion': f['ir'], 'opsets': f['opset'],
                      'producer': 'pytorch 1.13 (torch.onnx.export, eval mode, constant folding)'},
        'framework': {
            'structure': {
                'architecture': 'U-Net',
                'origin': 'modified-public',
                'reference': 'O. Ronneberger, P. Fischer, T. Brox, U-Net: Convolutional Networks for Biomedical Image Segmentation, MICCAI 2015, arXiv:1505.04597',
                'summary': T('采用 4 层 U-Net 结构：一个输入层（Input）、编码器（Encoder）、解码器（Decoder）和一个输出层（Output）。输入层及每个编码器含两个卷积单元（Conv 3×3 - BatchNorm - ReLU - Dropout2d），编码器之间以最大池化（MaxPool 2×2）下采样，特征图尺寸减半、通道数加倍；每个解码器含一个反卷积（ConvTranspose 2×2，步长 2）、一个跳跃连接（与同层编码器特征拼接）和两个卷积单元；输出层为 1×1 卷积，输出一个通道的人体表 logit，经 sigmoid 得到概率图。',
                             'A 4-level U-Net: an input block, encoders, decoders and an output layer. The input block and each encoder hold two conv units (Conv 3×3 - BatchNorm - ReLU - Dropout2d); encoders are joined by max-pooling (2×2), halving the feature map and doubling the channels; each decoder holds a transposed convolution (2×2, stride 2), a skip connection (concatenation with the encoder features of the same level) and two conv units; the output layer is a 1×1 convolution giving one body-logit channel, turned into a probability map by a sigmoid.'),
                'differences': T('与原始 U-Net 相比：层数为 4（3 次下采样）而非 5；基础通道数 8（原文 64）；卷积单元加入 BatchNorm 与 Dropout2d（置零率 0.1，附录 B 为 0.5）；使用 same 填充使输出与输入同尺寸；输出层不含 sigmoid（在后处理中施加）。',
                                 'Differences from the original U-Net: 4 levels (3 down-samplings) instead of 5; base width 8 channels (64 in the paper); BatchNorm and Dropout2d (rate 0.1; appendix B uses 0.5) in each conv unit; same padding so the output has the input size; the sigmoid is applied in post-processing, not in the graph.'),
            },
            'nodes': {
                'neuronCount': f['neurons'],
                'neuronCountDefinition': T('每个卷积/反卷积层输出特征图元素数之和（单张 1×64×64 输入）', 'sum of the output feature-map elements of every Conv/ConvTranspose layer for one 1×64×64 input'),
                'distribution': T('前馈编码器-解码器结构：编码器通过卷积与池化逐级降采样为低分辨率特征图，解码器通过反卷积与跳跃连接逐级恢复高分辨率特征图。',
                                  'Feed-forward encoder-decoder: the encoder down-samples through convolutions and pooling to low-resolution feature maps; the decoder restores high-resolution maps through transposed convolutions and skip connections.'),
                'activations': [{'name': 'ReLU', 'onnxOp': 'Relu', 'where': 'graph'}, {'name': 'Sigmoid', 'where': 'post-processing'}],
                'connections': [T('局部连接（卷积）：编码器/解码器上下层之间', 'local connections (convolution) between successive layers of the encoder/decoder'),
                                T('跳跃连接：编码器特征图与解码器特征图拼接（Concat）', 'skip connections: encoder feature maps concatenated with decoder feature maps (Concat)')],
                'operatorTypes': f['ops'],
            },
            'parameters': {
                'total': f['total'],
                'summary': T('模型由 Input、Encoder、Decoder、Output 模块组成，最小构成单元为 Conv2d（3×3）、BatchNorm2d、ReLU、Dropout2d（置零率 0.1）、MaxPool2d（窗口 2）和 ConvTranspose2d（2×2）。下表列出每层输出的大小（-1 代表随 batch 变动的维度）及导出 ONNX 文件中的参数个数（BatchNorm 已折叠进卷积）。',
                             'Input, Encoder, Decoder and Output modules built from Conv2d (3×3), BatchNorm2d, ReLU, Dropout2d (rate 0.1), MaxPool2d (window 2) and ConvTranspose2d (2×2). The table gives each layer\'s output size (-1: the batch dimension) and its parameter count in the exported ONNX file (BatchNorm folded into the convolutions).'),
                'layers': f['rows'],
            },
            'dataRepresentation': {
                'abstraction': {'level': 'raw', 'description': T('模型输入为 CT 设备获取的含人体组织、器官的原始图像数据（HU 值），输入模型前未进行特征变换和特征选择。', 'Raw CT image data (HU) containing body tissues and organs; no feature transformation or selection before the model.')},
                'dataTypes': T('可接受整数（int16 HU）或浮点数；模型张量为 float32。', 'integers (int16 HU) or floats are accepted; the model tensor is float32.'),
                'inputs': [{'name': 'input', 'dtype': 'float32', 'shape': ['N', 1, 64, 64], 'description': T('批量 × 通道 × 高 × 宽；每张切片 4096（64×64）个元素', 'batch × channel × height × width; 4096 (64×64) elements per slice')}],
                'outputs': [{'name': 'logits', 'dtype': 'float32', 'shape': ['N', 1, 64, 64], 'description': T('人体表 logit；sigmoid 后为前景概率', 'body logit; foreground probability after sigmoid')}],
                'encoding': {'input': T('线性编码：真实世界的 CT 衰减（HU）线性映射为数值强度，HU 越高数值越大。', 'linear encoding: CT attenuation (HU) mapped linearly to intensity; higher HU gives a larger value.'),
                             'labels': 'binary-mask', 'labelsDescription': T('标签为人体表区域的二值掩膜（PNG，0/255），等价于两类（背景/人体）的独热编码。', 'labels are binary masks of the body region (PNG, 0/255), equivalent to a one-hot encoding of two classes (background/body).')},
                'processing': {
                    'inputLimits': T('单通道 64×64 的轴位 CT 切片，HU 值；超出 [-1000, 1000] 的值被截断。', 'single-channel 64×64 axial CT slices in HU; values outside [-1000, 1000] are clipped.'),
                    'preprocessing': [{'kind': 'affine', 'clip': [-1000, 1000], 'offset': -1000, 'scale': 0.0005,
                                       'description': T('截断到 [-1000, 1000] HU，再 (x + 1000) × 0.0005 归一化到 [0, 1]', 'clip to [-1000, 1000] HU, then (x + 1000) × 0.0005 into [0, 1]')}],
                    'outputForm': T('与输入同尺寸的单通道 logit 图 [N,1,64,64]', 'a one-channel logit map of the input size [N,1,64,64]'),
                    'postprocessing': [{'kind': 'sigmoid-threshold', 'threshold': 0.5, 'description': T('sigmoid 后以 0.5 为阈值得到二值掩膜；无需拼接或插值', 'sigmoid, then threshold 0.5 for the binary mask; no stitching or interpolation needed')}],
                },
            },
            'interpretability': {
                'summary': T('本模型属于典型的基于编码器-解码器结构的深度卷积网络。通过激活可视化可观察到编码器前端主要提取边缘与角点信息，随着编码器逐级卷积，编码的语义特征更加抽象。',
                             'A typical encoder-decoder convolutional network. Activation visualisation shows the early encoder extracting edges and corners; deeper encoder stages encode increasingly abstract semantic features.'),
                'methods': ['activation-visualisation', 'occlusion-sensitivity'],
            },
        },
        'sourceData': {
            'modality': {
                'modalities': ['CT'],
                'summary': T('数据模态为 CT 样的轴位切片（HU）。', 'CT-like axial slices (HU).'),
                'acquisitionDevices': T('无真实设备：数据为仿真生成，模拟 3 个"站点"（siteA/B/C）不同的噪声、对比度与 kVp 类骨密度变化。', 'no real device: simulated data mimicking three "sites" (siteA/B/C) with different noise, contrast and kVp-like bone shifts.'),
                'simulated': {'used': True, 'method': T('make_case.py 以固定种子在 4 倍细网格上生成模体后按 4×4 平均降采样（部分容积效应）：不规则椭圆体表（皮下脂肪约 -100 HU、软组织 30–40 HU），体型由儿童到大体型成人不等；约半数切片含紧贴躯干的双臂；体下方有弧形检查床（-250 至 +250 HU），约 30 % 切片上半部覆有毯子（-750 至 -450 HU）；胸部切片含双肺（约 -830 HU）与心脏，腹部切片含低对比度肝样器官（48–60 HU）、肾样器官与肠气；脊柱（约 +700 HU，髓腔 280 HU）及其条状伪影；杯状伪影；按站点加入空间相关噪声（σ 20/32/45 HU）与对比度、偏移、骨增益变化。',
                                                         'make_case.py generates phantoms with fixed seeds on a 4× finer grid and averages 4×4 blocks (partial volume): an irregular elliptical body (subcutaneous fat ≈ -100 HU, soft tissue 30–40 HU) of paediatric to large-adult size; arms close to the torso in about half the slices; a curved couch below the body (-250 to +250 HU) and, in about 30 % of slices, a blanket over the upper half (-750 to -450 HU); thoracic slices with two lungs (≈ -830 HU) and a heart, abdominal slices with a low-contrast liver-like organ (48–60 HU), kidney-like organs and bowel gas; a spine (≈ +700 HU, marrow 280 HU) with streak artefacts; cupping; per-site spatially correlated noise (σ 20/32/45 HU) and contrast, offset and bone-gain shifts.')},
                'annotation': {'source': T('标注由生成程序给出：模拟标注者的轮廓，与真实体表边界有 0–3 像素的平滑随机偏差（模拟观察者间差异）；双臂计入人体，检查床与毯子不计入', 'labels come from the generator: the contour of a simulated annotator, which deviates from the true body outline by a smooth random 0–3 pixels (inter-observer variability); arms count as body, the couch and the blanket do not'),
                               'amount': 400, 'quality': T('标注含模拟的观察者间差异（无法从图像中学到），限制了可达到的 Dice（约 0.9）；真实数据需双人背靠背标注与专家仲裁（附录 B）', 'labels carry simulated inter-observer variability (not learnable from the image), which caps the attainable Dice (about 0.9); real data would need back-to-back double labelling with expert arbitration (appendix B)')},
            },
            'volume': {
                'total': 400, 'unit': 'slices',
                'perModality': [{'modality': 'CT', 'count': 400}],
                'splitMethod': T('按 7:2:1 随机划分：训练集参与权重更新；验证集参与训练过程但不影响权重，仅用于调整训练；独立测试集不参与训练。', 'random 7:2:1 split: the training set updates the weights; the validation set guides training without updating weights; the independent test set takes no part in training.'),
                'splits': [{'split': 'train', 'count': 280}, {'split': 'validation', 'count': 80}, {'split': 'test', 'count': 40}],
                'distributionDifferences': T('三个集合由同一生成器、同一站点比例（约 1:1:1）与同一性别/年龄分布产生，无系统性分布差异；胸/腹切片比例约 4:6。', 'all three sets come from the same generator with the same site mix (≈1:1:1) and sex/age distribution, so there is no systematic difference; thoracic/abdominal ratio ≈ 4:6.'),
            },
            'quality': {
                'accuracy': T('真值掩膜为模拟标注者的轮廓，与生成几何相差 0–3 像素（见标注质量）。', 'ground-truth masks are contours drawn by a simulated annotator, 0–3 pixels from the generating geometry (see annotation quality).'),
                'completeness': T('每个样本均有图像、掩膜、站点、性别与年龄段；清单无缺失值。', 'every sample has an image, a mask, site, sex and age band; no missing values in the manifests.'),
                'consistency': T('所有图像为 64×64 int16 HU，掩膜为 64×64 PNG（0/255）。', 'all images are 64×64 int16 HU, all masks 64×64 PNG (0/255).'),
                'selectionCriteria': T('合成数据无入选/排除；真实数据的入选/排除标准见附录 B.1.4.3。', 'synthetic data need no inclusion/exclusion; for real data see the criteria of appendix B.1.4.3.'),
                'cleaning': T('无需清洗；data.sha256 记录全部数据文件的哈希以保证可复现。', 'no cleaning needed; data.sha256 records the hash of every data file for reproducibility.'),
                'standards': T('不声称符合 YY/T 1833.2-2022 / YY/T 1833.3-2022（合成示例数据）。', 'no conformity to YY/T 1833.2-2022 / YY/T 1833.3-2022 is claimed (synthetic example data).'),
                'deidentification': T('不适用：无受试者数据。', 'not applicable: no subject data.'),
            },
            'baselinePerformance': {
                'metrics': [{'split': s, 'metric': 'dice', 'value': d[s]} for s in ('train', 'validation', 'test')],
                'summary': T(f'源任务（人体表分割）测试集 Dice 系数为 {d["test"]}。', f'Dice {d["test"]} on the test set of the source task (body segmentation).'),
            },
        },
        'training': {
            'learningMethod': {'sourceTask': T('CT 切片的人体表（Body）分割', 'body segmentation of CT slices'), 'method': 'supervised',
                               'summary': T('采用全监督学习方式训练。', 'fully supervised learning.')},
            'settings': {
                'augmentation': T('随机水平、垂直翻转与加性高斯噪声（σ = 0.01，即 20 HU）。', 'random horizontal and vertical flips and additive Gaussian noise (σ = 0.01, i.e. 20 HU).'),
                'initialization': T('PyTorch 默认随机初始化（Kaiming 均匀），种子 1234。', 'PyTorch default random initialisation (Kaiming uniform), seed 1234.'),
                'optimizer': T('随机梯度下降（SGD），动量 0.9。', 'stochastic gradient descent (SGD), momentum 0.9.'),
                'hyperparameters': {'batchSize': 20, 'initialLearningRate': 0.01, 'schedule': 'learning rate ×0.9 every 20 epochs', 'epochs': len(src['lossHistory']), 'loss': 'dice-bce', 'dropout': 0.1},
                'notes': T('相对附录 B（batch 60，初始学习率 0.001）按数据规模缩小 batch、提高学习率并减少轮次（16 轮），使 2 核 CPU 上可在约半小时内完成训练。', 'compared with appendix B (batch 60, lr 0.001) the batch is scaled down with the data, the learning rate raised and the epochs reduced (16) so training finishes within about half an hour on a 2-core CPU.'),
            },
            'taskDomain': {'domains': ['CT body segmentation'], 'summary': T('源任务的任务域为 CT 图像中的人体表（Body）分割。', 'the task domain of the source task is body segmentation in CT images.')},
        },
        'applicability': {
            'modalities': {'inference': ['CT'], 'afterFineTuning': ['CT'], 'summary': T('预训练模型仅支持 CT 扫描数据（HU）。', 'CT data (HU) only.')},
            'taskTypes': {
                'types': ['image-segmentation'],
                'domainSimilarity': T('下游任务（肝样器官分割）与源任务同为 CT 二维分割，模态与成像条件相同，目标结构不同。', 'the downstream task (liver-like organ segmentation) is CT 2-D segmentation like the source task: same modality and imaging, a different target.'),
                'scenarios': T('64×64 轴位 CT 切片的人体表或器官分割；3 个站点的成像条件。模型不识别其他模态或无效输入（会对其给出高置信度输出），使用方须在输入前检查模态与 HU 范围。', 'body or organ segmentation of 64×64 axial CT slices under the imaging conditions of three sites. The model does not recognise other modalities or invalid inputs (it answers them with confident outputs): the device must check the modality and HU range before inference.'),
                'sampleForms': T('单张二维切片，int16 HU（.npy），掩膜 PNG。', 'single 2-D slices, int16 HU (.npy); masks as PNG.'),
                'expectedPerformance': [{'metric': 'dice', 'value': d['test'], 'dataset': 'test'}] + (
                    [{'metric': 'dice', 'value': met['downstream']['diceFineTuned'], 'dataset': 'downstreamTest (after fine-tuning)'}] if 'diceFineTuned' in met['downstream'] else []),
                'testMethods': T('健壮性：噪声/伪影等自然噪声样本扰动与无效样本混入（A.12.2）；泛化性：按站点/性别/年龄段的子组合测试与低剂量、小体型、截断等困难样本（A.12.1）。', 'robustness: natural-noise corruptions and mixed-in invalid samples (A.12.2); generalisation: subgroup tests by site/sex/age band and hard samples: low-dose, small and cropped bodies (A.12.1).'),
            },
            'environment': {
                'inference': {'hardware': [{'component': 'CPU', 'spec': 'x86-64, 1 core or more'}, {'component': 'memory', 'spec': '512 MB'}],
                              'software': [{'name': 'onnxruntime', 'version': '>= 1.16'}, {'name': 'ONNX opset', 'version': '17'}],
                              'compute': T(f'每张切片约 {src["macs"] / 1e6:.1f} M 次乘加（MAC）', f'about {src["macs"] / 1e6:.1f} M multiply-accumulates (MACs) per slice'), 'macsPerSample': src['macs']},
                'training': {'hardware': [{'component': 'CPU', 'spec': '2 cores'}, {'component': 'memory', 'spec': '2 GB'}],
                             'software': [{'name': 'python', 'version': '3.11'}, {'name': 'torch', 'version': '1.13 (CPU)'}, {'name': 'numpy', 'version': '1.24'}]},
            },
            'downstreamTraining': {
                'dataNeeds': {'amount': 60, 'unit': 'slices', 'modality': 'CT', 'description': T('迁移到新任务域时数据规模减小：源任务使用 280 张训练切片，下游肝样器官分割任务仅需 60 张带器官掩膜的切片。', 'a new task domain needs less data: the source task used 280 training slices; the liver-like organ task needs only 60 slices with organ masks.')},
                'fineTuning': {'trainable': T('冻结编码器（Input、Encoder1–3），从 /up3/ConvTranspose 起的解码器与输出层可训练', 'encoder frozen (Input, Encoder1–3); the decoder from /up3/ConvTranspose on and the output layer trainable'),
                               'settings': T(f'Adam，学习率 {met["downstream"]["lr"]}，batch 10，{met["downstream"]["epochs"]} 个轮次，dice-bce 损失，无数据增强。', f'Adam, lr {met["downstream"]["lr"]}, batch 10, {met["downstream"]["epochs"]} epochs, dice-bce loss, no augmentation.')},
            },
        },
    }


def claims(f, met):
    """The provider's claims (provider_claims.py); `f` and `met` are unused: claims are not tuned to measurements."""
    from provider_claims import CLAIMS
    return {'$schema': '../../templates/claims.schema.json', 'modelId': 'ptmc-ct-body-unet', 'version': '1.0.0', 'claims': CLAIMS}
