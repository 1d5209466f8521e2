/**
 * Every descriptive text a clause result carries is `{zh, en}` (issue 15, "Two real languages"): the clause
 * evaluations of the bundled breast-cancer case run at small budgets (as test/report/language.test.ts runs them),
 * and no plain string in a result's settings (any depth), a measurement's conditions, a table's cells, a
 * finding's or coverage row's text, or a provider fallback's text holds a sentence — three or more consecutive
 * lowercase English words. Identifiers, numbers, units, file names and enumerations stay plain strings.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCase } from '../../src/case/load.js';
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
import { resultTableFrame } from '../../src/clauses/show.js';
import { measurementsFrame } from '../../src/clauses/common/explore.js';
import { resolveTrainable } from '../../src/clauses/common/training.js';
import { trainerUnsupported } from '../../src/clauses/common/trainer-support.js';
import type { TrainingSpec } from '../../src/case/types.js';
import type { ClauseResult } from '../../src/results/types.js';
import { assertValid } from '../../src/util/schema.js';
import { bundled } from '../case/helpers.js';
import { assertBilingual } from './bilingual.js';

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff]/;
const CJK_ALL = /[\u3400-\u4dbf\u4e00-\u9fff]+/g;

/** A lowercase English word: letters only (an apostrophe or hyphen inside), after trimming punctuation. */
function isLowerWord(token: string): boolean {
  const t = token.replace(/^["'“‘([{<,;:!?.—–-]+|["'”’)\]}>,;:!?.—–-]+$/g, '');
  return /^[a-z]+(?:[-'][a-z]+)*$/.test(t);
}

/**
 * The runs of ≥ `min` consecutive lowercase English words in a text (a descriptive sentence).
 * @example
 * sentences('seeded standard-normal tensors'); // ['seeded standard-normal tensors']
 */
export function sentences(text: string, min = 3): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length >= min) out.push(run.join(' '));
    run = [];
  };
  for (const tok of text.replace(CJK_ALL, ' | ').split(/\s+/)) {
    if (!tok) continue;
    if (isLowerWord(tok)) run.push(tok);
    else flush();
  }
  flush();
  return out;
}

function isBilingual(v: unknown): v is { zh: string; en: string } {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return Object.keys(o).length === 2 && typeof o['zh'] === 'string' && typeof o['en'] === 'string';
}

/** Plain strings holding a sentence, and malformed bilingual texts, anywhere in `v` (`path` names each). */
export function plainSentences(v: unknown, path: string, out: string[] = []): string[] {
  if (typeof v === 'string') {
    const s = sentences(v);
    if (s.length) out.push(`${path}: "${v.slice(0, 120)}"`);
  } else if (isBilingual(v)) {
    if (!CJK.test(v.zh) && v.zh.trim() !== '' && sentences(v.zh).length) out.push(`${path}.zh is not Chinese: "${v.zh.slice(0, 80)}"`);
    if (CJK.test(v.en)) out.push(`${path}.en has Chinese: "${v.en.slice(0, 80)}"`);
  } else if (Array.isArray(v)) v.forEach((x, i) => plainSentences(x, `${path}[${i}]`, out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) plainSentences(x, `${path}.${k}`, out);
  return out;
}

/** The descriptive values of a result the report prints, each with where it is. */
function descriptiveValues(r: ClauseResult): [string, unknown][] {
  return [
    [`${r.clause} settings`, r.settings],
    ...r.measurements.map((m): [string, unknown] => [`${r.clause} ${m.name}.conditions`, m.conditions ?? {}]),
    ...r.tables.map((t): [string, unknown] => [`${r.clause} table ${t.name}`, t.rows]),
    ...r.findings.map((f): [string, unknown] => [`${r.clause} finding ${f.id}.text`, f.text]),
    ...r.coverage.map((c): [string, unknown] => [`${r.clause} coverage ${c.item}.reason`, c.reason ?? {}]),
    ...(r.environment.fallbacks ?? []).map((f, i): [string, unknown] => [`${r.clause} fallbacks[${i}].text`, f.text ?? {}]),
  ];
}

describe('clause results: every descriptive text is {zh, en} (breast-cancer case, small budgets)', function () {
  this.timeout(900_000);
  const out = mkdtempSync(join(tmpdir(), 'ptmc-bilingual-'));
  const results: ClauseResult[] = [];

  before(async () => {
    const c = await loadCase(bundled('breast-cancer-classifier'));
    const timing = { warmup: 1, minQueries: 10, minDurationMs: 50 };
    results.push(await checkDescription(join(c.dir, c.spec.description)));
    // webgpu and cuda are asked for where a clause compares providers, so their fallback reasons are recorded too
    results.push(
      (await evaluateTrainability(c, { ep: 'webgpu', epochs: 2, trainSamples: 20, validationSamples: 10, threadsSweep: [] })).result,
    );
    const scal = await evaluateScalability(c, {
      threads: [1],
      batchSizes: [1],
      providers: ['cpu', 'webgpu', 'cuda'],
      modes: ['sequential'],
      timing,
      trainingThreads: [1],
      trainingSteps: 2,
    });
    results.push(scal.result);
    results.push((await evaluateTransferability(c, { epochs: 2, bootstrapIterations: 100, outDir: out })).result);
    results.push(
      (await evaluateEfficiency(c, { ep: 'auto', batchSizes: [1], timing: { minQueries: 20, minDurationMs: 100 }, variants: false }))
        .result,
    );
    results.push(
      (
        await evaluateRepeatability(c, {
          ep: 'cpu',
          samples: 8,
          repeats: 2,
          sessions: 1,
          threads: [1],
          providers: ['webgpu', 'cuda'],
          batchSize: 4,
        })
      ).result,
    );
    results.push((await evaluateRobustness(c, { ep: 'cpu', severities: [1, 3], bootstrapIterations: 100 })).result);
    results.push((await evaluateGeneralization(c, { ep: 'cpu', iterations: 100 })).result);
    results.push((await evaluateAdversarial(c, { ep: 'cpu', samples: 4, maxQueries: 20, attacks: ['square'], norms: ['linf'] })).result);
    results.push((await evaluatePrivacy(c, { ep: 'cpu', samples: 40, sandbox: false })).result);
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('the sentence detector finds runs of three lowercase words and skips identifiers, numbers and short labels', () => {
    assert.deepEqual(sentences('seeded standard-normal tensors in model-input space'), [
      'seeded standard-normal tensors in model-input space',
    ]);
    assert.deepEqual(sentences('frozen / 冻结'), []);
    assert.deepEqual(sentences('not run'), []);
    assert.deepEqual(sentences('tfjs-cpu + JS kernels'), []);
    assert.deepEqual(sentences('2 × MACs plus element-wise and pooling operations'), ['plus element-wise and pooling operations']);
    assert.deepEqual(plainSentences({ a: { zh: '训练', en: 'trained layers only here' }, b: ['cpu', 'linf', 'square'] }, 'x'), []);
    assert.deepEqual(plainSentences({ a: { zh: 'trained layers only', en: 'trained layers only' } }, 'x'), [
      'x.a.zh is not Chinese: "trained layers only"',
    ]);
  });

  it('no plain string in settings, conditions, table cells, finding/coverage/fallback texts is a sentence', () => {
    assert.equal(results.length, 10);
    const found = results.flatMap((r) => descriptiveValues(r).flatMap(([where, v]) => plainSentences(v, where)));
    assert.deepEqual(found, []);
    for (const r of results) assertValid(r, 'clause-result.schema.json', `${r.clause}.json`);
  });

  it('the values once English-only are {zh, en} now (settings, conditions, cells, fallbacks)', () => {
    const by = (id: string) => results.find((r) => r.clause === id)!;
    assertBilingual(by('6.3.1').settings['trainableReason'], '6.3.1 trainableReason');
    const fb = by('6.3.1').environment.fallbacks![0]!;
    assert.equal(fb.provider, 'webgpu');
    assert.equal(
      assertBilingual(fb.text, '6.3.1 fallback').zh,
      '内置训练器在 onnxruntime 的 CPU 执行提供程序上运行冻结的前段，并在 CPU 上用 TensorFlow.js 训练',
    );
    assert.deepEqual(by('6.3.2').settings['inputData'], {
      zh: '模型输入空间中按种子生成的标准正态张量',
      en: 'seeded standard-normal tensors in model-input space',
    });
    const providers = by('6.3.2').tables.find((t) => t.name === 'providers')!;
    const reason = providers.rows.map((row) => assertBilingual(row[providers.columns.indexOf('reason')], 'providers.reason'));
    assert.deepEqual(reason[0], { zh: '已运行', en: 'ran' });
    assert.ok(reason.slice(1).every((x) => x.zh.startsWith('本机不可用：') && x.en.startsWith('not available on this machine: ')));
    const flops = by('6.3.4').measurements.find((m) => m.name === 'flops')!;
    assert.deepEqual(flops.conditions!['convention'], {
      zh: '2 × MACs 加逐元素运算与池化运算',
      en: '2 × MACs plus element-wise and pooling operations',
    });
    assert.ok((by('6.3.5').settings['unavailableProviders'] as unknown[]).length === 2);
    assertBilingual(by('6.3.6').settings['appliedTo'], '6.3.6 appliedTo');
    const privacy = by('6.3.9').tables.find((t) => t.name === 'measures')!;
    const ev = privacy.rows.map((row) => assertBilingual(row[privacy.columns.indexOf('evidence')], 'measures.evidence'));
    assert.ok(ev.some((x) => x.en === 'the description names no such measure' && x.zh === '描述中未提及此类措施'));
  });

  it('the reason for the trained layers is bilingual on every path (the CT U-Net takes the convolutional default)', () => {
    const spec = { epochs: 30, trainable: { from: '/up3/ConvTranspose' } } as unknown as TrainingSpec;
    const conv = resolveTrainable('auto', spec, true);
    assert.deepEqual(conv.choice, { lastLayers: 2 });
    assert.equal(conv.epochsCap, 6);
    assert.deepEqual(conv.reason, {
      zh:
        '卷积网络在 CPU 上的快速默认：训练最后 2 个含权重层，至多 6 轮' +
        '（用例要求 {"from":"/up3/ConvTranspose"}、30 轮；传入 trainable=\'case\' 和 epochs 即按用例训练）',
      en:
        'fast default for convolutional networks on a CPU: the last 2 weighted layers, at most 6 epochs ' +
        '(the case asks for {"from":"/up3/ConvTranspose"}, 30 epochs; pass trainable=\'case\' and epochs to train that)',
    });
    assert.deepEqual(resolveTrainable('case', spec, true).reason, {
      zh: '用例的设置（{"from":"/up3/ConvTranspose"}）',
      en: 'the case\'s setting ({"from":"/up3/ConvTranspose"})',
    });
    assert.deepEqual(resolveTrainable('all', spec, false).reason, { zh: '由参数设定', en: 'set by parameter' });
  });

  it("a model the built-in trainer cannot train gives the reason in both languages, the trainer's message quoted", async () => {
    const why = await trainerUnsupported({
      modelPath: join(__dirname, '..', '..', '..', 'test', 'fixtures', 'training', 'tiny-erf.onnx'),
      task: 'classification',
      activation: 'softmax',
      loss: 'cross-entropy',
      optimizer: { kind: 'sgd', lr: 0.1 },
      epochs: 1,
      batchSize: 4,
      seed: 1,
      trainable: 'all',
    });
    const b = assertBilingual(why, 'unsupported');
    const quoted = /does not support operator\(s\) Erf \([^;]*/.exec(b.en)?.[0];
    assert.ok(quoted, b.en);
    assert.ok(b.en.startsWith('the built-in trainer cannot train this model: '), b.en);
    assert.ok(b.zh.startsWith('内置训练器无法训练该模型：') && b.zh.includes(quoted), b.zh);
    assert.match(b.zh, /请以提供方训练命令（case\.json 的 training\.command，ptmc run --allow-provider-commands）为训练声称提供证据$/);
  });

  it('notebooks show a bilingual cell as "zh / en" (not as JSON)', () => {
    const layers = results.find((r) => r.clause === '6.3.1')!.tables.find((t) => t.name === 'layers')!;
    const df = resultTableFrame(layers);
    const trained = df.column('trained').values as string[];
    assert.ok(
      trained.every((v) => v === '训练 / trained' || v === '冻结 / frozen'),
      trained.join(),
    );
    const eff = results.find((r) => r.clause === '6.3.4')!;
    const conditions = measurementsFrame(eff).column('conditions').values as string[];
    const flops = eff.measurements.findIndex((m) => m.name === 'flops');
    assert.equal(
      conditions[flops],
      JSON.stringify({
        inputShape: [1, 30],
        convention: '2 × MACs 加逐元素运算与池化运算 / 2 × MACs plus element-wise and pooling operations',
      }),
    );
  });
});
