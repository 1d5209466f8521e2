"""Training, export and measurement of the breast-cancer case's MLPs (make_case.py --model)."""
import copy
import csv
import json
import os

import numpy as np
import onnx
import torch
import torch.nn as nn

TORCH_SEED = 4321
EPOCHS, BATCH, LR, WD = 30, 32, 0.003, 1e-3
DOWN_EPOCHS, DOWN_LR, DOWN_BATCH = 40, 0.003, 16
LABELS = ['malignant', 'benign']


class MLP(nn.Module):
    """30 -> 16 -> 8 -> 2 (ReLU, dropout 0.1); outputs logits, softmax applied outside the graph."""

    def __init__(self, widths=(16, 8)):
        super().__init__()
        layers, cin = [], 30
        for w in widths:
            layers += [nn.Linear(cin, w), nn.ReLU(), nn.Dropout(0.1)]
            cin = w
        layers.append(nn.Linear(cin, 2))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


def read(root, role):
    with open(os.path.join(root, 'data', role, 'manifest.csv'), newline='') as f:
        rows = list(csv.DictReader(f))
    feats = [k for k in rows[0] if k not in ('id', 'label', 'sizeBand', 'site', 'kind')]
    x = np.array([[float(r[k]) for k in feats] for r in rows], dtype=np.float32)
    y = np.array([LABELS.index(r['label']) for r in rows]) if 'label' in rows[0] else None
    return x, y, rows, feats


def train(model, x, y, epochs, batch, lr, seed, params=None, log=None):
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(params if params is not None else model.parameters(), lr=lr, weight_decay=WD)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y).long()
    hist = []
    for ep in range(epochs):
        model.train()
        perm = torch.randperm(len(xt), generator=g)
        tot = 0.0
        for i in range(0, len(xt), batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        hist.append(tot / len(xt))
        if log:
            log(ep + 1, hist[-1])
    return hist


@torch.no_grad()
def probs(model, x):
    model.eval()
    return torch.softmax(model(torch.from_numpy(x)), 1).numpy()


def acc(model, x, y):
    return float((probs(model, x).argmax(1) == y).mean())


def export(model, path):
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 30), path, opset_version=17, input_names=['input'], output_names=['logits'],
                      dynamic_axes={'input': {0: 'N'}, 'logits': {0: 'N'}}, do_constant_folding=True)
    m = onnx.load(path)
    m.producer_name, m.producer_version = 'pytorch', torch.__version__
    onnx.checker.check_model(m)
    onnx.save(m, path)


def auc(pos, neg):
    s = np.concatenate([pos, neg])
    r = s.argsort().argsort() + 1.0
    return float((r[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def build(root):
    torch.set_num_threads(1)
    sets = {r: read(root, r) for r in ('train', 'validation', 'test', 'hard', 'downstreamTrain', 'downstreamTest')}
    xtr, ytr = sets['train'][:2]
    mean, std = xtr.mean(0), xtr.std(0)
    std[std == 0] = 1
    z = {r: ((v[0] - mean) / std).astype(np.float32) for r, v in sets.items()}
    y = {r: v[1] for r, v in sets.items()}
    out = {'preprocess': {'mean': [float(v) for v in mean], 'std': [float(v) for v in std]}, 'features': sets['train'][3]}
    models = {}
    for name, widths in (('model', (16, 8)), ('model-small', (8,))):
        torch.manual_seed(TORCH_SEED)
        m = MLP(widths)
        hist = train(m, z['train'], y['train'], EPOCHS, BATCH, LR, TORCH_SEED)
        export(m, os.path.join(root, name + '.onnx'))
        models[name] = m
        out[name] = {'lossHistory': [round(h, 5) for h in hist],
                     'accuracy': {r: round(acc(m, z[r], y[r]), 4) for r in ('train', 'validation', 'test', 'hard')},
                     'parameters': sum(p.numel() for p in m.parameters())}
    m = models['model']
    te_rows = sets['test'][2]
    pred = probs(m, z['test']).argmax(1)
    for col in ('site', 'sizeBand'):
        out['model']['testAccuracyBy_' + col] = {
            g: round(float((pred[[i for i, r in enumerate(te_rows) if r[col] == g]] == y['test'][[i for i, r in enumerate(te_rows) if r[col] == g]]).mean()), 4)
            for g in sorted({r[col] for r in te_rows})}
    ptr = probs(m, z['train'])[np.arange(len(y['train'])), y['train']]
    pte = probs(m, z['test'])[np.arange(len(y['test'])), y['test']]
    out['model']['membershipAucConfidence'] = round(auc(ptr, pte), 4)
    # downstream: fine-tune all layers on the shifted site-C data vs. the same budget from scratch
    ft = copy.deepcopy(m)
    hist = train(ft, z['downstreamTrain'], y['downstreamTrain'], DOWN_EPOCHS, DOWN_BATCH, DOWN_LR, TORCH_SEED)
    torch.manual_seed(TORCH_SEED)
    sc = MLP((16, 8))
    train(sc, z['downstreamTrain'], y['downstreamTrain'], DOWN_EPOCHS, DOWN_BATCH, DOWN_LR, TORCH_SEED)
    out['downstream'] = {'accuracyBeforeFineTune': round(acc(m, z['downstreamTest'], y['downstreamTest']), 4),
                         'accuracyFineTuned': round(acc(ft, z['downstreamTest'], y['downstreamTest']), 4),
                         'accuracyScratch': round(acc(sc, z['downstreamTest'], y['downstreamTest']), 4),
                         'lossHistory': [round(h, 5) for h in hist]}
    with open(os.path.join(root, 'metrics.json'), 'w') as f:
        json.dump(out, f, indent=1)
    print(json.dumps({k: {kk: vv for kk, vv in v.items() if 'History' not in kk} for k, v in out.items() if isinstance(v, dict) and k != 'preprocess'}, indent=1))
