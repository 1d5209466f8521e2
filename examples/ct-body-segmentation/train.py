#!/usr/bin/env python3
"""The provider's training command for 6.3.1 (trainability): trains the case's U-Net on the source
task (body segmentation) from its seeded random initialisation for a few epochs with the settings of
case.json `training`, and prints one JSON line per epoch: {"epoch":1,"loss":…,"valLoss":…}.

  python3 train.py --epochs 2 --log-format jsonl [--out /tmp/model.pt]

Needs numpy and torch (Debian: python3-numpy, python3-torch). Run from the case directory."""
import argparse
import json
import os
import sys

import torch

from ctlib import UNet, dice_bce
from ctmodel import BATCH, LR, MOMENTUM, STEP_EVERY, STEP_FACTOR, TORCH_SEED, load, predict, train


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--epochs', type=int, default=2)
    ap.add_argument('--log-format', choices=['jsonl', 'text'], default='jsonl')
    ap.add_argument('--limit', type=int, default=140, help='training samples used (default 140: half the train split)')
    ap.add_argument('--out', default=None, help='optional path of the trained state_dict')
    a = ap.parse_args()
    torch.set_num_threads(2)
    here = os.path.dirname(os.path.abspath(__file__))
    x, m, _ = load(here, 'train')
    x, m = x[:a.limit], m[:a.limit]
    vx, vm, _ = load(here, 'validation')
    torch.manual_seed(TORCH_SEED)
    model = UNet(base=8)
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    sched = torch.optim.lr_scheduler.StepLR(opt, STEP_EVERY, STEP_FACTOR)

    def log(epoch, loss):
        val = dice_bce(predict(model, vx), vm).item()
        if a.log_format == 'jsonl':
            print(json.dumps({'epoch': epoch, 'loss': round(loss, 6), 'valLoss': round(val, 6)}), flush=True)
        else:
            print(f'epoch {epoch} loss {loss:.6f} valLoss {val:.6f}', flush=True)
    train(model, x, m, a.epochs, BATCH, opt, sched, TORCH_SEED, log=log)
    if a.out:
        torch.save(model.state_dict(), a.out)
    return 0


if __name__ == '__main__':
    sys.exit(main())
