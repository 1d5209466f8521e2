import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeCommand } from '../../../src/cli/commands/describe.js';
import { InputError, SchemaError } from '../../../src/util/errors.js';
import { checkDescription, completeness, descriptionItems, isGiven } from '../../../src/clauses/6.2-description/evaluate.js';
import { assertValid } from '../../../src/util/schema.js';
import { assertBilingual } from '../bilingual.js';
import { bundled, copyCase, editJson } from '../../case/helpers.js';

type Finding = {
  kind: string;
  clause: string;
  item: string;
  pointer: string;
  status: string;
  declared?: unknown;
  measured?: unknown;
  check?: { zh: string; en: string };
  note?: unknown;
};
/** Runs a CLI command with stdout captured (returns the exit code and the text). */
async function quiet(run: () => Promise<number>): Promise<{ code: number; out: string }> {
  const orig = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += String(chunk)), true)) as typeof process.stdout.write;
  try {
    return { code: await run(), out };
  } finally {
    process.stdout.write = orig;
  }
}
const findings = (r: { findings?: Record<string, unknown>[] }) => (r.findings ?? []) as unknown as Finding[];

describe('evaluations/checkDescription (6.2)', () => {
  it('reads every chapter-4 clause from the schema annotations', () => {
    const clauses = new Set(descriptionItems().map((i) => i.clause.split(' ')[0]));
    for (const c of [
      '4.1',
      '4.2.1',
      '4.2.2',
      '4.2.3',
      '4.2.4',
      '4.2.5',
      '4.3.1',
      '4.3.2',
      '4.3.3',
      '4.3.4',
      '4.4.1',
      '4.4.2',
      '4.4.3',
      '4.5.1',
      '4.5.2',
      '4.5.3',
      '4.5.4',
    ])
      assert.ok(clauses.has(c), c);
    const strength = Object.fromEntries(descriptionItems().map((i) => [i.pointer, i.strength]));
    assert.equal(strength['/framework/parameters'], 'shall');
    assert.equal(strength['/framework/interpretability'], 'should');
    assert.equal(strength['/sourceData/baselinePerformance'], 'should');
    assert.equal(strength['/training/settings'], 'should');
    assert.equal(strength['/applicability/downstreamTraining'], 'should');
  });

  it('counts blanks, empty arrays and TODO placeholders as not given', () => {
    assert.equal(isGiven(''), false);
    assert.equal(isGiven({ zh: '', en: ' ' }), false);
    assert.equal(isGiven([]), false);
    assert.equal(isGiven('TODO: fill in'), false);
    assert.equal(isGiven(0), true);
    assert.equal(isGiven({ zh: '', en: 'x' }), true);
  });

  for (const name of ['breast-cancer-classifier', 'ct-body-segmentation'] as const) {
    const path = join(bundled(name), 'description.json');
    (existsSync(join(bundled(name), 'model.onnx')) ? it : it.skip)(
      `${name}: complete and every declaration consistent (pass)`,
      async () => {
        const r = await checkDescription(path);
        assert.equal(r.verdict, 'pass', JSON.stringify(r.rationale));
        const f = findings(r);
        assert.deepEqual(
          f.filter((x) => x.status === 'missing' || x.status === 'inconsistent' || x.status === 'not-checked'),
          [],
        );
        const acc = f.filter((x) => x.kind === 'accuracy');
        for (const c of ['4.1', '4.2.1', '4.2.2', '4.2.3', '4.2.4 a) b)', '4.2.4 d)', '4.5.3'])
          assert.ok(
            acc.some((x) => x.clause === c && x.status === 'consistent'),
            c,
          );
        assert.ok(acc.filter((x) => x.check?.en.startsWith('parameters of layer')).length >= 3);
        // every check, note and title of the two tables is a bilingual text (or a plain string of names)
        for (const t of r.tables) {
          for (const col of ['check', 'title']) {
            const j = t.columns.indexOf(col);
            if (j >= 0) t.rows.forEach((row, i) => assertBilingual(row[j], `${t.name}[${i}].${col}`));
          }
          const n = t.columns.indexOf('note');
          for (const row of t.rows) if (typeof row[n] !== 'string') assertBilingual(row[n], `${t.name} note`);
        }
        const sizeRow = r.tables[1]!.rows.find((row) => row[1] && (row[1] as { en: string }).en === 'size of the model file (bytes)');
        assert.deepEqual(sizeRow?.[1], { zh: '模型文件大小（字节）', en: 'size of the model file (bytes)' });
        assertValid(r, 'clause-result.schema.json', 'result');
        const cli = await quiet(() => describeCommand.run(['check', path, '--json']));
        assert.equal(cli.code, 0);
        assert.equal(JSON.parse(cli.out).verdict, 'pass');
      },
    );
  }

  it('a removed shall item fails, naming its clause', async () => {
    const dir = copyCase('breast-cancer-classifier');
    editJson(join(dir, 'description.json'), (d) => delete d.framework.parameters);
    const r = await checkDescription(join(dir, 'description.json'));
    assert.equal(r.verdict, 'fail');
    const miss = findings(r).filter((x) => x.status === 'missing');
    assert.deepEqual(
      miss.map((x) => [x.clause, x.item, x.pointer]),
      [['4.2.3', '4.2.3', '/framework/parameters']],
    );
    assert.match((r.rationale as { en: string }).en, /4\.2\.3 \/framework\/parameters/);
    assert.match((r.rationale as { zh: string }).zh, /4\.2\.3 模型参数/);
    const cli = await quiet(() => describeCommand.run(['check', join(dir, 'description.json')]));
    assert.equal(cli.code, 1);
    assert.match(cli.out, /\[missing\] 4\.2\.3 \/framework\/parameters \(shall\)/);
  });

  it('a removed should item is noted, not failed', async () => {
    const dir = copyCase('breast-cancer-classifier');
    editJson(join(dir, 'description.json'), (d) => {
      delete d.framework.interpretability;
      delete d.training.settings.augmentation;
    });
    const r = await checkDescription(join(dir, 'description.json'));
    assert.equal(r.verdict, 'pass');
    const noted = findings(r)
      .filter((x) => x.status === 'noted')
      .map((x) => x.clause);
    assert.ok(noted.includes('4.2.5') && noted.includes('4.4.2'), noted.join());
  });

  it('notPublished: a shall item declared unknown with a reason is declared-unknown (inconclusive), not missing', async () => {
    const dir = copyCase('breast-cancer-classifier');
    editJson(join(dir, 'description.json'), (d) => {
      delete d.framework.parameters;
      delete d.framework.interpretability;
      d.notPublished = {
        '/framework/parameters': { zh: '上游未公开', en: 'the upstream project does not publish it' },
        '/framework/interpretability': 'not published',
      };
    });
    const r = await checkDescription(join(dir, 'description.json'));
    assert.equal(r.verdict, 'inconclusive');
    const f = findings(r).filter((x) => x.kind === 'completeness' && x.status === 'declared-unknown');
    assert.deepEqual(
      f.map((x) => [x.clause, (x as unknown as { pointer: string }).pointer, (x as unknown as { strength: string }).strength]),
      [
        ['4.2.3', '/framework/parameters', 'shall'],
        ['4.2.5', '/framework/interpretability', 'should'],
      ],
    );
    assert.equal(findings(r).filter((x) => x.status === 'missing').length, 0);
    assert.match((r.rationale as { en: string }).en, /declared not published: the upstream project does not publish it/);
    assert.equal(r.measurements.find((m) => m.name === 'declaredUnknown')!.value, 2);
  });

  it('notPublished: an entry naming no item, or without a reason, is an input error naming the field', () => {
    assert.throws(
      () => completeness({ notPublished: { '/framework/nope': 'x' } }, 'd.json'),
      (e: unknown) =>
        e instanceof InputError && /notPublished\/\/framework\/nope/.test(e.field ?? '') && /not a chapter-4 item/.test(e.message),
    );
    assert.throws(
      () => completeness({ notPublished: { '/framework/parameters': ' ' } }, 'd.json'),
      (e: unknown) => e instanceof InputError && /gives no reason/.test(e.message),
    );
  });

  it('a modified public structure must state its differences', () => {
    const doc = { framework: { structure: { origin: 'modified-public', summary: 'x', architecture: 'U-Net' } } };
    const f = completeness(doc).find((x) => x.item === '/framework/structure/differences')!;
    assert.equal(f.status, 'missing');
    assert.equal(f.strength, 'shall');
  });

  it('a wrong per-layer parameter count fails with the measured value', async () => {
    const dir = copyCase('breast-cancer-classifier');
    editJson(join(dir, 'description.json'), (d) => {
      d.framework.parameters.layers[0].parameters = 497;
      d.framework.parameters.total = 651;
    });
    const r = await checkDescription(join(dir, 'description.json'));
    assert.equal(r.verdict, 'fail');
    const bad = findings(r).filter((x) => x.status === 'inconsistent');
    const layer = bad.find((x) => x.check?.en === 'parameters of layer Linear-1')!;
    assert.deepEqual(layer.check, { zh: '层 Linear-1 的参数量', en: 'parameters of layer Linear-1' });
    assert.deepEqual([layer.clause, layer.declared, layer.measured], ['4.2.3', 497, 496]);
    const total = bad.find((x) => x.kind === 'accuracy' && x.pointer === '/framework/parameters/total')!;
    assert.deepEqual([total.declared, total.measured], [651, 650]);
    assert.match((r.rationale as { en: string }).en, /4\.2\.3 parameters of layer Linear-1 \(declared 497, measured 496\)/);
    // the zh rationale names the check in Chinese
    assert.match((r.rationale as { zh: string }).zh, /4\.2\.3 层 Linear-1 的参数量（声明 497，实测 496）/);
  });

  it('wrong input shape, dtype, operator list and hash are each inconsistent', async () => {
    const dir = copyCase('breast-cancer-classifier');
    editJson(join(dir, 'description.json'), (d) => {
      d.framework.dataRepresentation.inputs[0].shape = ['N', 31];
      d.framework.dataRepresentation.outputs[0].dtype = 'int64';
      d.framework.nodes.operatorTypes = ['Gemm', 'Relu', 'Sigmoid'];
      d.modelFile.sha256 = '0'.repeat(64);
    });
    const r = await checkDescription(join(dir, 'description.json'));
    const bad = findings(r).filter((x) => x.status === 'inconsistent');
    assert.deepEqual(bad.map((x) => x.clause).sort(), ['4.1', '4.2.2', '4.2.4 a) b)', '4.2.4 d)']);
    assert.deepEqual(bad.find((x) => x.clause === '4.2.4 a) b)')!.measured, ['N', 30]);
    assert.equal(bad.find((x) => x.clause === '4.2.4 d)')!.measured, 'float32');
  });

  it('an explicit --model that differs from the described one is caught by the hash and counts', async () => {
    const dir = copyCase('breast-cancer-classifier');
    const r = await checkDescription(join(dir, 'description.json'), { modelPath: join(dir, 'model-small.onnx') });
    assert.equal(r.verdict, 'fail');
    const total = findings(r).find((x) => x.kind === 'accuracy' && x.pointer === '/framework/parameters/total')!;
    assert.deepEqual([total.status, total.measured], ['inconsistent', 266]);
  });

  it('bad input: schema violation → SchemaError, missing file → InputError', async () => {
    const dir = copyCase('breast-cancer-classifier');
    editJson(join(dir, 'description.json'), (d) => (d.framework.structure.origin = 'borrowed'));
    await assert.rejects(
      checkDescription(join(dir, 'description.json')),
      (e: unknown) => e instanceof SchemaError && e.field === '/framework/structure/origin',
    );
    await assert.rejects(checkDescription(join(dir, 'nope.json')), (e: unknown) => e instanceof InputError && !(e instanceof SchemaError));
    editJson(join(dir, 'description.json'), (d) => {
      d.framework.structure.origin = 'public';
      d.modelFile.path = '../model.onnx';
    });
    await assert.rejects(
      checkDescription(join(dir, 'description.json')),
      (e: unknown) => e instanceof InputError && (e as InputError).field === '/modelFile/path',
    );
  });
});
