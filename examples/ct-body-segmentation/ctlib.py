"""Shared code of the CT body-segmentation case: the small 4-level U-Net, the deterministic PNG
writer/reader and the data readers. Used by make_case.py and train.py (development-time only)."""
import csv
import os
import struct
import zlib

import numpy as np
import torch
import torch.nn as nn

HU_CLIP = (-1000.0, 1000.0)
HU_OFFSET = -1000.0        # model input = (clip(HU) - offset) * scale  -> [0, 1]
HU_SCALE = 1.0 / 2000.0


class Block(nn.Module):
    """Two Conv3x3-BN-ReLU-Dropout2d units (the double_conv2D of appendix B)."""

    def __init__(self, cin, cout, p):
        super().__init__()
        self.block = nn.Sequential(
            nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True), nn.Dropout2d(p),
            nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True), nn.Dropout2d(p),
        )

    def forward(self, x):
        return self.block(x)


class UNet(nn.Module):
    """4-level U-Net: Input(enc1) - enc2 - enc3 - bottleneck, 3 MaxPool downs, 3 ConvTranspose ups with
    skip connections, 1x1 output conv producing one logit channel (sigmoid applied outside the graph)."""

    def __init__(self, base=8, p=0.1):
        super().__init__()
        b = base
        self.enc1 = Block(1, b, p)
        self.enc2 = Block(b, 2 * b, p)
        self.enc3 = Block(2 * b, 4 * b, p)
        self.bottleneck = Block(4 * b, 8 * b, p)
        self.pool = nn.MaxPool2d(2)
        self.up3 = nn.ConvTranspose2d(8 * b, 4 * b, 2, stride=2)
        self.dec3 = Block(8 * b, 4 * b, p)
        self.up2 = nn.ConvTranspose2d(4 * b, 2 * b, 2, stride=2)
        self.dec2 = Block(4 * b, 2 * b, p)
        self.up1 = nn.ConvTranspose2d(2 * b, b, 2, stride=2)
        self.dec1 = Block(2 * b, b, p)
        self.out = nn.Conv2d(b, 1, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1))
        e3 = self.enc3(self.pool(e2))
        bn = self.bottleneck(self.pool(e3))
        d3 = self.dec3(torch.cat([self.up3(bn), e3], 1))
        d2 = self.dec2(torch.cat([self.up2(d3), e2], 1))
        d1 = self.dec1(torch.cat([self.up1(d2), e1], 1))
        return self.out(d1)


def preprocess(hu):
    """Raw HU (any shape) -> model input, as declared in case.json io.preprocess."""
    return ((np.clip(hu.astype(np.float32), *HU_CLIP) - HU_OFFSET) * HU_SCALE).astype(np.float32)


def png_write(path, img):
    """Deterministic 8-bit greyscale PNG (zlib level 9, no ancillary chunks)."""
    img = np.ascontiguousarray(img, dtype=np.uint8)
    h, w = img.shape
    raw = b''.join(b'\x00' + img[r].tobytes() for r in range(h))

    def chunk(t, d):
        return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    data = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0)) \
        + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')
    with open(path, 'wb') as f:
        f.write(data)


def png_read(path):
    """Reads the PNGs written by png_write (8-bit greyscale, filter 0)."""
    with open(path, 'rb') as f:
        data = f.read()
    pos, idat, w, h = 8, b'', 0, 0
    while pos < len(data):
        n = struct.unpack('>I', data[pos:pos + 4])[0]
        t = data[pos + 4:pos + 8]
        d = data[pos + 8:pos + 8 + n]
        if t == b'IHDR':
            w, h = struct.unpack('>II', d[:8])
        elif t == b'IDAT':
            idat += d
        pos += 12 + n
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(h, w + 1)
    return raw[:, 1:].copy()


def read_split(case_dir, role, mask_col='mask'):
    """Loads one data set of the case: (HU float32 [N,1,64,64], masks float32 [N,1,64,64] or None, rows)."""
    folder = os.path.join(case_dir, 'data', role)
    with open(os.path.join(folder, 'manifest.csv'), newline='') as f:
        rows = list(csv.DictReader(f))
    xs = np.stack([np.load(os.path.join(folder, r['input'])) for r in rows]).astype(np.float32)[:, None]
    ms = None
    if rows and mask_col in rows[0]:
        ms = np.stack([png_read(os.path.join(folder, r[mask_col])) > 127 for r in rows]).astype(np.float32)[:, None]
    return xs, ms, rows


def dice_bce(logits, target):
    """Loss of appendix B's training: BCE + (1 - soft Dice)."""
    bce = nn.functional.binary_cross_entropy_with_logits(logits, target)
    p = torch.sigmoid(logits)
    inter = (p * target).sum((1, 2, 3))
    dice = (2 * inter + 1) / (p.sum((1, 2, 3)) + target.sum((1, 2, 3)) + 1)
    return bce + (1 - dice).mean()


def dice_score(pred, target):
    """Mean per-image Dice of binary masks (empty/empty counts as 1)."""
    pred = pred.reshape(pred.shape[0], -1).astype(bool)
    target = target.reshape(target.shape[0], -1).astype(bool)
    out = []
    for p, t in zip(pred, target):
        s = p.sum() + t.sum()
        out.append(1.0 if s == 0 else 2.0 * (p & t).sum() / s)
    return float(np.mean(out))
