"""Chapter-4 description and chapter-5 claims of the breast-cancer case."""

SOURCE = ('UCI Machine Learning Repository, Breast Cancer Wisconsin (Diagnostic), https://doi.org/10.24432/C5DW2B; '
          'W.N. Street, W.H. Wolberg, O.L. Mangasarian, Nuclear feature extraction for breast tumor diagnosis, IS&T/SPIE 1993; '
          'O.L. Mangasarian, W.N. Street, W.H. Wolberg, Breast cancer diagnosis and prognosis via linear programming, Operations Research 43(4), 1995. '
          'Licence CC BY 4.0; obtained through scikit-learn (sklearn.datasets.load_breast_cancer).')


def T(zh, en):
    return {'zh': zh, 'en': en}


def description(f, met):
    acc, sm = met['model']['accuracy'], met['downstream']
    n = {'train': 293, 'validation': 84, 'test': 42}
    return {
        '$schema': '../../templates/description.schema.json',
        'modelId': 'ptmc-wdbc-mlp', 'version': '1.0.0',
        'overview': T('基于乳腺肿块细针穿刺（FNA）图像提取的 30 个细胞核形态特征的良恶性分类多层感知机（MLP），全监督训练。数据为公开的 WDBC 数据集；"站点"子组为合成。',
                      'A multilayer perceptron classifying breast masses as malignant or benign from 30 nuclear-morphology features extracted from fine-needle-aspirate (FNA) images; fully supervised. Data: the public WDBC data set; the "site" subgroup is synthetic.'),
        'modelFile': {'path': 'model.onnx', 'format': 'onnx', 'sha256': f['sha'], 'bytes': f['bytes'], 'irVersion': f['ir'], 'opsets': f['opset'],
                      'producer': 'pytorch 1.13 (torch.onnx.export, eval mode)'},
        'framework': {
            'structure': {'architecture': 'MLP', 'origin': 'public', 'reference': 'multilayer perceptron (Rumelhart, Hinton, Williams 1986)',
                          'summary': T('全连接前馈网络：输入 30 维标准化特征 → 全连接 16（ReLU，Dropout 0.1）→ 全连接 8（ReLU，Dropout 0.1）→ 全连接 2（类别 logit），softmax 在后处理中施加。',
                                       'fully connected feed-forward network: 30 standardised features → dense 16 (ReLU, dropout 0.1) → dense 8 (ReLU, dropout 0.1) → dense 2 (class logits); softmax is applied in post-processing.')},
            'nodes': {'neuronCount': 26, 'neuronCountDefinition': T('隐藏层与输出层神经元数（16 + 8 + 2）', 'neurons of the hidden and output layers (16 + 8 + 2)'),
                      'distribution': T('两层隐藏层的前馈结构', 'feed-forward, two hidden layers'),
                      'activations': [{'name': 'ReLU', 'onnxOp': 'Relu', 'where': 'graph'}, {'name': 'Softmax', 'where': 'post-processing'}],
                      'connections': [T('相邻层全连接', 'full connections between successive layers')], 'operatorTypes': f['ops']},
            'parameters': {'total': f['total'], 'summary': T('各全连接层的权重与偏置（ONNX Gemm 节点）。', 'weights and biases of each dense layer (ONNX Gemm nodes).'), 'layers': f['rows']},
            'dataRepresentation': {
                'abstraction': {'level': 'features', 'description': T('输入为由数字化 FNA 图像提取的细胞核特征（半径、纹理、周长、面积、光滑度、紧致度、凹度、凹点、对称性、分形维数的均值、标准误与最差值），非原始图像。',
                                                                        'inputs are nuclear features extracted from digitised FNA images (mean, standard error and worst value of radius, texture, perimeter, area, smoothness, compactness, concavity, concave points, symmetry, fractal dimension), not raw images.')},
                'dataTypes': T('浮点数；模型张量为 float32。', 'floating-point; the model tensor is float32.'),
                'inputs': [{'name': 'input', 'dtype': 'float32', 'shape': ['N', 30], 'description': T('批量 × 30 个特征（顺序同 case.json featureColumns）', 'batch × 30 features (order of case.json featureColumns)')}],
                'outputs': [{'name': 'logits', 'dtype': 'float32', 'shape': ['N', 2], 'description': T('类别 logit：0 = malignant，1 = benign', 'class logits: 0 = malignant, 1 = benign')}],
                'encoding': {'input': T('数值特征直接使用（连续值），无类别编码。', 'numeric features used directly (continuous); no categorical encoding.'), 'labels': 'label',
                             'labelsDescription': T('标签编码：malignant = 0，benign = 1。', 'label encoding: malignant = 0, benign = 1.')},
                'processing': {'inputLimits': T('30 个非负特征，范围应在训练数据观测范围内（见 data/ranges.json）。', '30 non-negative features within the range observed in training (data/ranges.json).'),
                               'preprocessing': [{'kind': 'standardize', 'description': T('按训练集均值与标准差逐特征标准化（case.json io.preprocess）', 'per-feature standardisation with the training mean and standard deviation (case.json io.preprocess)')}],
                               'outputForm': T('[N,2] logit', '[N,2] logits'),
                               'postprocessing': [{'kind': 'softmax-argmax', 'description': T('softmax 得到类别概率，取最大者为预测类别', 'softmax to class probabilities, arg-max as the predicted class')}]},
            },
            'interpretability': {'summary': T('小型 MLP；可用置换特征重要性与 SHAP 类方法解释特征贡献。', 'a small MLP; permutation feature importance and SHAP-like methods explain feature contributions.'), 'methods': ['permutation-importance']},
        },
        'sourceData': {
            'modality': {'modalities': ['tabular'], 'summary': T('结构化数据：由乳腺肿块 FNA 数字图像提取的特征。', 'structured data: features extracted from digitised breast-mass FNA images.'),
                         'acquisitionDevices': T('原始数据由威斯康星大学医院采集的 FNA 图像经 Xcyt 程序提取（见来源文献）。', 'features extracted with the Xcyt program from FNA images acquired at University of Wisconsin Hospitals (see the source).'),
                         'simulated': {'used': True, 'method': T('特征为真实数据；"site" 子组由行号的带种子哈希分配（合成），下游集为站点 C 病例的尺寸特征乘以校准系数（半径、周长 ×1.25，面积 ×1.5625）的合成偏移。',
                                                                 'features are real; the "site" subgroup is assigned by a seeded hash of the row number (synthetic); the downstream sets are site-C cases whose size features are multiplied by a calibration factor (radius, perimeter ×1.25; area ×1.5625) — a synthetic shift.')},
                         'annotation': {'source': T('诊断标签来自原数据集（病理确诊）', 'diagnosis labels from the original data set (confirmed diagnosis)'), 'amount': 569,
                                        'quality': T('原数据集标签；本项目未重新标注。', 'labels of the original data set; not relabelled here.')},
                         'source': SOURCE},
            'volume': {'total': 569, 'unit': 'cases', 'perModality': [{'modality': 'tabular', 'count': 569}],
                       'splitMethod': T('先取 120 例站点 C 病例作下游集，再取最接近决策边界的 30 例作困难集；其余 419 例按标签分层 7:2:1 划分。', '120 site-C cases are set aside for the downstream task and the 30 cases nearest the decision boundary for the hard set; the remaining 419 are split 7:2:1 stratified by label.'),
                       'splits': [{'split': k, 'count': v} for k, v in n.items()] + [{'split': 'downstreamTrain', 'count': 80}, {'split': 'downstreamTest', 'count': 40}, {'split': 'hard', 'count': 30}],
                       'distributionDifferences': T('训练/验证/测试按标签分层，恶性比例一致（约 37 %）；由于下游集取自站点 C，源任务集合中站点 C 比例较低。', 'train/validation/test are stratified by label (≈ 37 % malignant in each); since the downstream sets come from site C, site C is under-represented in the source splits.')},
            'quality': {'accuracy': T('沿用原数据集；无已知标签错误。', 'as in the original data set; no known label errors.'),
                        'completeness': T('569 例 30 个特征均无缺失值。', 'no missing values in the 30 features of the 569 cases.'),
                        'consistency': T('所有特征为同一 Xcyt 流程提取的数值。', 'all features come from the same Xcyt extraction.'),
                        'selectionCriteria': T('使用全部 569 例，未做额外筛选。', 'all 569 cases, no further selection.'),
                        'cleaning': T('无需清洗；data.sha256 记录全部数据文件哈希。', 'no cleaning needed; data.sha256 records the hash of every data file.'),
                        'standards': T('不声称符合 YY/T 1833.2-2022 / YY/T 1833.3-2022。', 'no conformity to YY/T 1833.2-2022 / YY/T 1833.3-2022 is claimed.'),
                        'deidentification': T('原数据集不含个人身份信息。', 'the original data set holds no personal identifiers.')},
            'baselinePerformance': {'metrics': [{'split': s, 'metric': 'accuracy', 'value': acc[s]} for s in ('train', 'validation', 'test')],
                                    'summary': T(f'源任务测试集准确率 {acc["test"]}。', f'test accuracy {acc["test"]} on the source task.')},
        },
        'training': {
            'learningMethod': {'sourceTask': T('乳腺肿块良恶性二分类', 'binary malignant/benign classification of breast masses'), 'method': 'supervised', 'summary': T('全监督学习。', 'fully supervised learning.')},
            'settings': {'augmentation': T('无。', 'none.'), 'initialization': T('PyTorch 默认随机初始化，种子 4321。', 'PyTorch default random initialisation, seed 4321.'),
                         'optimizer': T('Adam，权重衰减 1e-3。', 'Adam, weight decay 1e-3.'),
                         'hyperparameters': {'batchSize': 32, 'learningRate': 0.003, 'epochs': 30, 'loss': 'cross-entropy', 'dropout': 0.1}},
            'taskDomain': {'domains': ['breast cytology (FNA) diagnosis'], 'summary': T('乳腺细胞学（FNA）诊断。', 'breast cytology (FNA) diagnosis.')},
        },
        'applicability': {
            'modalities': {'inference': ['tabular'], 'afterFineTuning': ['tabular'], 'summary': T('仅适用于相同 30 个 FNA 特征的结构化数据。', 'structured data with the same 30 FNA features only.')},
            'taskTypes': {'types': ['classification'],
                          'domainSimilarity': T('下游任务为同一分类任务在测量校准偏移后的数据上，域相似度高。', 'the downstream task is the same classification on calibration-shifted measurements: highly similar domains.'),
                          'scenarios': T('计算机辅助乳腺 FNA 诊断的研究示例。模型不识别超范围或无效的特征向量（会给出高置信度输出），使用方须在输入前按 data/ranges.json 检查特征范围。', 'a research example of computer-aided breast FNA diagnosis. The model does not recognise out-of-range or invalid feature vectors (it answers them confidently): the user must check the features against data/ranges.json before inference.'),
                          'sampleForms': T('每例一行 30 个数值特征（CSV）。', 'one row of 30 numeric features per case (CSV).'),
                          'expectedPerformance': [{'metric': 'accuracy', 'value': acc['test'], 'dataset': 'test'}, {'metric': 'accuracy', 'value': sm['accuracyFineTuned'], 'dataset': 'downstreamTest (after fine-tuning)'}],
                          'testMethods': T('健壮性：特征高斯噪声与无效样本混入；泛化性：按尺寸分段与站点的子组测试、决策边界附近的困难样本。', 'robustness: Gaussian feature noise and mixed-in invalid samples; generalisation: subgroup tests by size band and site, hard samples near the decision boundary.')},
            'environment': {'inference': {'hardware': [{'component': 'CPU', 'spec': 'any x86-64 or ARM64, 1 core'}, {'component': 'memory', 'spec': '256 MB'}],
                                          'software': [{'name': 'onnxruntime', 'version': '>= 1.16'}, {'name': 'ONNX opset', 'version': '17'}],
                                          'compute': T('每例 624 次乘加（30×16 + 16×8 + 8×2）', '624 multiply-accumulates per case (30×16 + 16×8 + 8×2)'), 'macsPerSample': 624},
                            'training': {'hardware': [{'component': 'CPU', 'spec': '1 core'}], 'software': [{'name': 'python', 'version': '3.11'}, {'name': 'torch', 'version': '1.13 (CPU)'}, {'name': 'scikit-learn', 'version': '1.2'}]}},
            'downstreamTraining': {'dataNeeds': {'amount': 80, 'unit': 'cases', 'modality': 'tabular', 'description': T('同一 30 个特征、带诊断标签的 80 例新站点数据。', '80 labelled cases of the new site with the same 30 features.')},
                                   'fineTuning': {'trainable': T('全部层', 'all layers'), 'settings': T('Adam，学习率 0.003，batch 16，40 个轮次，交叉熵损失。', 'Adam, lr 0.003, batch 16, 40 epochs, cross-entropy loss.')}},
        },
    }


def claims(f, met):
    """The provider's claims (provider_claims.py); `f` and `met` are unused: claims are not tuned to measurements."""
    from provider_claims import CLAIMS
    return {'$schema': '../../templates/claims.schema.json', 'modelId': 'ptmc-wdbc-mlp', 'version': '1.0.0', 'claims': CLAIMS}
