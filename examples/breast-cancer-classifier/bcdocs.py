"""Writes case.json, description.json (chapter 4) and claims.json (chapter 5) of the breast-cancer
case from model.onnx and metrics.json (make_case.py --docs)."""
import hashlib
import json
import os

import numpy as np
import onnx

ROLES = ('train', 'validation', 'test', 'downstreamTrain', 'downstreamTest', 'hard')


def T(zh, en):
    return {'zh': zh, 'en': en}


def dump(root, name, doc):
    with open(os.path.join(root, name), 'w', encoding='utf-8') as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write('\n')


def case_json(met):
    feats = met['features']
    ds = {r: {'manifest': f'data/{r}/manifest.csv', 'featureColumns': feats, 'labelColumn': 'label', 'subgroups': ['sizeBand', 'site']} for r in ROLES}
    ds['downstreamTrain']['note'] = ds['downstreamTest']['note'] = 'site-C cases with a simulated calibration shift of the size features (radius, perimeter ×1.25; area ×1.5625)'
    ds['hard']['note'] = 'the 30 cases nearest the decision boundary of a cross-validated logistic regression'
    for r, note in (('ood', 'feature vectors beyond the observed range, and real cases with permuted features; no labels'),
                    ('invalid', 'zeros, negative values, absurd magnitudes (1e6), constant 9999; no labels')):
        ds[r] = {'manifest': f'data/{r}/manifest.csv', 'featureColumns': feats, 'subgroups': ['kind'], 'note': note}
    return {
        '$schema': '../../templates/case.schema.json',
        'name': 'breast-cancer-classifier',
        'title': T('乳腺肿块细针穿刺特征良恶性分类 MLP（WDBC 数据）', 'Breast-mass FNA feature classifier MLP (WDBC data)'),
        'task': 'classification', 'modality': 'tabular', 'labels': ['malignant', 'benign'],
        'model': 'model.onnx', 'description': 'description.json', 'claims': 'claims.json',
        'io': {'input': 'input', 'output': 'logits', 'inputShape': ['N', 30],
               'preprocess': {'kind': 'standardize', 'mean': met['preprocess']['mean'], 'std': met['preprocess']['std']},
               'outputActivation': 'softmax'},
        'datasets': ds,
        'variants': [{'name': 'small', 'model': 'model-small.onnx', 'note': 'one hidden layer of 8 units (30→8→2), trained identically'}],
        'training': {'trainRole': 'train', 'validationRole': 'validation', 'epochs': 30, 'batchSize': 32,
                     'optimizer': {'kind': 'adam', 'lr': 0.003}, 'schedule': {'kind': 'constant'}, 'loss': 'cross-entropy', 'trainable': 'all',
                     'command': {'argv': ['/usr/bin/python3', 'train.py', '--epochs', '30', '--log-format', 'jsonl'], 'metrics': 'jsonl', 'timeoutSec': 120}},
        'downstream': {'task': 'classification', 'labels': ['malignant', 'benign'], 'trainRole': 'downstreamTrain', 'validationRole': 'downstreamTest',
                       'epochs': 40, 'batchSize': 16, 'optimizer': {'kind': 'adam', 'lr': 0.003}, 'schedule': {'kind': 'constant'},
                       'loss': 'cross-entropy', 'trainable': 'all'},
        'seeds': {'default': 42},
    }


def layers(m, inits):
    rows, k = [], 0
    gemms = [n for n in m.graph.node if n.op_type == 'Gemm']
    for i, g in enumerate(gemms):
        w = [x for x in m.graph.initializer if x.name == g.input[1]][0]
        k += 1
        rows.append({'module': 'Output' if i == len(gemms) - 1 else f'Hidden{i + 1}', 'name': f'Linear-{k}', 'type': 'Linear',
                     'channels': [int(w.dims[1]), int(w.dims[0])], 'outputShape': [-1, int(w.dims[0])], 'onnxNode': g.name,
                     'initializers': [x for x in g.input[1:] if x in inits], 'parameters': sum(inits[x] for x in g.input[1:] if x in inits)})
        if i < len(gemms) - 1:
            k += 1
            rows.append({'module': f'Hidden{i + 1}', 'name': f'ReLU-{k}', 'type': 'ReLU', 'outputShape': [-1, int(w.dims[0])], 'parameters': 0})
            k += 1
            rows.append({'module': f'Hidden{i + 1}', 'name': f'Dropout-{k}', 'type': 'Dropout', 'outputShape': [-1, int(w.dims[0])], 'parameters': 0,
                         'note': T('置零率 0.1（仅训练时生效）', 'drop rate 0.1 (training only)')})
    return rows


def write(root):
    with open(os.path.join(root, 'metrics.json')) as f:
        met = json.load(f)
    dump(root, 'case.json', case_json(met))
    path = os.path.join(root, 'model.onnx')
    m = onnx.load(path)
    inits = {i.name: int(np.prod(i.dims)) for i in m.graph.initializer}
    ops = sorted({n.op_type for n in m.graph.node})
    with open(path, 'rb') as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    facts = dict(sha=sha, bytes=os.path.getsize(path), ir=m.ir_version, ops=ops, total=sum(inits.values()), rows=layers(m, inits),
                 opset=[{'domain': o.domain or 'ai.onnx', 'version': o.version} for o in m.opset_import])
    from bcdocs_text import claims, description
    dump(root, 'description.json', description(facts, met))
    dump(root, 'claims.json', claims(facts, met))
