#!/usr/bin/env python3
"""The provider's training command for 6.3.1 (trainability): trains the case's MLP on the source task
from its seeded random initialisation with the settings of case.json `training`, printing one JSON
line per epoch: {"epoch":1,"loss":…,"valLoss":…}.

  python3 train.py --epochs 30 --log-format jsonl [--out /tmp/model.pt]

Needs numpy and torch (Debian: python3-numpy, python3-torch). Run from the case directory."""
import argparse
import json
import os
import sys

import numpy as np
import torch

from bcmodel import BATCH, LR, MLP, TORCH_SEED, read, train


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--epochs', type=int, default=30)
    ap.add_argument('--log-format', choices=['jsonl', 'text'], default='jsonl')
    ap.add_argument('--out', default=None)
    a = ap.parse_args()
    torch.set_num_threads(1)
    here = os.path.dirname(os.path.abspath(__file__))
    x, y, _, _ = read(here, 'train')
    vx, vy, _, _ = read(here, 'validation')
    mean, std = x.mean(0), x.std(0)
    z, vz = ((x - mean) / std).astype(np.float32), torch.from_numpy(((vx - mean) / std).astype(np.float32))
    torch.manual_seed(TORCH_SEED)
    model = MLP((16, 8))

    def log(epoch, loss):
        model.eval()
        with torch.no_grad():
            val = torch.nn.functional.cross_entropy(model(vz), torch.from_numpy(vy).long()).item()
        if a.log_format == 'jsonl':
            print(json.dumps({'epoch': epoch, 'loss': round(loss, 6), 'valLoss': round(val, 6)}), flush=True)
        else:
            print(f'epoch {epoch} loss {loss:.6f} valLoss {val:.6f}', flush=True)
    train(model, z, y, a.epochs, BATCH, LR, TORCH_SEED, log=log)
    if a.out:
        torch.save(model.state_dict(), a.out)
    return 0


if __name__ == '__main__':
    sys.exit(main())
