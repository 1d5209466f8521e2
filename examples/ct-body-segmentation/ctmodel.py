"""Training, export and measurement of the CT case's models (called by make_case.py --model)."""
import json
import os
import tempfile
import time

import numpy as np
import onnx
import torch

from ctlib import UNet, dice_bce, dice_score, preprocess, read_split

TORCH_SEED = 1234
EPOCHS = 8            # appendix B trains longer on 100 full-size cases; 8 keeps a rebuild within ~30 min on 2 cores
BATCH = 20           # appendix B uses 60 on 100 full-size cases; scaled down with the data
LR = 0.01            # appendix B: 0.001 at batch 60 on 256x256; see README for the choice
MOMENTUM = 0.9
STEP_EVERY, STEP_FACTOR = 20, 0.9
NOISE_AUG = 0.01     # Gaussian noise sigma in model-input units (= 20 HU)
DOWN_EPOCHS, DOWN_LR, DOWN_BATCH = 30, 0.003, 10
FROZEN = ('enc1', 'enc2', 'enc3', 'bottleneck')   # downstream: trainable from up3 on


def load(root, role):
    x, m, rows = read_split(root, role)
    return torch.from_numpy(preprocess(x)), (torch.from_numpy(m) if m is not None else None), rows


def train(model, x, m, epochs, batch, opt, sched, seed, log=None, aug=True):
    g = torch.Generator().manual_seed(seed)
    history = []
    for ep in range(epochs):
        model.train()
        perm = torch.randperm(len(x), generator=g)
        tot = 0.0
        for i in range(0, len(x), batch):
            idx = perm[i:i + batch]
            xb, mb = x[idx], m[idx]
            if aug:
                if torch.rand(1, generator=g).item() < 0.5:
                    xb, mb = xb.flip(3), mb.flip(3)
                if torch.rand(1, generator=g).item() < 0.5:
                    xb, mb = xb.flip(2), mb.flip(2)
                xb = xb + NOISE_AUG * torch.randn(xb.shape, generator=g)
            opt.zero_grad()
            loss = dice_bce(model(xb), mb)
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        if sched:
            sched.step()
        history.append(tot / len(x))
        if log:
            log(ep + 1, history[-1])
    return history


@torch.no_grad()
def predict(model, x):
    model.eval()
    return torch.cat([model(x[i:i + 50]) for i in range(0, len(x), 50)])


def dice_of(model, x, m):
    return dice_score((predict(model, x) > 0).numpy(), m.numpy() > 0.5)


def per_sample_loss(model, x, m):
    logits = predict(model, x)
    return np.array([dice_bce(logits[i:i + 1], m[i:i + 1]).item() for i in range(len(x))])


def auc(pos, neg):
    """Mann-Whitney AUC that a positive scores above a negative."""
    s = np.concatenate([pos, neg])
    r = s.argsort().argsort() + 1.0
    return float((r[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def macs(model):
    tot = [0]

    def hook(mod, inp, out):
        k = mod.kernel_size[0] * mod.kernel_size[1]
        if isinstance(mod, torch.nn.ConvTranspose2d):
            tot[0] += inp[0].shape[2] * inp[0].shape[3] * mod.in_channels * mod.out_channels * k
        else:
            tot[0] += out.shape[2] * out.shape[3] * mod.in_channels * mod.out_channels * k
    hs = [mm.register_forward_hook(hook) for mm in model.modules() if isinstance(mm, (torch.nn.Conv2d, torch.nn.ConvTranspose2d))]
    predict(model, torch.zeros(1, 1, 64, 64))
    for h in hs:
        h.remove()
    return tot[0]


def export(model, path):
    """ONNX opset 17, dynamic batch; BatchNorm folded into the preceding Conv (eval-mode export);
    initializers renamed after their node (e.g. `/enc1/block/block.0/Conv.weight`)."""
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 1, 64, 64), path, opset_version=17, input_names=['input'],
                      output_names=['logits'], dynamic_axes={'input': {0: 'N'}, 'logits': {0: 'N'}},
                      do_constant_folding=True)
    m = onnx.load(path)
    inits = {i.name: i for i in m.graph.initializer}
    ren = {}
    for node in m.graph.node:
        if node.op_type in ('Conv', 'ConvTranspose'):
            for inp, suffix in zip(node.input[1:], ('weight', 'bias')):
                if inp in inits:
                    ren[inp] = f'{node.name}.{suffix}'
    for i in m.graph.initializer:
        i.name = ren.get(i.name, i.name)
    for node in m.graph.node:
        for k, inp in enumerate(node.input):
            if inp in ren:
                node.input[k] = ren[inp]
    m.producer_name, m.producer_version = 'pytorch', torch.__version__
    onnx.checker.check_model(m)
    onnx.save(m, path)


def fit_source(root, base, tr, va):
    torch.manual_seed(TORCH_SEED)
    model = UNet(base=base)
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    sched = torch.optim.lr_scheduler.StepLR(opt, STEP_EVERY, STEP_FACTOR)
    t0 = time.time()
    def log(e, loss):  # validation Dice every 5 epochs (eval mode draws no random numbers: training is unchanged)
        val = f' val Dice {dice_of(model, va[0], va[1]):.4f}' if e % 5 == 0 else ''
        print(f'  base {base} epoch {e} loss {loss:.4f}{val} ({time.time() - t0:.0f} s)', flush=True)
    hist = train(model, tr[0], tr[1], EPOCHS, BATCH, opt, sched, TORCH_SEED, log=log)
    return model, hist, time.time() - t0


def fine_tune(model, x, m, frozen):
    torch.manual_seed(TORCH_SEED)
    for name, p in model.named_parameters():
        p.requires_grad = not name.startswith(frozen)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=DOWN_LR)
    return train(model, x, m, DOWN_EPOCHS, DOWN_BATCH, opt, None, TORCH_SEED)


STAGES = ('source8', 'source4', 'finetune', 'scratch', 'metrics')


def stage_path(name):
    """Where a stage keeps its result (state_dict, history, seconds) for the later stages."""
    folder = os.environ.get('CT_BUILD_CACHE') or os.path.join(tempfile.gettempdir(), 'ct-case-build')
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, f'{name}.pt')


def unet_from(name, base):
    saved = torch.load(stage_path(name))
    model = UNet(base=base)
    model.load_state_dict(saved['state'])
    return model, saved


def run_stage(root, name):
    """One stage of the build. Every stage re-seeds torch itself, so running the stages in separate processes
    (source8, source4 and scratch in parallel, then finetune, then metrics) gives the same files as one run."""
    torch.set_num_threads(2)
    if name in ('source8', 'source4'):
        base = 8 if name == 'source8' else 4
        tr, va = load(root, 'train'), load(root, 'validation')
        model, hist, secs = fit_source(root, base, tr, va)
        export(model, os.path.join(root, 'model.onnx' if base == 8 else 'model-half.onnx'))
        torch.save({'state': model.state_dict(), 'hist': hist, 'secs': secs}, stage_path(name))
    elif name == 'finetune':
        model, _ = unet_from('source8', 8)
        dx, dm, _ = load(root, 'downstreamTrain')
        hist = fine_tune(model, dx, dm, FROZEN)
        torch.save({'state': model.state_dict(), 'hist': hist}, stage_path(name))
    elif name == 'scratch':
        dx, dm, _ = load(root, 'downstreamTrain')
        torch.manual_seed(TORCH_SEED)
        scratch = UNet(base=8)
        hist = fine_tune(scratch, dx, dm, ())
        torch.save({'state': scratch.state_dict(), 'hist': hist}, stage_path(name))
    else:
        metrics(root)


def build(root):
    for name in STAGES:
        run_stage(root, name)


def metrics(root):
    sets = {r: load(root, r) for r in ('train', 'validation', 'test', 'hard', 'downstreamTrain', 'downstreamTest')}
    tr, te = sets['train'], sets['test']
    out = {}
    model, s8 = unet_from('source8', 8)
    half, _ = unet_from('source4', 4)
    ft, sft = unet_from('finetune', 8)
    scratch, ssc = unet_from('scratch', 8)
    hist, secs, ft_hist, sc_hist = s8['hist'], s8['secs'], sft['hist'], ssc['hist']
    out['source'] = {
        'trainSeconds': round(secs, 1), 'lossHistory': [round(h, 5) for h in hist],
        'dice': {r: round(dice_of(model, *sets[r][:2]), 4) for r in ('train', 'validation', 'test', 'hard')},
        'diceHalf': {r: round(dice_of(half, *sets[r][:2]), 4) for r in ('train', 'validation', 'test', 'hard')},
        'parameters': sum(p.numel() for p in model.parameters()),
        'parametersHalf': sum(p.numel() for p in half.parameters()),
        'macs': macs(model), 'macsHalf': macs(half),
    }
    ts = predict(model, te[0]) > 0
    sites = {}
    for s in sorted({r['site'] for r in te[2]}):
        idx = [i for i, r in enumerate(te[2]) if r['site'] == s]
        sites[s] = round(dice_score(ts[idx].numpy(), te[1][idx].numpy() > 0.5), 4)
    out['source']['testDiceBySite'] = sites
    lt, lh = per_sample_loss(model, *tr[:2]), per_sample_loss(model, *te[:2])
    out['source']['membershipAucLoss'] = round(auc(-lt, -lh), 4)
    dtx, dtm = sets['downstreamTest'][:2]
    out['downstream'] = {
        'epochs': DOWN_EPOCHS, 'lr': DOWN_LR, 'frozen': list(FROZEN),
        'diceFineTuned': round(dice_of(ft, dtx, dtm), 4), 'diceScratch': round(dice_of(scratch, dtx, dtm), 4),
        'diceBeforeFineTune': round(dice_of(model, dtx, dtm), 4),
        'lossHistory': [round(h, 5) for h in ft_hist], 'scratchLossHistory': [round(h, 5) for h in sc_hist],
    }
    with open(os.path.join(root, 'metrics.json'), 'w') as f:
        json.dump(out, f, indent=2)
    print(json.dumps({k: {kk: vv for kk, vv in v.items() if 'History' not in kk} for k, v in out.items()}, indent=1))
