/**
 * `npm run bench:inference`: the library's batched inference (ModelSession.predictAll and
 * runBatches) against a bare onnxruntime-node `session.run` loop on the same model, data and
 * batches. Rounds cycle through all six orders of the three loops after warm-up; medians and the
 * ratio library/bare are printed (target ≤ 1.05), then one JSON line. Both loops drive the same
 * onnxruntime session, so the ratio is the library's own overhead.
 *
 * Model: examples/ct-body-segmentation/model.onnx when it exists (input [N,1,64,64]), else
 * test/fixtures/models/convnet.onnx (static batch 1: the worst case for per-run overhead).
 *
 * usage: node dist/benchmarks/inference.js [--model FILE] [--n 64] [--batch 8] [--rounds 30] [--threads T]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { sha256File } from '../src/model/hash.js';
import { OrtModelSession } from '../src/model/session.js';
import { cpuDevice } from '../src/model/providers.js';

const ROOT = join(__dirname, '..', '..');

/** The six orders of the three loops, cycled over rounds so none is favoured by its position. */
const ORDERS = [
  ['bare', 'predictAll', 'runBatches'],
  ['runBatches', 'bare', 'predictAll'],
  ['predictAll', 'runBatches', 'bare'],
  ['bare', 'runBatches', 'predictAll'],
  ['predictAll', 'bare', 'runBatches'],
  ['runBatches', 'predictAll', 'bare'],
] as const;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Deterministic data in [-0.5, 0.5) (LCG). */
function data(n: number): Float32Array {
  const a = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    a[i] = s / 2147483648 - 0.5;
  }
  return a;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      n: { type: 'string' },
      batch: { type: 'string' },
      rounds: { type: 'string' },
      threads: { type: 'string' },
    },
  });
  const unet = join(ROOT, 'examples', 'ct-body-segmentation', 'model.onnx');
  const model = values.model ?? (existsSync(unet) ? unet : join(ROOT, 'test', 'fixtures', 'models', 'convnet.onnx'));
  const threads = values.threads ? Number(values.threads) : undefined;
  const rounds = Number(values.rounds ?? 30);
  // One onnxruntime session serves both loops, so the comparison measures the library's own
  // overhead (checks, views, output conversion, async iteration, concatenation) and nothing else.
  const bare = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    ...(threads ? { intraOpNumThreads: threads } : {}),
  });
  const lib = new OrtModelSession(bare, {
    path: model,
    provider: 'cpu',
    requestedProvider: 'cpu',
    fallbacks: [],
    ortVersion: ort.env.versions.node ?? 'unknown',
    device: cpuDevice(),
    sha256: await sha256File(model),
  });
  const input = lib.inputs[0];
  const sample = input.shape.slice(1).map((d) => (typeof d === 'number' ? d : 1));
  const staticBatch = typeof input.shape[0] === 'number' ? input.shape[0] : undefined;
  const batch = staticBatch ?? Number(values.batch ?? 8);
  const n = Number(values.n ?? (staticBatch ? 256 : 64));
  const shape = [n, ...sample];
  const per = sample.reduce((a, b) => a * b, 1);
  const x = data(n * per);
  type Timing = { wall: number; cpu: number };
  const timed = async (f: () => Promise<unknown>): Promise<Timing> => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await f();
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    return { wall, cpu: (c.user + c.system) / 1000 };
  };
  const runBare = async (): Promise<void> => {
    const outs: ort.InferenceSession.OnnxValueMapType[] = [];
    for (let s = 0; s < n; s += batch) {
      const c = Math.min(batch, n - s);
      outs.push(await bare.run({ [input.name]: new ort.Tensor('float32', x.subarray(s * per, (s + c) * per), [c, ...sample]) }));
    }
  };
  const runPredictAll = async (): Promise<void> => {
    await lib.predictAll(x, shape, { batchSize: batch });
  };
  const runBatches = async (): Promise<void> => {
    const outs = [];
    for await (const b of lib.runBatches(x, shape, { batchSize: batch, warmup: 0 })) outs.push(b.outputs);
  };
  const fns = { bare: runBare, predictAll: runPredictAll, runBatches };

  for (let w = 0; w < 2; w++) {
    await runBare();
    await runPredictAll();
    await runBatches();
  }
  const t = { bare: [] as Timing[], predictAll: [] as Timing[], runBatches: [] as Timing[] };
  for (let r = 0; r < rounds; r++) {
    const order = ORDERS[r % ORDERS.length];
    for (const k of order) t[k].push(await timed(fns[k]));
  }
  const med = (k: keyof typeof t, m: keyof Timing): number => median(t[k].map((x) => x[m]));
  const mb = med('bare', 'wall');
  const mp = med('predictAll', 'wall');
  const mr = med('runBatches', 'wall');
  const cb = med('bare', 'cpu');
  const cp = med('predictAll', 'cpu');
  const cr = med('runBatches', 'cpu');
  const rel = model.startsWith(ROOT) ? model.slice(ROOT.length + 1) : model;
  console.log(
    `bench:inference  model ${rel}  input ${input.name} [${shape}]  batch ${batch}  rounds ${rounds}  ` +
      `ort ${lib.ortVersion} cpu  ${cpuDevice()}`,
  );
  const verdict = (r: number): string => (r <= 1.05 ? 'OK (≤ 1.05)' : 'ABOVE TARGET 1.05');
  console.log(`  (wall = elapsed time; cpu = this process's CPU time, less sensitive to other load on the machine)`);
  console.log(`  bare session.run loop   wall ${mb.toFixed(2)} ms  cpu ${cb.toFixed(2)} ms  (${((n / mb) * 1000).toFixed(1)} samples/s)`);
  console.log(
    `  ModelSession.predictAll wall ${mp.toFixed(2)} ms  cpu ${cp.toFixed(2)} ms  ratio ` +
      `wall ${(mp / mb).toFixed(3)} ${verdict(mp / mb)}  cpu ${(cp / cb).toFixed(3)}`,
  );
  console.log(
    `  ModelSession.runBatches wall ${mr.toFixed(2)} ms  cpu ${cr.toFixed(2)} ms  ratio ` +
      `wall ${(mr / mb).toFixed(3)} ${verdict(mr / mb)}  cpu ${(cr / cb).toFixed(3)}`,
  );
  console.log(
    JSON.stringify({
      bench: 'inference',
      model: rel,
      shape,
      batch,
      rounds,
      threads: threads ?? null,
      bareMs: mb,
      predictAllMs: mp,
      runBatchesMs: mr,
      ratioPredictAll: mp / mb,
      ratioRunBatches: mr / mb,
      bareCpuMs: cb,
      predictAllCpuMs: cp,
      runBatchesCpuMs: cr,
      cpuRatioPredictAll: cp / cb,
      cpuRatioRunBatches: cr / cb,
    }),
  );
  await lib.release();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
