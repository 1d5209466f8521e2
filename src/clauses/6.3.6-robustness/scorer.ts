/** Per-sample OOD scores of 6.3.6: confidence, energy, k-NN distance on a feature tensor, and the provider's rule. */
import { loadCaseDataset, type CaseModel, type Prediction } from '../../case/predict.js';
import type { LoadedCase } from '../../case/types.js';
import { subset } from '../../data/dataset.js';
import type { Dataset } from '../../data/types.js';
import { parseOnnx } from '../../training/parsed-model.js';
import { PrefixRunner } from '../../training/prefix.js';
import { InputError } from '../../util/errors.js';
import { Rng } from '../../util/random.js';
import { energyScore, knnScore, perSampleMean, sampleConfidence, sampleFeatures, type RejectionRule } from './ood.js';

/** The scores of one data set: confidence, energy, feature score and the rule's value. */
export interface Scored {
  msp: Float64Array;
  energy?: Float64Array;
  feature?: Float64Array;
  rule?: Float64Array;
}

/** Scores samples by confidence, energy and k-NN feature distance (reference: training samples). */
export class SampleScorer {
  private constructor(
    private readonly c: LoadedCase,
    private readonly model: CaseModel,
    private readonly runner: PrefixRunner | undefined,
    /** The tensor the feature score uses (`input (pre-processed)` when the case names none). */
    readonly tensor: string,
    readonly k: number,
    private reference: Float64Array[] = [],
  ) {}

  /** Number of reference vectors of the feature score. */
  get referenceSize(): number {
    return this.reference.length;
  }

  static async create(
    c: LoadedCase,
    model: CaseModel,
    featureTensor: string | undefined,
    seed: number,
    refSize: number,
    k: number,
  ): Promise<SampleScorer> {
    const runner = featureTensor
      ? await PrefixRunner.create(parseOnnx(c.modelPath), [featureTensor], c.spec.io.input).catch((e: Error) => {
          throw new InputError(`robustness.featureTensor '${featureTensor}' cannot be exposed: ${e.message}`, {
            file: c.file,
            field: '/robustness/featureTensor',
            remedy: 'name a float tensor of the model graph (ptmc inspect lists the nodes), or leave it out to use the input',
          });
        })
      : undefined;
    const s = new SampleScorer(c, model, runner, featureTensor ?? 'input (pre-processed)', k);
    const refRole = c.spec.training?.trainRole ?? 'train';
    if (c.spec.datasets[refRole]) {
      const tr = await loadCaseDataset(c, refRole);
      const ids = Array.from(new Rng(seed).permutation(tr.ids.length).slice(0, Math.min(refSize, tr.ids.length)));
      s.reference = await s.features(
        subset(
          tr,
          ids.sort((a, b) => a - b),
        ),
      );
    }
    return s;
  }

  private async features(d: Dataset): Promise<Float64Array[]> {
    const x = this.model.preprocess(d.x, d.shape);
    const shape = this.model.modelShape(d.shape);
    const n = shape[0]!;
    if (!this.runner) return sampleFeatures(x, [n, x.length / Math.max(1, n)]);
    const per = x.length / n;
    const out: Float64Array[] = [];
    for (let i = 0; i < n; i += 16) {
      const m = Math.min(16, n - i);
      const f = (await this.runner.run(x.slice(i * per, (i + m) * per), [m, ...shape.slice(1)])).get(this.runner.outputs[0]!)!;
      out.push(...sampleFeatures(f.data, f.shape));
    }
    return out;
  }

  async score(d: Dataset, rule: RejectionRule | undefined): Promise<Scored> {
    const n = d.ids.length;
    const pred: Prediction = await this.model.predict(d.x, d.shape);
    const msp = sampleConfidence(this.c, pred, n);
    const energy = pred.logits ? energyScore(this.c, pred.logits, n) : undefined;
    const feature = this.reference.length ? knnScore(this.reference, await this.features(d), this.k) : undefined;
    let ruleValues: Float64Array | undefined;
    if (rule?.output) {
      const x = this.model.preprocess(d.x, d.shape);
      const r = await this.model.session.run(
        { [this.c.spec.io.input]: { type: 'float32', data: x, dims: this.model.modelShape(d.shape) } },
        [rule.output],
      );
      ruleValues = perSampleMean(r[rule.output]!.data as Float32Array, n);
    } else if (rule) ruleValues = rule.score === 'energy' ? energy : rule.score === 'feature' ? feature : msp;
    return { msp, energy, feature, rule: ruleValues };
  }

  async dispose(): Promise<void> {
    await this.runner?.dispose();
  }
}
