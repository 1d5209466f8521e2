/**
 * `npm run bench:metrics`: A.10 metrics of this library vs scikit-learn / NumPy on the same arrays.
 * Classification on 10^6 labels (binary, with float32 scores as models emit them) and segmentation
 * on 1000 masks of 256×256.
 * The arrays are written to .npy; scikit-learn is timed in its own /usr/bin/python3 process.
 * Both medians are printed with the ratio (target: ours ≥ 10× faster). Env: BENCH_REPEATS (default 5),
 * BENCH_N (labels, default 1e6), BENCH_MASKS (default 1000), PYTHON (default /usr/bin/python3).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNpy } from '../src/data/npy.js';
import { accuracyScore, precisionRecallFscoreSupport } from '../src/metrics/classification.js';
import { confusionMatrix } from '../src/metrics/confusion.js';
import { averagePrecisionScore, rocAucScore } from '../src/metrics/ranking.js';
import { segmentationMetrics } from '../src/metrics/segmentation.js';
import { Rng } from '../src/util/random.js';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const N = Number(process.env.BENCH_N ?? 1e6);
const MASKS = Number(process.env.BENCH_MASKS ?? 1000);
const PY = process.env.PYTHON ?? '/usr/bin/python3';

const PY_BENCH = String.raw`
import json, sys, time, numpy as np
from sklearn import metrics as M
d, reps = sys.argv[1], int(sys.argv[2])
y = np.load(d + '/y.npy'); p = np.load(d + '/p.npy'); s = np.load(d + '/s.npy')
t = np.load(d + '/t.npy'); q = np.load(d + '/q.npy')
def med(fn):
    fn(); ts = []
    for _ in range(reps):
        a = time.perf_counter(); fn(); ts.append(time.perf_counter() - a)
    return float(np.median(ts)) * 1000
def seg_numpy():
    tb, qb = t.astype(bool), q.astype(bool)
    inter = (tb & qb).sum(axis=(1, 2)); st = tb.sum(axis=(1, 2)); sp = qb.sum(axis=(1, 2))
    with np.errstate(invalid='ignore', divide='ignore'):
        iou_i = inter / (st + sp - inter); dice_i = 2 * inter / (st + sp)
    acc_i = (tb == qb).mean(axis=(1, 2))
    I, S = inter.sum(), (st + sp).sum()
    return I / (S - I), 2 * I / S, acc_i.mean(), np.nanmean(iou_i), np.nanmean(dice_i)
out = {
  'confusion_matrix': med(lambda: M.confusion_matrix(y, p)),
  'accuracy_score': med(lambda: M.accuracy_score(y, p)),
  'precision_recall_fscore_support': med(lambda: M.precision_recall_fscore_support(y, p, average='binary')),
  'roc_auc_score': med(lambda: M.roc_auc_score(y, s)),
  'average_precision_score': med(lambda: M.average_precision_score(y, s)),
  'segmentation_numpy': med(seg_numpy),
  'segmentation_sklearn_pooled': (
      med(lambda: (M.jaccard_score(t.ravel(), q.ravel()), M.f1_score(t.ravel(), q.ravel()))) if reps <= 3 else None),
  'check': {'auc': M.roc_auc_score(y, s), 'ap': M.average_precision_score(y, s), 'iou': seg_numpy()[0]},
}
print(json.dumps(out))
`;

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function time(fn: () => unknown): number {
  fn(); // warm-up
  const ts: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const a = process.hrtime.bigint();
    fn();
    ts.push(Number(process.hrtime.bigint() - a) / 1e6);
  }
  return median(ts);
}

function main(): void {
  const rng = new Rng(42);
  const y = new Int32Array(N);
  const p = new Int32Array(N);
  const s = new Float32Array(N); // model outputs (ONNX) are float32 probabilities
  for (let i = 0; i < N; i++) {
    y[i] = rng.uniform() < 0.3 ? 1 : 0;
    s[i] = Math.min(1, Math.max(0, 0.35 * y[i]! + 0.4 + 0.2 * rng.normal()));
    p[i] = s[i]! > 0.55 ? 1 : 0;
  }
  const H = 256;
  const W = 256;
  const t = new Uint8Array(MASKS * H * W);
  const q = new Uint8Array(MASKS * H * W);
  for (let k = 0; k < MASKS; k++) {
    const cx = 64 + rng.int(128);
    const cy = 64 + rng.int(128);
    const r = 10 + rng.int(50);
    const dx = rng.int(9) - 4;
    const empty = k % 50 === 0;
    for (let i = 0; i < H; i++)
      for (let j = 0; j < W; j++) {
        const o = k * H * W + i * W + j;
        t[o] = !empty && (i - cy) ** 2 + (j - cx) ** 2 < r * r ? 1 : 0;
        q[o] = !empty && (i - cy - dx) ** 2 + (j - cx) ** 2 < (r + dx) ** 2 ? 1 : 0;
      }
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-metrics-'));
  writeNpy(join(dir, 'y.npy'), y, [N]);
  writeNpy(join(dir, 'p.npy'), p, [N]);
  writeNpy(join(dir, 's.npy'), s, [N]);
  writeNpy(join(dir, 't.npy'), t, [MASKS, H, W]);
  writeNpy(join(dir, 'q.npy'), q, [MASKS, H, W]);

  const ours: Record<string, number> = {
    confusion_matrix: time(() => confusionMatrix(y, p)),
    accuracy_score: time(() => accuracyScore(y, p)),
    precision_recall_fscore_support: time(() => precisionRecallFscoreSupport(y, p, { average: 'binary' })),
    roc_auc_score: time(() => rocAucScore(y, s)),
    average_precision_score: time(() => averagePrecisionScore(y, s)),
    segmentation_numpy: time(() => segmentationMetrics(t, q, [MASKS, H, W], { ci: false })),
  };
  const py = spawnSync(PY, ['-c', PY_BENCH, dir, String(REPEATS)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  rmSync(dir, { recursive: true, force: true });
  if (py.status !== 0) {
    process.stderr.write(`scikit-learn side failed (${PY}):\n${py.stderr}\n`);
    process.exitCode = 1;
    return;
  }
  const ref = JSON.parse(py.stdout) as Record<string, number | null> & { check: { auc: number; ap: number; iou: number } };
  const seg = segmentationMetrics(t, q, [MASKS, H, W]);
  const agree =
    Math.abs(rocAucScore(y, s) - ref.check.auc) < 1e-9 &&
    Math.abs(averagePrecisionScore(y, s) - ref.check.ap) < 1e-9 &&
    Math.abs(seg.iou - ref.check.iou) < 1e-9;
  const rows: [string, string, number, number][] = [
    ['confusion matrix', 'sklearn confusion_matrix', ours.confusion_matrix!, ref.confusion_matrix!],
    ['accuracy', 'sklearn accuracy_score', ours.accuracy_score!, ref.accuracy_score!],
    [
      'precision/recall/F1 (binary)',
      'sklearn precision_recall_fscore_support',
      ours.precision_recall_fscore_support!,
      ref.precision_recall_fscore_support!,
    ],
    ['ROC AUC', 'sklearn roc_auc_score', ours.roc_auc_score!, ref.roc_auc_score!],
    ['average precision', 'sklearn average_precision_score', ours.average_precision_score!, ref.average_precision_score!],
  ];
  const clsOurs = rows.reduce((a, r) => a + r[2], 0);
  const clsRef = rows.reduce((a, r) => a + r[3], 0);
  rows.push(['classification suite (sum)', 'scikit-learn (sum)', clsOurs, clsRef]);
  rows.push([
    `segmentation ${MASKS}×${H}×${W} (pooled + per image)`,
    'NumPy vectorised (axis sums)',
    ours.segmentation_numpy!,
    ref.segmentation_numpy!,
  ]);
  if (ref.segmentation_sklearn_pooled != null)
    rows.push([
      'segmentation pooled IoU+Dice',
      'sklearn jaccard_score + f1_score',
      ours.segmentation_numpy!,
      ref.segmentation_sklearn_pooled,
    ]);
  const w = Math.max(...rows.map((r) => r[0].length));
  const v = Math.max(...rows.map((r) => r[1].length));
  const lines = [
    `metrics benchmark: ${N} labels, ${MASKS} masks of ${H}×${W}; median of ${REPEATS} runs after a warm-up ` +
      `(ms); node ${process.version}, python ${PY}`,
    `${'ours'.padEnd(w)}  ${'reference'.padEnd(v)}  ${'ours ms'.padStart(9)}  ${'ref ms'.padStart(9)}  ${'speed-up'.padStart(8)}`,
    ...rows.map(
      ([a, b, o, r]) =>
        `${a.padEnd(w)}  ${b.padEnd(v)}  ${o.toFixed(1).padStart(9)}  ${r.toFixed(1).padStart(9)}  ${(r / o).toFixed(1).padStart(7)}×`,
    ),
    `results agree with scikit-learn/NumPy to 1e-9: ${agree ? 'yes' : 'NO'}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  if (!agree) process.exitCode = 1;
}

main();
