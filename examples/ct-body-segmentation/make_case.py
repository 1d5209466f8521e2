#!/usr/bin/env python3
"""Makes the bundled CT body-segmentation case (development-time tool; ptmc never runs it).

  /usr/bin/python3 make_case.py --data     # synthetic phantoms -> data/ (+ data.sha256)
  /usr/bin/python3 make_case.py --check    # regenerate data in a temp dir, compare with data.sha256
  /usr/bin/python3 make_case.py --model    # train + export model.onnx, model-half.onnx, metrics.json
  /usr/bin/python3 make_case.py --stage source8   # one stage of --model (results cached in $CT_BUILD_CACHE)
  /usr/bin/python3 make_case.py --docs     # description.json, claims.json from metrics.json
  /usr/bin/python3 make_case.py            # all of the above

Every random draw comes from numpy/torch generators seeded with SEED, so --data re-creates
byte-identical files (checked against data.sha256)."""
import argparse
import csv
import hashlib
import os
import shutil
import sys
import tempfile

import numpy as np

from ctlib import png_write

SEED = 20240501
HERE = os.path.dirname(os.path.abspath(__file__))
SIZE = 64
SUPER = 4          # phantoms are drawn on a 4x finer grid, then pooled (partial volume)
SITES = {  # scanner "sites": noise sigma (HU), contrast gain, soft-tissue offset (HU), bone gain (kVp-like)
    'siteA': dict(noise=20.0, gain=1.00, offset=0.0, bone=1.00),
    'siteB': dict(noise=32.0, gain=1.08, offset=-8.0, bone=1.00),
    'siteC': dict(noise=45.0, gain=0.95, offset=10.0, bone=0.85),
}
COUNTS = dict(train=280, validation=80, test=40, downstreamTrain=60, downstreamTest=30, ood=20, invalid=12, hard=20)


def ellipse(yy, xx, cy, cx, ay, ax, rot=0.0):
    c, s = np.cos(rot), np.sin(rot)
    dy, dx = yy - cy, xx - cx
    u, v = c * dx + s * dy, -s * dx + c * dy
    return (u / ax) ** 2 + (v / ay) ** 2 <= 1.0


def polar(yy, xx, cy, cx, ay, ax, rot=0.0):
    """Normalised elliptical radius and angle of every grid point (1.0 = on the ellipse)."""
    c, s = np.cos(rot), np.sin(rot)
    dy, dx = yy - cy, xx - cx
    u, v = (c * dx + s * dy) / ax, (-s * dx + c * dy) / ay
    return np.sqrt(u * u + v * v), np.arctan2(v, u)


def harmonics(rng, theta, kmax, amp):
    """A smooth random radial deviation: sum of cos(k theta + phase) with N(0, amp) weights."""
    out = np.zeros_like(theta)
    for k in range(1, kmax + 1):
        out += rng.normal(0, amp) * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    return out


def blur(img):
    p = np.pad(img, 1, mode='edge')
    n = img.shape[0]
    return sum(p[i:i + n, j:j + n] for i in range(3) for j in range(3)) / 9.0


def pool(img):
    """SUPER x SUPER block mean: the partial-volume effect of a detector pixel."""
    return img.reshape(SIZE, SUPER, SIZE, SUPER).mean(axis=(1, 3))


def correlated_noise(rng, sigma):
    """Scanner-like noise: white noise smoothed once (CT noise is spatially correlated), rescaled to sigma."""
    n = blur(rng.normal(0, 1, (SIZE, SIZE)))
    return n * (sigma / 0.3333)


def phantom(rng, site, sex, kind='normal', with_liver=None, modality='ct'):
    """One slice: (HU int16 [64,64], body mask bool, liver mask bool). Drawn on a SUPER-times finer grid and
    pooled (partial volume); the masks are the annotator's contours (which deviate from the true outline by
    a smooth random 0-3 px, as inter-observer variability does), pooled and thresholded at half coverage."""
    n = SIZE * SUPER
    yy, xx = np.mgrid[-1:1:n * 1j, -1:1:n * 1j]
    scale = rng.uniform(0.35, 0.5) if kind == 'small' else rng.uniform(0.6, 1.05)  # paediatric .. large adult
    ax = (rng.uniform(0.80, 0.90) if sex == 'M' else rng.uniform(0.72, 0.82)) * scale
    ay = rng.uniform(0.50, 0.68) * scale
    cy, cx = rng.normal(-0.05, 0.06), rng.normal(0.0, 0.06)
    if kind == 'cropped':
        cx += rng.choice([-1, 1]) * rng.uniform(0.35, 0.5)
        ax *= 1.15
    rot = rng.normal(0.0, 0.08)
    rho, theta = polar(yy, xx, cy, cx, ay, ax, rot)
    outline = 1.0 + harmonics(rng, theta, 4, 0.035)          # irregular anatomy (visible)
    annot = rng.normal(0, 0.08) + harmonics(rng, theta, 6, 0.065)  # annotator's deviation (invisible)
    body = rho <= outline
    body_label = rho <= outline + annot
    inner = rho <= outline * rng.uniform(0.80, 0.90)
    thoracic = rng.uniform() < 0.4 if with_liver is None else not with_liver
    img = np.full((n, n), -1000.0)
    img[body] = rng.normal(-100, 10)
    img[inner] = (40.0 if thoracic else 30.0) + rng.normal(0, 4)
    arms = np.zeros_like(body)
    if kind != 'cropped' and rng.uniform() < 0.5:  # arms down beside the torso, 0-3 px away
        for side in (-1, 1):
            gap = rng.uniform(0.0, 0.09)
            aax, aay = rng.uniform(0.10, 0.16) * scale + 0.03, rng.uniform(0.16, 0.24) * scale + 0.03
            acx = cx + side * (ax + gap + aax)
            arm = ellipse(yy, xx, cy + rng.normal(0, 0.05), acx, aay, aax, rng.normal(0, 0.2))
            img[arm] = rng.normal(-60, 15)
            img[arm & ellipse(yy, xx, cy, acx, aay * 0.4, aax * 0.4)] = 600.0
            arms |= arm
    bone_mask = ellipse(yy, xx, cy + 0.62 * ay, cx, 0.13 * scale, 0.11 * scale)
    liver = np.zeros_like(body)
    liver_label = np.zeros_like(body)
    if thoracic:
        for side in (-1, 1):
            lung = ellipse(yy, xx, cy - 0.05 * ay, cx + side * 0.45 * ax, 0.62 * ay, 0.30 * ax, side * 0.1)
            img[lung & inner] = rng.normal(-830, 25)
        img[ellipse(yy, xx, cy + 0.05 * ay, cx + 0.12 * ax, 0.35 * ay, 0.22 * ax)] = 48.0
    else:
        lrho, lth = polar(yy, xx, cy - 0.05 * ay, cx - 0.42 * ax, rng.uniform(0.55, 0.7) * ay,
                          rng.uniform(0.40, 0.50) * ax, rng.normal(0.3, 0.1))
        lout = 1.0 + harmonics(rng, lth, 4, 0.06)
        liver = (lrho <= lout) & inner
        liver_label = (lrho <= lout + rng.normal(0, 0.06) + harmonics(rng, lth, 5, 0.05)) & inner
        img[liver] = rng.uniform(48, 60)  # low contrast against 30-40 HU soft tissue
        for side in (-1, 1):  # kidney-like
            img[ellipse(yy, xx, cy + 0.35 * ay, cx + side * 0.3 * ax, 0.18 * ay, 0.1 * ax) & inner & ~liver] = 45.0
        for _ in range(rng.integers(2, 5)):  # bowel gas
            gy, gx = rng.uniform(-0.2, 0.3) * ay + cy, rng.uniform(0.0, 0.5) * ax + cx
            img[ellipse(yy, xx, gy, gx, 0.06, 0.06) & inner & ~liver] = -600.0
    img[bone_mask & inner] = 700.0
    img[ellipse(yy, xx, cy + 0.62 * ay, cx, 0.06 * scale, 0.05 * scale) & inner] = 280.0
    img[body] -= 25.0 * np.clip(1.0 - rho[body] ** 2, 0, 1) * (img[body] > -300)  # cupping (beam hardening)
    everyone = body | arms
    bottom = cy + ay * 0.97
    top = bottom + rng.uniform(0.0, 0.07) - rng.uniform(0.05, 0.25) * (xx - cx) ** 2  # curved couch 0-2 px below
    table = (yy >= top) & (yy <= top + rng.uniform(0.04, 0.09)) & (np.abs(xx - cx) < 0.95) & ~everyone
    img[table] = rng.uniform(-250, 250)
    if rng.uniform() < 0.3:  # a blanket over the upper half, excluded from the body
        blanket = (rho > outline) & (rho <= outline + rng.uniform(0.04, 0.1)) & (theta < 0) & ~arms
        img[blanket] = rng.uniform(-750, -450)
    for _ in range(rng.integers(1, 4)):  # streaks from bone (photon starvation)
        phi = rng.uniform(0, np.pi)
        d = np.abs((xx - cx) * np.sin(phi) - (yy - cy - 0.62 * ay) * np.cos(phi))
        img += rng.normal(0, 40) * np.exp(-(d / 0.015) ** 2) * (rho < 1.4)
    p = SITES[site]
    tissue = everyone & (img > -300) & (img < 200)
    img[tissue] = img[tissue] * p['gain'] + p['offset']
    img[img > 200] *= p['bone']
    img = pool(img)
    sigma = p['noise'] * (rng.uniform(3.5, 5.0) if kind == 'lowdose' else 1.0)
    img = img + correlated_noise(rng, sigma)
    body_mask = pool((body_label | arms).astype(float)) >= 0.5
    liver_mask = pool(liver_label.astype(float)) >= 0.5
    if modality == 'mr':  # T1-like: fat bright, tissue mid, air/bone dark, arbitrary units
        mr = np.where(img < -500, 5.0, np.where(img < -50, 900.0, np.where(img < 200, 420.0, 60.0)))
        mr[liver_mask] = 520.0
        img = blur(mr) + np.abs(rng.normal(0, 15, img.shape))
    return np.clip(np.round(img), -32768, 32767).astype(np.int16), body_mask, liver_mask


def texture(rng):
    """Natural-image-like smooth texture in 0..255 (an 8-bit photograph's range)."""
    low = rng.uniform(0, 255, (8, 8))
    img = np.kron(low, np.ones((8, 8)))
    for _ in range(3):
        img = blur(img)
    return np.round(img + rng.normal(0, 6, img.shape)).astype(np.int16)


def invalid_sample(rng, i, site):
    k = i % 4
    if k == 0:
        return np.zeros((SIZE, SIZE), np.int16), 'blank'
    if k == 1:
        return rng.integers(-1000, 3000, (SIZE, SIZE)).astype(np.int16), 'uniform-noise'
    if k == 2:
        hu, _, _ = phantom(rng, site, 'F')
        return np.clip(hu.astype(np.int32) * 10, -32768, 32767).astype(np.int16), 'hu-times-10'
    yy, xx = np.mgrid[0:SIZE, 0:SIZE]
    return np.where(((yy // 8) + (xx // 8)) % 2 == 0, 3071, -1024).astype(np.int16), 'checkerboard'


def write_role(root, role, rng):
    folder = os.path.join(root, 'data', role)
    os.makedirs(os.path.join(folder, 'images'))
    seg = role not in ('ood', 'invalid')
    liver_task = role.startswith('downstream')
    header = ['id', 'input'] + (['mask'] if seg else []) + ['site', 'sex', 'ageBand'] + \
        (['kind'] if role in ('ood', 'invalid', 'hard') else [])
    rows = []
    site_names = list(SITES)
    for i in range(COUNTS[role]):
        sid = f'{role}-{i:03d}'
        site = site_names[i % 3]
        sex = 'M' if rng.uniform() < 0.5 else 'F'
        age = ['18-39', '40-64', '65+'][int(rng.integers(0, 3))]
        row = {'id': sid, 'input': f'images/{sid}.npy', 'site': site, 'sex': sex, 'ageBand': age}
        if role == 'ood':
            hu, kind = (phantom(rng, site, sex, modality='mr')[0], 'mr-t1-like') if i % 2 == 0 else (texture(rng), 'natural-texture')
            row['kind'] = kind
        elif role == 'invalid':
            hu, row['kind'] = invalid_sample(rng, i, site)
        else:
            kind = ['lowdose', 'small', 'cropped', 'lowdose'][i % 4] if role == 'hard' else 'normal'
            hu, body, liver = phantom(rng, site, sex, kind, with_liver=True if liver_task else None)
            if role == 'hard':
                row['kind'] = kind
            row['mask'] = f'masks/{sid}.png'
            os.makedirs(os.path.join(folder, 'masks'), exist_ok=True)
            png_write(os.path.join(folder, row['mask']), (liver if liver_task else body).astype(np.uint8) * 255)
        np.save(os.path.join(folder, row['input']), hu)
        rows.append(row)
    with open(os.path.join(folder, 'manifest.csv'), 'w', newline='') as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator='\n')
        w.writeheader()
        w.writerows(rows)


def make_data(root):
    if os.path.exists(os.path.join(root, 'data')):
        shutil.rmtree(os.path.join(root, 'data'))
    rng = np.random.default_rng(SEED)
    for role in COUNTS:
        write_role(root, role, np.random.default_rng(rng.integers(0, 2 ** 31)))
    return hashes(root)


def hashes(root):
    out = []
    for d, _, files in os.walk(os.path.join(root, 'data')):
        for fn in files:
            p = os.path.join(d, fn)
            with open(p, 'rb') as f:
                out.append((os.path.relpath(p, root).replace(os.sep, '/'), hashlib.sha256(f.read()).hexdigest()))
    return sorted(out)


def write_hashes(root, hs):
    with open(os.path.join(root, 'data.sha256'), 'w') as f:
        f.writelines(f'{h}  {p}\n' for p, h in hs)


def check():
    with open(os.path.join(HERE, 'data.sha256')) as f:
        want = sorted((line.split('  ', 1)[1].strip(), line.split('  ', 1)[0]) for line in f if line.strip())
    tmp = tempfile.mkdtemp()
    try:
        got = make_data(tmp)
    finally:
        shutil.rmtree(tmp)
    if got != want:
        diff = sorted(set(got) ^ set(want))[:10]
        print('data differ from data.sha256:', *diff, sep='\n  ')
        return 1
    print(f'ok: {len(got)} data files re-created with identical SHA-256')
    return 0


def main():
    ap = argparse.ArgumentParser()
    for a in ('data', 'check', 'model', 'docs'):
        ap.add_argument('--' + a, action='store_true')
    ap.add_argument('--stage', choices=['source8', 'source4', 'finetune', 'scratch', 'metrics'],
                    help='one stage of --model (source8, source4 and scratch may run in parallel; then finetune, metrics)')
    a = ap.parse_args()
    if a.stage:
        import ctmodel
        ctmodel.run_stage(HERE, a.stage)
        return 0
    everything = not (a.data or a.check or a.model or a.docs)
    if a.check:
        return check()
    if a.data or everything:
        write_hashes(HERE, make_data(HERE))
    if a.model or everything:
        import ctmodel
        ctmodel.build(HERE)
    if a.docs or everything:
        import ctdocs
        ctdocs.write(HERE)
    return 0


if __name__ == '__main__':
    sys.exit(main())
