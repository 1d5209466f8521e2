/**
 * Clause 6.3.9 (5.2.9 b): the inference run inside the sandbox. Started by `runSandboxedInference`
 * as `node --experimental-permission … --require privacy-sandbox-preload.js privacy-sandbox-child.js
 * CASE_DIR OPTIONS_JSON`: loads the case, runs the model on the first test samples and prints one line
 * `PTMC_SANDBOX_RESULT <json>` (samples, output size, provider, model SHA-256). It writes nothing.
 */
import { loadCase } from '../../case/load.js';
import { loadCaseDataset, openCaseModel } from '../../case/predict.js';
import { subset } from '../../data/dataset.js';
import type { EpChoice } from '../../model/types.js';

async function main(): Promise<void> {
  const [dir, json] = process.argv.slice(2);
  const o = JSON.parse(json ?? '{}') as { ep?: EpChoice; samples?: number };
  const c = await loadCase(dir!);
  const full = await loadCaseDataset(c, 'test');
  const ds = subset(
    full,
    Array.from({ length: Math.min(o.samples ?? 8, full.ids.length) }, (_, i) => i),
  );
  const cm = await openCaseModel(c, { ep: o.ep ?? 'cpu', threads: 1 });
  try {
    const p = await cm.predict(ds.x, ds.shape, { batchSize: 8 });
    const out = { samples: ds.ids.length, outputValues: p.probs.length, provider: cm.session.provider, modelSha256: c.modelSha256 };
    process.stdout.write(`PTMC_SANDBOX_RESULT ${JSON.stringify(out)}\n`);
  } finally {
    await cm.release();
  }
}

main().catch((e: Error) => {
  process.stderr.write(`${e.name}: ${e.message}${(e as { code?: string }).code ? ` (${(e as { code?: string }).code})` : ''}\n`);
  process.exitCode = 1;
});
