/**
 * Child-process probe for peak memory (6.3.4 b): loads onnxruntime, notes the process's peak RSS,
 * opens the model, runs a few inferences on zero inputs, and prints the peak RSS again as JSON.
 * Run as `node memory-probe.js <model> <inputName> <shapeJSON> <ep> <threads> [<caseDir>]`; the difference is
 * the model's peak resident memory for one session at that shape (a fresh process, so nothing else
 * of the notebook is counted).
 */
import { caseSessionBindings } from '../../case/adapter.js';
import { loadCase } from '../../case/load.js';
import { openModel } from '../../model/open.js';
import type { EpChoice } from '../../model/types.js';

async function probe(): Promise<void> {
  const [modelPath, inputName, shapeJson, ep, threads, caseDir] = process.argv.slice(2);
  const shape = JSON.parse(shapeJson!) as number[];
  // Load the native binding and JS before taking the baseline.
  await import('onnxruntime-node');
  const baselineKB = process.resourceUsage().maxRSS;
  const session = await openModel(modelPath!, { ep: ep as EpChoice, threads: threads ? Number(threads) : undefined });
  // the case's other inputs (sr, h, c …) are fed as in every clause
  if (caseDir) session.bind(caseSessionBindings(await loadCase(caseDir, { checkModel: false })));
  const n = shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n);
  for (let i = 0; i < 3; i++) await session.predictAll(x, shape, { batchSize: shape[0], inputName });
  const peakKB = process.resourceUsage().maxRSS;
  process.stdout.write(JSON.stringify({ baselineKB, peakKB, provider: session.provider }) + '\n');
  await session.release();
}

if (require.main === module) {
  probe().catch((e) => {
    process.stderr.write(String((e as Error)?.stack ?? e) + '\n');
    process.exit(1);
  });
}
