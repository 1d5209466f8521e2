#!/usr/bin/env python3
"""Makes the bundled breast-cancer classifier case (development-time tool; ptmc never runs it).

Data: Wisconsin Diagnostic Breast Cancer (WDBC), as shipped by scikit-learn
(sklearn.datasets.load_breast_cancer; Debian python3-sklearn). Source: UCI Machine Learning
Repository, https://doi.org/10.24432/C5DW2B; W.N. Street, W.H. Wolberg, O.L. Mangasarian,
"Nuclear feature extraction for breast tumor diagnosis", IS&T/SPIE 1993; Mangasarian, Street,
Wolberg, Operations Research 43(4), 1995. Licence: CC BY 4.0.

  /usr/bin/python3 make_case.py --data    # data/ (+ data.sha256)
  /usr/bin/python3 make_case.py --check   # regenerate data in a temp dir, compare with data.sha256
  /usr/bin/python3 make_case.py --model   # train + export model.onnx, model-small.onnx, metrics.json
  /usr/bin/python3 make_case.py --docs    # description.json, claims.json, case.json io block
  /usr/bin/python3 make_case.py           # everything"""
import argparse
import csv
import hashlib
import json
import os
import shutil
import sys
import tempfile

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict, train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline

SEED = 20240502
HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = ['malignant', 'benign']          # index = sklearn target value
SHIFT = {'radius': 1.25, 'perimeter': 1.25, 'area': 1.5625}  # downstream "calibration" shift (synthetic)


def feature_names():
    return [n.replace(' ', '_') for n in load_breast_cancer().feature_names]


def site_of(i):
    """Synthetic acquisition site from a seeded hash of the row index (NOT in the original data)."""
    return 'site' + 'ABC'[int(hashlib.sha256(f'{SEED}:{i}'.encode()).hexdigest(), 16) % 3]


def fmt(v):
    return repr(float(v))


def write_csv(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(header)
        w.writerows(rows)


def make_data(root):
    if os.path.exists(os.path.join(root, 'data')):
        shutil.rmtree(os.path.join(root, 'data'))
    d = load_breast_cancer()
    X, y, names = d.data, d.target, feature_names()
    n = len(y)
    t1, t2 = np.quantile(X[:, 0], [1 / 3, 2 / 3])
    band = np.where(X[:, 0] <= t1, 'small', np.where(X[:, 0] <= t2, 'medium', 'large'))
    site = np.array([site_of(i) for i in range(n)])
    rng = np.random.default_rng(SEED)
    idx = np.arange(n)
    # downstream pool: 120 site-C cases with a simulated calibration shift of the size features
    down = rng.permutation(idx[site == 'siteC'])[:120]
    rest = np.setdiff1d(idx, down)
    # hard: the 30 cases nearest the decision boundary of a cross-validated logistic regression
    lr = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    p = cross_val_predict(lr, X[rest], y[rest], cv=5, method='predict_proba')[:, 1]
    hard = rest[np.argsort(np.abs(p - 0.5), kind='stable')[:30]]
    rest = np.setdiff1d(rest, hard)
    tr, tmp = train_test_split(rest, test_size=0.3, random_state=SEED % 2 ** 31, stratify=y[rest])
    va, te = train_test_split(tmp, test_size=1 / 3, random_state=SEED % 2 ** 31, stratify=y[tmp])
    dtr, dte = train_test_split(down, test_size=1 / 3, random_state=SEED % 2 ** 31, stratify=y[down])
    shifted = X.copy()
    for j, nm in enumerate(names):
        for key, f in SHIFT.items():
            if key in nm:
                shifted[:, j] *= f
    header = ['id'] + names + ['label', 'sizeBand', 'site']
    for role, ids, src in (('train', tr, X), ('validation', va, X), ('test', te, X), ('hard', hard, X),
                           ('downstreamTrain', dtr, shifted), ('downstreamTest', dte, shifted)):
        rows = [[f'wdbc-{i:03d}'] + [fmt(v) for v in src[i]] + [LABELS[y[i]], band[i], site[i]] for i in sorted(ids)]
        write_csv(os.path.join(root, 'data', role, 'manifest.csv'), header, rows)
    lo, hi = X.min(0), X.max(0)
    ood = []
    for k in range(20):
        if k < 10:   # every feature beyond the observed range: [max, 3*max]
            v, kind = hi * rng.uniform(1.0, 3.0, hi.shape), 'beyond-range'
        else:        # a real case with its features permuted (implausible combinations)
            v, kind = X[rng.integers(0, n)][rng.permutation(30)], 'permuted-features'
        ood.append([f'ood-{k:03d}'] + [fmt(x) for x in v] + [kind])
    write_csv(os.path.join(root, 'data', 'ood', 'manifest.csv'), ['id'] + names + ['kind'], ood)
    inv = []
    for k in range(12):
        kind = ['zeros', 'negative', 'absurd-1e6', 'constant-9999'][k % 4]
        v = {'zeros': np.zeros(30), 'negative': -np.abs(X[rng.integers(0, n)]) * rng.uniform(1, 5),
             'absurd-1e6': np.full(30, 1e6) * rng.uniform(0.5, 2.0, 30), 'constant-9999': np.full(30, 9999.0)}[kind]
        inv.append([f'invalid-{k:03d}'] + [fmt(x) for x in v] + [kind])
    write_csv(os.path.join(root, 'data', 'invalid', 'manifest.csv'), ['id'] + names + ['kind'], inv)
    stats = dict(lo=lo.tolist(), hi=hi.tolist(), tertiles=[float(t1), float(t2)])
    with open(os.path.join(root, 'data', 'ranges.json'), 'w') as f:
        json.dump(stats, f, indent=1)
    return hashes(root)


def hashes(root):
    out = []
    for d, _, files in os.walk(os.path.join(root, 'data')):
        for fn in files:
            pth = os.path.join(d, fn)
            with open(pth, 'rb') as f:
                out.append((os.path.relpath(pth, root).replace(os.sep, '/'), hashlib.sha256(f.read()).hexdigest()))
    return sorted(out)


def check():
    with open(os.path.join(HERE, 'data.sha256')) as f:
        want = sorted((ln.split('  ', 1)[1].strip(), ln.split('  ', 1)[0]) for ln in f if ln.strip())
    tmp = tempfile.mkdtemp()
    try:
        got = make_data(tmp)
    finally:
        shutil.rmtree(tmp)
    if got != want:
        print('data differ from data.sha256:', *sorted(set(got) ^ set(want))[:10], sep='\n  ')
        return 1
    print(f'ok: {len(got)} data files re-created with identical SHA-256')
    return 0


def main():
    ap = argparse.ArgumentParser()
    for a in ('data', 'check', 'model', 'docs'):
        ap.add_argument('--' + a, action='store_true')
    a = ap.parse_args()
    everything = not (a.data or a.check or a.model or a.docs)
    if a.check:
        return check()
    if a.data or everything:
        with open(os.path.join(HERE, 'data.sha256'), 'w') as f:
            f.writelines(f'{h}  {p}\n' for p, h in make_data(HERE))
    if a.model or everything:
        import bcmodel
        bcmodel.build(HERE)
    if a.docs or everything:
        import bcdocs
        bcdocs.write(HERE)
    return 0


if __name__ == '__main__':
    sys.exit(main())
