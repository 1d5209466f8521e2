import { caseSessionBindings } from '../../case/adapter.js';
import type { LoadedCase } from '../../case/types.js';
import { openCaseModel, loadCaseDataset } from '../../case/predict.js';
import { subset } from '../../data/dataset.js';
import { openModel } from '../../model/open.js';
import type { EpChoice } from '../../model/types.js';
import { timeBatch } from '../common/efficiency-measure.js';
import { declaredShape } from '../common/inputs.js';
import { taskScore } from '../common/task-score.js';
import type { TimingOptions } from '../common/timing.js';

/** Accuracy and latency of one model configuration (the case's model or a declared variant). */
export interface VariantRow {
  variant: string;
  model: string;
  parameters?: number;
  /** The task metric on the first `samples` test samples (Dice or accuracy). */
  metric: string;
  score: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  provider: string;
}

/**
 * 6.3.4 c): the case's model and each declared variant, scored on the test set and timed at batch 1.
 * Returns no rows when the case declares no variants (then c) does not apply).
 */
export async function variantScores(
  c: LoadedCase,
  opts: { ep: EpChoice; seed: number; samples: number; timing: TimingOptions },
): Promise<VariantRow[]> {
  const variants = c.spec.variants ?? [];
  if (!variants.length || !c.spec.datasets.test) return [];
  const full = await loadCaseDataset(c, 'test');
  const n = Math.min(opts.samples, full.ids.length);
  const ds = subset(
    full,
    Array.from({ length: n }, (_, i) => i),
  );
  const configs = [
    { name: 'reference', model: c.spec.model, path: c.modelPath },
    ...variants.map((v) => ({ name: v.name, model: v.model, path: c.resolve(v.model) })),
  ];
  const rows: VariantRow[] = [];
  for (const cfg of configs) {
    const vc: LoadedCase = { ...c, modelPath: cfg.path };
    const cm = await openCaseModel(vc, { ep: opts.ep });
    try {
      const pred = await cm.predict(ds.x, ds.shape, { batchSize: 16 });
      const s = taskScore(c, ds, pred);
      const session = await openModel(cfg.path, { ep: opts.ep });
      session.bind(caseSessionBindings(c));
      try {
        const t = await timeBatch(session, c.spec.io.input, declaredShape(c, 1), opts.timing, opts.seed);
        rows.push({
          variant: cfg.name,
          model: cfg.model,
          metric: s.metric,
          score: s.value,
          latencyP50Ms: t.p50Ms,
          latencyP99Ms: t.p99Ms,
          provider: session.provider,
        });
      } finally {
        await session.release();
      }
    } finally {
      await cm.session.release();
    }
  }
  return rows;
}
