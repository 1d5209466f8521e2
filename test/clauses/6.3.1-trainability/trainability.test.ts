import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCase } from '../../../src/case/load.js';
import type { LoadedCase } from '../../../src/case/types.js';
import { saveClauseEvaluation } from '../../../src/clauses/clause.js';
import {
  claimsCaseSettings,
  evaluateTrainability,
  providerStatus,
  underCaseSettings,
} from '../../../src/clauses/6.3.1-trainability/evaluate.js';
import type { Claim } from '../../../src/case/types.js';
import { deviations, underDeviations } from '../../../src/clauses/common/training.js';
import { verdictFromClaims } from '../../../src/clauses/judge.js';
import { assertBilingual } from '../bilingual.js';

const ROOT = join(__dirname, '..', '..', '..', '..');

describe('evaluations/trainability (6.3.1) on the breast-cancer MLP case', function () {
  this.timeout(120_000);
  let c: LoadedCase;
  const out = mkdtempSync(join(tmpdir(), 'ptmc-631-'));
  before(async () => {
    c = await loadCase(join(ROOT, 'examples', 'breast-cancer-classifier'));
  });

  it('a provider command is not run without allowProviderCommands: nothing written, a finding, provider claims inconclusive', async () => {
    const bad = {
      ...c,
      spec: {
        ...c.spec,
        training: { ...c.spec.training!, command: { argv: ['/bin/sh', '-c', 'id > "$0"', join(out, 'pwned')], timeoutSec: 10 } },
      },
      claims: {
        ...c.claims,
        claims: [
          ...c.claims.claims,
          {
            id: 'prov-loss',
            clause: '5.2.1',
            statement: { zh: '提供方日志损失', en: 'provider log loss' },
            metric: 'finalTrainLoss',
            comparator: '<=' as const,
            value: 1,
            conditions: { source: 'provider' },
          },
        ],
      },
    } as LoadedCase;
    const ev = await evaluateTrainability(bad, { epochs: 1, threadsSweep: [], useProviderCommand: true, outDir: out });
    assert.ok(!existsSync(join(out, 'pwned')));
    assert.equal(ev.provider?.notAllowed, true);
    assert.ok(ev.result.findings?.some((f) => /provider command not run \(not allowed\)/.test((f.text as { en: string }).en)));
    const k = ev.result.claims.find((x) => x.id === 'prov-loss')!;
    assert.equal(k.met, null);
    assert.equal(ev.result.settings['allowProviderCommands'], false);
  });

  it('trains with the case settings, analyses convergence, judges finalTrainLoss and lossDecrease, writes a valid result', async () => {
    const ev = await evaluateTrainability(c, { epochs: 8, useProviderCommand: false, threadsSweep: [1, 2], outDir: out });
    const r = ev.result;
    assert.equal(r.clause, '6.3.1');
    assert.equal(ev.history!.epochs.length, 8);
    assert.equal(ev.analysis!.diverged, false);
    const m = Object.fromEntries(r.measurements.filter((x) => !x.conditions?.['threads']).map((x) => [x.name, x.value]));
    assert.ok((m['finalTrainLoss'] as number) < (m['initialTrainLoss'] as number));
    assert.ok(Math.abs((m['lossDecrease'] as number) - (1 - (m['finalTrainLoss'] as number) / (m['initialTrainLoss'] as number))) < 1e-9);
    assert.deepEqual(
      r.claims.map((k) => k.id),
      ['train-loss', 'train-decrease'],
    );
    assert.equal(r.claims[1]!.measured, m['lossDecrease']);
    assert.equal(r.verdict, verdictFromClaims(r.claims).verdict);
    assert.deepEqual(r.settings['deviationsFromCase'], [{ zh: '配置 8 轮而非 30 轮', en: '8 epochs configured instead of 30' }]);
    // the descriptive settings and the layers table are bilingual: the reason for the layers, the trainer's backend
    assert.deepEqual(r.settings['trainableReason'], { zh: '用例的设置（"all"）', en: 'the case\'s setting ("all")' });
    const backend = r.settings['trainerBackend'] as Record<string, unknown>;
    assertBilingual(backend['prefix'], 'trainerBackend.prefix');
    assert.match(assertBilingual(backend['note'], 'trainerBackend.note').zh, /快 17\.6 倍/);
    const layersTable = r.tables.find((t) => t.name === 'layers')!;
    const trainedCol = layersTable.columns.indexOf('trained');
    assert.deepEqual(
      layersTable.rows.map((row) => row[trainedCol]),
      ev.layers.map((l) => (l.trainable ? { zh: '训练', en: 'trained' } : { zh: '冻结', en: 'frozen' })),
    );
    assert.deepEqual(
      r.measurements.filter((x) => x.name === 'secondsPerEpochAtThreads').map((x) => x.conditions!['threads']),
      [1, 2],
    );
    assert.equal(r.settings['trainable'], 'all');
    assert.equal(r.settings['epochs'], 8);
    assert.equal(r.settings['seed'], 42);
    assert.equal(r.environment.executionProvider, 'cpu');
    assert.equal(ev.layers.filter((l) => l.trainable).length, 3);
    const written = await saveClauseEvaluation(out, ev);
    assert.ok(written.figures.some((f) => f.path === 'figures/6.3.1-loss-curve.svg'));
    assert.ok(existsSync(join(out, 'figures', '6.3.1-loss-curve.svg')));
    assert.equal(JSON.parse(readFileSync(join(out, 'results', '6.3.1.json'), 'utf8')).clause, '6.3.1');
  });

  it('a huge learning rate diverges and fails the clause with the reason', async () => {
    const ev = await evaluateTrainability(c, { epochs: 6, lr: 1e6, useProviderCommand: false, threadsSweep: [] });
    assert.equal(ev.analysis!.diverged, true);
    assert.equal(ev.result.verdict, 'fail');
    assert.match((ev.result.rationale as { en: string }).en, /^training diverged under these settings: /);
    assert.ok(ev.result.claims.every((k) => k.met === false && /training diverged/.test(k.note ?? '')));
    assert.equal(ev.result.settings['optimizer'] && (ev.result.settings['optimizer'] as { lr: number }).lr, 1e6);
  });

  it('a claim not met under reduced settings is not judged (met: null) with the deviations; a met one stays met', () => {
    const spec = c.spec.training!;
    const devs = deviations(spec, {
      trainable: { lastLayers: 2 },
      epochs: 30,
      epochsRun: 6,
      batchSize: 32,
      lr: 0.003,
      samples: 48,
      samplesAvailable: 293,
      stoppedByBudget: true,
    });
    assert.deepEqual(devs, [
      'layers trained {"lastLayers":2} instead of the case\'s "all"',
      'the time budget stopped training after 6 of 30 epochs',
      '48 of 293 training samples',
    ]);
    const failed = underDeviations({ id: 'x', statement: 's', expected: '<= 0.3', measured: 0.5, met: false }, devs);
    assert.equal(failed.met, null);
    assert.match(failed.note!, /^evidence budget below minimum: not met under reduced settings \(layers trained/);
    assert.match(failed.note!, /raise with -p trainable=case/);
    assert.equal(underDeviations({ id: 'x', statement: 's', expected: '<= 0.3', measured: 0.1, met: true }, devs).met, true);
    assert.equal(underDeviations({ id: 'x', statement: 's', expected: '<= 0.3', measured: 0.5, met: false }, []).met, false);
  });

  it('a claim "with the settings of case.json" is inconclusive after a reduced built-in run without the provider command', async () => {
    const k: Claim = {
      id: 'loss',
      clause: '5.2.1',
      statement: { zh: '按 case.json 的训练设置训练后损失 ≤ 1', en: 'loss ≤ 1 after training' },
      metric: 'finalTrainLoss',
      comparator: '<=',
      value: 1,
      conditions: { settings: 'case' },
    };
    const plain: Claim = { ...k, id: 'plain', conditions: {}, statement: { zh: '损失 ≤ 1', en: 'loss ≤ 1' } };
    const byText: Claim = { ...plain, id: 'text', statement: { zh: '…', en: 'loss ≤ 1 after training with the settings of case.json' } };
    assert.equal(claimsCaseSettings(k), true);
    assert.equal(claimsCaseSettings(byText), true);
    assert.equal(claimsCaseSettings(plain), false);
    const met = { id: 'loss', statement: 's', expected: '<= 1', measured: 0.2, met: true };
    const status = providerStatus(undefined)!;
    const r = underCaseSettings(k, met, ['48 of 293 training samples'], status);
    assert.equal(r.met, null, 'a met claim on a reduced run is not judged when it is stated for the case settings');
    assert.match(r.note!, /^evidence budget below minimum: /);
    assert.match(r.note!, /reduced set \(48 of 293 training samples\) and the provider command was not run/);
    assert.match(r.note!, /raise with -p trainable=case/);
    assert.equal(underCaseSettings(k, met, [], status).met, true, 'a full run judges it');
    assert.equal(underCaseSettings(plain, met, ['48 of 293 training samples'], status).met, true);
    // On the case: the default run trains a subset of the 293 samples → inconclusive.
    const cc: LoadedCase = { ...c, claims: { ...c.claims, claims: [k] } };
    const ev = await evaluateTrainability(cc, { ep: 'cpu', epochs: 2, trainSamples: 40, threadsSweep: [], useProviderCommand: false });
    assert.equal(ev.result.claims[0]!.met, null);
    assert.equal(ev.result.verdict, 'inconclusive');
  });

  it('a case without training settings is inconclusive, saying why', async () => {
    const ev = await evaluateTrainability({ ...c, spec: { ...c.spec, training: undefined } });
    assert.equal(ev.result.verdict, 'inconclusive');
    const rationale = ev.result.rationale as { zh: string; en: string };
    assert.match(rationale.en, /declares no training settings/);
    assert.match(rationale.zh, /用例未给出训练设置/);
  });
});
