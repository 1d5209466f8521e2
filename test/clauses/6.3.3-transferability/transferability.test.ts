import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCase } from '../../../src/case/load.js';
import type { Claim, LoadedCase } from '../../../src/case/types.js';
import { saveClauseEvaluation } from '../../../src/clauses/clause.js';
import { baselineCheck, evaluateTransferability } from '../../../src/clauses/6.3.3-transferability/evaluate.js';
import { parseOnnx } from '../../../src/training/parsed-model.js';
import { verdictFromClaims } from '../../../src/clauses/judge.js';

const ROOT = join(__dirname, '..', '..', '..', '..');

describe('evaluations/transferability (6.3.3)', function () {
  this.timeout(180_000);
  const out = mkdtempSync(join(tmpdir(), 'ptmc-633-'));

  describe('breast-cancer MLP case', () => {
    let c: LoadedCase;
    before(async () => {
      c = await loadCase(join(ROOT, 'examples', 'breast-cancer-classifier'));
    });

    it('fine-tunes, re-exports, scores three models with CIs and judges accuracy; transferGain = fine-tuned − scratch', async () => {
      const ev = await evaluateTransferability(c, { epochs: 8, bootstrapIterations: 100, outDir: out });
      assert.deepEqual(
        ev.scores.map((s) => s.model),
        ['pretrained', 'fine-tuned', 'scratch'],
      );
      const [pre, ft, sc] = ev.scores;
      assert.equal(ft!.headline.metric, 'accuracy');
      assert.ok(ft!.headline.value > pre!.headline.value, `${ft!.headline.value} > ${pre!.headline.value}`);
      assert.ok(ft!.headline.ci.low <= ft!.headline.value && ft!.headline.value <= ft!.headline.ci.high);
      const gain = ev.result.measurements.find((m) => m.name === 'transferGain')!.value as number;
      assert.ok(Math.abs(gain - (ft!.headline.value - sc!.headline.value)) < 1e-12);
      assert.ok(ev.exportMaxAbsDiff! < 1e-5, String(ev.exportMaxAbsDiff));
      const orig = parseOnnx(c.modelPath),
        copy = parseOnnx(ev.fineTunedModelPath!);
      assert.deepEqual(
        copy.nodes.map((n) => n.opType),
        orig.nodes.map((n) => n.opType),
      );
      assert.deepEqual(
        ev.result.claims.map((k) => k.id),
        ['transfer-acc'],
      );
      assert.equal(ev.result.claims[0]!.measured, ft!.metrics['accuracy']);
      // decided on the Wilson interval of the accuracy (pass, fail or, with the threshold inside it, inconclusive)
      assert.equal(ev.result.claims[0]!.evidence!.rule, 'ci');
      assert.equal(ev.result.verdict, verdictFromClaims(ev.result.claims).verdict);
      const written = await saveClauseEvaluation(out, ev);
      assert.deepEqual(
        written.figures.map((f) => f.path),
        ['figures/6.3.3-curves.svg', 'figures/6.3.3-comparison.svg'],
      );
    });

    it('reports claims already met before fine-tuning, and trains the baseline exactly as long as the fine-tune', async () => {
      const k = (id: string, value: number): Claim => ({
        id,
        clause: '5.2.3',
        statement: { zh: id, en: id },
        metric: 'accuracy',
        comparator: '>=',
        value,
      });
      const cc: LoadedCase = { ...c, claims: { ...c.claims, claims: [k('low', 0), k('high', 1.01)] } };
      const ev = await evaluateTransferability(cc, { epochs: 3, bootstrapIterations: 50, outDir: out });
      const pre = ev.result.measurements.filter((m) => m.name === 'preFineTuneMeetsClaim');
      assert.deepEqual(
        pre.map((m) => [m.conditions!.claim, m.value]),
        [
          ['low', true], // accuracy ≥ 0 holds for any model
          ['high', false], // accuracy ≥ 1.01 holds for none
        ],
      );
      assert.equal(pre[0]!.conditions!.preTrained, ev.scores[0]!.metrics['accuracy']);
      assert.match((ev.result.rationale as { en: string }).en, /Already met before fine-tuning: low \(/);
      assert.match((ev.result.rationale as { zh: string }).zh, /微调前已满足：low/);
      const epochs = ev.result.measurements.filter((m) => m.name === 'epochsRun').map((m) => [m.conditions!.model, m.value]);
      assert.deepEqual(epochs, [
        ['fine-tuned', ev.fineTune!.epochs.length],
        ['scratch', ev.fineTune!.epochs.length],
      ]);
      assert.equal(ev.scratch!.epochs.length, ev.fineTune!.epochs.length);
      assert.ok(ev.result.measurements.some((m) => m.name === 'scratchConverged' && typeof m.value === 'boolean'));
    });

    it('a transferGain claim is not judged over a collapsed or unconverged baseline; other claims are', () => {
      const met = { id: 'g', statement: 's', expected: '> 0', measured: 0.48, met: true };
      assert.equal(baselineCheck('transferGain', 'collapsed', met).met, null);
      assert.match(baselineCheck('transferGain', 'did not converge', met).note!, /^the from-scratch baseline did not converge: /);
      assert.equal(baselineCheck('transferGain', undefined, met).met, true);
      assert.equal(baselineCheck('dice', 'collapsed', met).met, true);
    });

    it('a case without downstream settings is inconclusive, saying why', async () => {
      const ev = await evaluateTransferability({ ...c, spec: { ...c.spec, downstream: undefined } });
      assert.equal(ev.result.verdict, 'inconclusive');
      const rationale = ev.result.rationale as { zh: string; en: string };
      assert.match(rationale.en, /no downstream fine-tuning settings/);
      assert.match(rationale.zh, /用例未给出下游微调设置/);
    });
  });

  describe('CT U-Net case (acceptance: fine-tuning improves Dice; the re-exported ONNX reproduces the trainer)', () => {
    it('fine-tuning the last layers on downstreamTrain raises Dice on downstreamTest above the pre-trained start', async function () {
      const c = await loadCase(join(ROOT, 'examples', 'ct-body-segmentation'));
      const ev = await evaluateTransferability(c, {
        epochs: 6,
        testSamples: 12,
        scratch: false,
        bootstrapIterations: 50,
        maxSeconds: 120,
        outDir: out,
      });
      const [pre, ft] = ev.scores;
      assert.equal(ft!.headline.metric, 'dice');
      assert.ok(ft!.headline.value > pre!.headline.value, `fine-tuned ${ft!.headline.value} > pre-trained ${pre!.headline.value}`);
      assert.ok(ev.exportMaxAbsDiff! < 1e-4, `max abs diff ${ev.exportMaxAbsDiff}`);
      assert.equal(ev.layers.filter((l) => l.trainable).length, 2);
    });
  });
});
