import { strict as assert } from 'node:assert';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCase } from '../../src/case/load.js';
import { openCaseModel, loadCaseDataset } from '../../src/case/predict.js';
import { preflightCase } from '../../src/case/preflight.js';
import { InputError } from '../../src/util/errors.js';
import { copyCase, editJson } from './helpers.js';

const ROOT = join(__dirname, '..', '..', '..', 'test', 'fixtures');
/** stateful.onnx (make_constant_models.py): inputs x [N,4], sr int64 [], h [1,3]; hn = h + sum(x), y = hn · sr. */
const STATEFUL = join(ROOT, 'models', 'stateful.onnx');
const GOOD = join(ROOT, 'adapters', 'stateful-adapter.ts');

/** The breast-cancer case (30 features) on stateful.onnx, with the given adapter source as adapter.ts. */
function adapterCase(source?: string): string {
  const dir = copyCase('breast-cancer-classifier');
  copyFileSync(STATEFUL, join(dir, 'model.onnx'));
  if (source === undefined) copyFileSync(GOOD, join(dir, 'adapter.ts'));
  else writeFileSync(join(dir, 'adapter.ts'), source);
  editJson(join(dir, 'case.json'), (d) => {
    d.io = { input: 'x', output: 'y', inputShape: ['N', 4], outputActivation: 'none' };
    d.adapter = 'adapter.ts';
    delete d.variants;
  });
  return dir;
}

async function withAdapters<T>(allowed: boolean, f: () => Promise<T>): Promise<T> {
  const before = process.env.PTMC_ALLOW_ADAPTER;
  if (allowed) process.env.PTMC_ALLOW_ADAPTER = '1';
  else delete process.env.PTMC_ALLOW_ADAPTER;
  try {
    return await f();
  } finally {
    if (before === undefined) delete process.env.PTMC_ALLOW_ADAPTER;
    else process.env.PTMC_ALLOW_ADAPTER = before;
  }
}

const problems = async (dir: string) => (await preflightCase(dir)).problems.map((p) => `${p.field}: ${p.message.en} — ${p.fix.en}`);

describe('case/adapter: the adapter contract (preprocess, feeds, postprocess, state)', function () {
  this.timeout(120000);

  it('a TypeScript adapter passes the preflight and every prediction goes through it (hand-counted outputs)', async () => {
    const dir = adapterCase();
    await withAdapters(true, async () => {
      assert.deepEqual(await problems(dir), []);
      const c = await loadCase(dir);
      const ds = await loadCaseDataset(c, 'test');
      const m = await openCaseModel(c, { ep: 'cpu' });
      try {
        const pred = await m.predict(ds.x.subarray(0, 3 * 30), [3, 30], { batchSize: 8 });
        // state from zeros: hn = 4, 8, 12; y = hn · sr (2) = 8, 16, 24; postprocess p = y / 100
        const p = [1, 3, 5].map((i) => Number(pred.probs[i]!.toFixed(6)));
        assert.deepEqual(p, [0.08, 0.16, 0.24]);
        assert.deepEqual([...pred.labels!], [0, 0, 0]);
      } finally {
        await m.release();
      }
    });
  });

  it('provider code runs only when allowed: without --allow-adapter the preflight names the flag', async () => {
    const dir = adapterCase();
    await withAdapters(false, async () => {
      const got = await problems(dir);
      assert.equal(got.length, 1);
      assert.match(got[0]!, /^\/adapter: the case's adapter adapter\.ts is provider code/);
      assert.match(got[0]!, /--allow-adapter/);
      const c = await loadCase(dir);
      await assert.rejects(openCaseModel(c, { ep: 'cpu' }), (e: unknown) => e instanceof InputError && e.field === '/adapter');
    });
  });

  it('a missing export fails the preflight naming the function and the expected signature', async () => {
    await withAdapters(true, async () => {
      const none = await problems(adapterCase('export function prepocess() { return 1; }\n'));
      assert.equal(none.length, 1);
      assert.match(none[0]!, /^adapter: the adapter exports none of preprocess, feeds, postprocess, state/);
      assert.match(none[0]!, /preprocess\(x: Float32Array, shape: number\[\]\) → \{ data: Float32Array, dims: number\[\] \}/);
      // preprocess only: sr and h are fed by nothing, and the fix quotes feeds' signature
      const src =
        'export const preprocess = (x: Float32Array, s: number[]) => ({ data: new Float32Array(s[0]! * 4), dims: [s[0]!, 4] });\n';
      const nofeeds = await problems(adapterCase(src));
      assert.equal(nofeeds.length, 1);
      assert.match(nofeeds[0]!, /^adapter: the model's input\(s\) sr, h are fed by nothing \(the adapter exports no feeds\)/);
      assert.match(nofeeds[0]!, /export feeds\(batch: \{ data: Float32Array, dims: number\[\] \}\) → Record<inputName/);
      const notfn = await problems(adapterCase('export const postprocess = 3;\n'));
      assert.match(notfn[0]!, /^adapter\.postprocess: adapter export "postprocess" is a number, not a function/);
    });
  });

  it('a wrong tensor shape fails the preflight naming the function, the input and the expected tensor', async () => {
    await withAdapters(true, async () => {
      const src =
        'export const preprocess = (x: Float32Array, s: number[]) => ({ data: new Float32Array(s[0]! * 4), dims: [s[0]!, 4] });\n' +
        "export const feeds = () => ({ sr: { type: 'int64', dims: [2], data: BigInt64Array.from([2n, 2n]) }, " +
        "h: { type: 'float32', dims: [1, 3], data: new Float32Array(3) } });\n";
      const got = await problems(adapterCase(src));
      assert.equal(got.length, 1);
      assert.match(got[0]!, /^adapter\.feeds: feeds returns "sr" as int64 \[2\] but the model's input is int64 \[\]/);
      assert.match(got[0]!, /"sr": \{ type: 'int64', dims: \[\], data \}/);
      const pre =
        'export const preprocess = (x: Float32Array, s: number[]) => ({ data: new Float32Array(s[0]! * 5), dims: [s[0]!, 5] });\n';
      const wrong = await problems(adapterCase(pre + 'export const feeds = () => ({});\n'));
      assert.match(wrong[0]!, /^adapter\.preprocess: the data input "x" gets \[1, 5\] but the model's input is \[batch, 4\]/);
    });
  });
});
