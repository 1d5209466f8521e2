"""Writes description.json (chapter 4, mirroring appendix B item by item) and claims.json (chapter 5)
of the CT case from the exported model.onnx and metrics.json (make_case.py --docs)."""
import hashlib
import json
import os

import numpy as np
import onnx
import torch

from ctlib import UNet

MODULE_LABEL = {'enc1': 'Input', 'enc2': 'Encoder1', 'enc3': 'Encoder2', 'bottleneck': 'Encoder3',
                'up3': 'Decoder1', 'dec3': 'Decoder1', 'up2': 'Decoder2', 'dec2': 'Decoder2',
                'up1': 'Decoder3', 'dec1': 'Decoder3', 'out': 'Output', 'pool': None}
KINDS = (torch.nn.Conv2d, torch.nn.ConvTranspose2d, torch.nn.BatchNorm2d, torch.nn.ReLU, torch.nn.Dropout2d, torch.nn.MaxPool2d)


def T(zh, en):
    return {'zh': zh, 'en': en}


def onnx_facts(path):
    m = onnx.load(path)
    inits = {i.name: int(np.prod(i.dims)) if len(i.dims) else 1 for i in m.graph.initializer}
    ops = {}
    for n in m.graph.node:
        ops[n.op_type] = ops.get(n.op_type, 0) + 1
    conv_nodes = [n for n in m.graph.node if n.op_type in ('Conv', 'ConvTranspose')]
    with open(path, 'rb') as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    return m, inits, ops, conv_nodes, sha


def layer_table(path, base):
    """B.1-like table: one row per layer call in forward order, parameter counts from the ONNX file."""
    _, inits, _, conv_nodes, _ = onnx_facts(path)
    model = UNet(base=base).eval()
    rows, counter = [], [0]
    names = {mod: name for name, mod in model.named_modules()}
    current = ['enc1']

    def hook(mod, inp, out):
        counter[0] += 1
        name = names[mod]
        top = name.split('.')[0]
        label = MODULE_LABEL[top] or MODULE_LABEL[current[0]]
        if top != 'pool':
            current[0] = top
        kind = type(mod).__name__
        row = {'module': label, 'name': f'{kind}-{counter[0]}', 'type': kind, 'torchModule': name,
               'outputShape': [-1] + list(out.shape[1:])}
        if isinstance(mod, (torch.nn.Conv2d, torch.nn.ConvTranspose2d)):
            k = mod.kernel_size
            row['kernel'] = f'{k[0]}×{k[1]}'
            row['channels'] = [mod.in_channels, mod.out_channels]
            node = conv_nodes[len([r for r in rows if 'channels' in r])]
            row['onnxNode'] = node.name
            row['initializers'] = [i for i in node.input[1:] if i in inits]
            row['parameters'] = sum(inits[i] for i in row['initializers'])
        elif isinstance(mod, torch.nn.BatchNorm2d):
            row['parameters'] = 0
            row['note'] = T(f'训练时含 {2 * mod.num_features} 个可学习参数及 {2 * mod.num_features} 个运行统计量；导出 ONNX 时已折叠进前一卷积层',
                            f'{2 * mod.num_features} learnable parameters and {2 * mod.num_features} running statistics in training; folded into the preceding Conv in the exported ONNX graph')
        else:
            row['parameters'] = 0
            if isinstance(mod, torch.nn.MaxPool2d):
                row['kernel'] = '2×2'
            if isinstance(mod, torch.nn.Dropout2d):
                row['note'] = T(f'置零率 {mod.p}（仅训练时生效）', f'drop rate {mod.p} (training only; identity at inference)')
        rows.append(row)
    hs = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, KINDS)]
    with torch.no_grad():
        model(torch.zeros(1, 1, 64, 64))
    for h in hs:
        h.remove()
    neurons = sum(int(np.prod(r['outputShape'][1:])) for r in rows if r['type'] in ('Conv2d', 'ConvTranspose2d'))
    return rows, neurons


def write(root, metrics_path=None):
    with open(metrics_path or os.path.join(root, 'metrics.json')) as f:
        met = json.load(f)
    from ctdocs_text import claims, description
    rows, neurons = layer_table(os.path.join(root, 'model.onnx'), 8)
    m, inits, ops, _, sha = onnx_facts(os.path.join(root, 'model.onnx'))
    facts = dict(rows=rows, neurons=neurons, total=sum(inits.values()), ops=sorted(ops), sha=sha,
                 opset=[{'domain': o.domain or 'ai.onnx', 'version': o.version} for o in m.opset_import],
                 ir=m.ir_version, bytes=os.path.getsize(os.path.join(root, 'model.onnx')))
    with open(os.path.join(root, 'description.json'), 'w', encoding='utf-8') as f:
        json.dump(description(facts, met), f, ensure_ascii=False, indent=2)
        f.write('\n')
    with open(os.path.join(root, 'claims.json'), 'w', encoding='utf-8') as f:
        json.dump(claims(facts, met), f, ensure_ascii=False, indent=2)
        f.write('\n')
