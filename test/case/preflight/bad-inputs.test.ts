/**
 * The bad-input corpus of the trust boundary: each entry copies a bundled case into a temp
 * folder, breaks one thing (model, io, data, claims, description, options, notebooks, bundle)
 * and asserts the exit code, the first line of stderr (file + field + fix) and that nothing is
 * left behind (no bundle folder, no stray file in the case). No notebook runs: the preflight and
 * the option checks stop every entry before the first kernel starts.
 */
import { strict as assert } from 'node:assert';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { encodeNpy } from '../../../src/data/npy.js';
import { packageRoot } from '../../../src/util/package-root.js';

const CT = join(packageRoot(), 'examples', 'ct-body-segmentation');
const BC = join(packageRoot(), 'examples', 'breast-cancer-classifier');

interface Entry {
  name: string;
  base: 'ct' | 'bc';
  /** Breaks the copied case (dir) or the options; returns extra argv for `ptmc run`, when any. */
  breakIt: (dir: string, tmp: string) => string[] | void;
  /** Command: `run` (default: `ptmc run --case DIR --out OUT …`), `check` (`ptmc case check DIR`), or a custom argv. */
  argv?: (dir: string, out: string, tmp: string) => string[];
  code?: number;
  /** What the first stderr line must contain (file or its tail, field, and always "fix"). */
  first: (string | RegExp)[];
}

const json = (dir: string, file: string, edit: (d: Record<string, any>) => void) => {
  const p = join(dir, file);
  const d = JSON.parse(readFileSync(p, 'utf8')) as Record<string, any>;
  edit(d);
  writeFileSync(p, JSON.stringify(d, null, 2));
};
const csv = (dir: string, file: string, edit: (lines: string[]) => string[]) => {
  const p = join(dir, file);
  writeFileSync(p, edit(readFileSync(p, 'utf8').trimEnd().split('\n')).join('\n') + '\n');
};
/** Replace cell `col` of data row `row` (1-based) of a CSV manifest. */
const cell = (dir: string, file: string, row: number, col: string, value: string) =>
  csv(dir, file, (l) => {
    const j = l[0]!.split(',').indexOf(col);
    const cells = l[row]!.split(',');
    cells[j] = value;
    l[row] = cells.join(',');
    return l;
  });
const npy = (dir: string, rel: string, data: Float32Array | Int16Array | Uint8Array, shape: number[]) =>
  writeFileSync(join(dir, rel), encodeNpy(data, shape));
/** A valid .npy of dtype `<U3` (unicode strings): it parses, but is not numeric. */
function stringNpy(): Buffer {
  let h = "{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }";
  h += ' '.repeat(64 - ((10 + h.length + 1) % 64)) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from('\x93NUMPY', 'latin1').copy(head);
  head[6] = 1;
  head.writeUInt16LE(h.length, 8);
  return Buffer.concat([head, Buffer.from(h, 'latin1'), Buffer.alloc(24)]);
}
const TEST = 'data/test/manifest.csv';
const CT_IMG = 'data/test/images/test-000.npy';
const CT_MASK = 'data/test/masks/test-000.png';
const fix = '— fix:';

const entries: Entry[] = [
  // ---- model (10)
  {
    name: 'zero-byte model',
    base: 'ct',
    breakIt: (d) => writeFileSync(join(d, 'model.onnx'), ''),
    first: ['case.json', '/model', 'empty', fix],
  },
  {
    name: 'truncated model',
    base: 'ct',
    breakIt: (d) => truncateSync(join(d, 'model.onnx'), 2000),
    first: ['case.json', '/model', fix],
  },
  {
    name: 'model of random bytes',
    base: 'ct',
    breakIt: (d) => writeFileSync(join(d, 'model.onnx'), Buffer.alloc(4096, 0xff)),
    first: ['/model', fix],
  },
  {
    name: 'model is a text file',
    base: 'bc',
    breakIt: (d) => writeFileSync(join(d, 'model.onnx'), 'not a model\n'),
    first: ['/model', fix],
  },
  { name: 'model missing', base: 'ct', breakIt: (d) => rmSync(join(d, 'model.onnx')), first: ['case.json', '/model', fix] },
  {
    name: 'model path absolute',
    base: 'ct',
    breakIt: (d) => json(d, 'case.json', (c) => (c.model = '/etc/passwd')),
    first: ['case.json', '/model', 'relative to the case directory', fix],
  },
  {
    name: 'model path escapes with ..',
    base: 'ct',
    breakIt: (d) => json(d, 'case.json', (c) => (c.model = '../model.onnx')),
    first: ['case.json', '/model', 'relative to the case directory', fix],
  },
  {
    name: 'model is a symlink out of the case',
    base: 'bc',
    breakIt: (d, t) => {
      cpSync(join(d, 'model.onnx'), join(t, 'outside.onnx'));
      rmSync(join(d, 'model.onnx'));
      symlinkSync(join(t, 'outside.onnx'), join(d, 'model.onnx'));
    },
    first: ['/model', 'symbolic link', fix],
  },
  {
    name: 'model is a folder',
    base: 'bc',
    breakIt: (d) => (rmSync(join(d, 'model.onnx')), mkdirSync(join(d, 'model.onnx'))),
    first: ['/model', 'not a regular file', fix],
  },
  {
    name: 'zero-byte variant model',
    base: 'ct',
    breakIt: (d) => writeFileSync(join(d, 'model-half.onnx'), ''),
    first: ['/variants/0/model', 'empty', fix],
  },
  // ---- io (8)
  {
    name: 'io.input the model lacks',
    base: 'ct',
    breakIt: (d) => json(d, 'case.json', (c) => (c.io.input = 'image')),
    first: ['case.json', '/io/input', 'no input "image"', fix],
  },
  {
    name: 'io.output the model lacks',
    base: 'ct',
    breakIt: (d) => json(d, 'case.json', (c) => (c.io.output = 'probs')),
    first: ['case.json', '/io/output', 'no output "probs"', fix],
  },
  {
    name: 'io.inputShape not the model’s',
    base: 'ct',
    breakIt: (d) => json(d, 'case.json', (c) => (c.io.inputShape = ['N', 1, 32, 32])),
    first: ['case.json', '/io/inputShape', 'not the model', fix],
  },
  {
    name: 'io.inputShape wrong rank',
    base: 'ct',
    breakIt: (d) => json(d, 'case.json', (c) => (c.io.inputShape = ['N', 64, 64])),
    first: ['/io/inputShape', fix],
  },
  {
    name: 'tabular inputShape wrong',
    base: 'bc',
    breakIt: (d) => json(d, 'case.json', (c) => (c.io.inputShape = ['N', 31])),
    first: ['case.json', '/io', fix],
  },
  {
    name: 'io.outputActivation unknown',
    base: 'ct',
    breakIt: (d) => json(d, 'case.json', (c) => (c.io.outputActivation = 'relu')),
    first: ['case.json', '/io/outputActivation', fix],
  },
  {
    name: 'io.input missing',
    base: 'ct',
    breakIt: (d) => json(d, 'case.json', (c) => delete c.io.input),
    first: ['case.json', '/io', fix],
  },
  {
    name: 'io.threshold not a number',
    base: 'ct',
    breakIt: (d) => json(d, 'case.json', (c) => (c.io.threshold = 'half')),
    first: ['case.json', '/io/threshold', fix],
  },
  // ---- data (22)
  {
    name: 'missing sample file',
    base: 'ct',
    breakIt: (d) => rmSync(join(d, CT_IMG)),
    first: [TEST, 'row 1, column input', 'not found', fix],
  },
  {
    name: 'missing mask file',
    base: 'ct',
    breakIt: (d) => rmSync(join(d, CT_MASK)),
    first: [TEST, 'row 1, column mask', 'not found', fix],
  },
  {
    name: 'string-dtype .npy',
    base: 'ct',
    breakIt: (d) => writeFileSync(join(d, CT_IMG), stringNpy()),
    first: [TEST, 'row 1, column input', 'does not decode', fix],
  },
  {
    name: 'garbage .npy',
    base: 'ct',
    breakIt: (d) => writeFileSync(join(d, CT_IMG), 'hello'),
    first: [TEST, 'row 1, column input', 'does not decode', fix],
  },
  {
    name: 'garbage mask PNG',
    base: 'ct',
    breakIt: (d) => writeFileSync(join(d, CT_MASK), 'not a png'),
    first: [TEST, 'row 1, column mask', 'does not decode', fix],
  },
  {
    name: 'a 32×32 image among 64×64',
    base: 'ct',
    breakIt: (d) => npy(d, 'data/test/images/test-003.npy', new Int16Array(32 * 32), [32, 32]),
    first: [TEST, 'row 4, column input', 'differs from row 1', fix],
  },
  {
    name: 'every image 32×32 (not the declared shape)',
    base: 'ct',
    breakIt: (d) => npy(d, CT_IMG, new Int16Array(32 * 32), [32, 32]),
    first: [TEST, 'row 1, column input', 'does not fit /io/inputShape', fix],
  },
  {
    name: 'all-NaN image',
    base: 'ct',
    breakIt: (d) => npy(d, 'data/test/images/test-002.npy', new Float32Array(64 * 64).fill(NaN), [64, 64]),
    first: [TEST, 'row 3, column input', 'NaN or infinite', fix],
  },
  {
    name: 'an Infinity pixel',
    base: 'ct',
    breakIt: (d) =>
      npy(
        d,
        CT_IMG,
        Float32Array.from({ length: 4096 }, (_, i) => (i === 7 ? Infinity : -1000)),
        [64, 64],
      ),
    first: [TEST, 'row 1, column input', '1 of 4096', fix],
  },
  {
    name: 'mask value 7',
    base: 'ct',
    breakIt: (d) => (
      rmSync(join(d, CT_MASK)),
      cell(d, TEST, 1, 'mask', 'masks/m7.npy'),
      npy(d, 'data/test/masks/m7.npy', new Uint8Array(4096).fill(7), [64, 64])
    ),
    first: [TEST, 'row 1, column mask', 'mask value 7', fix],
  },
  {
    name: 'mask of the wrong size',
    base: 'ct',
    breakIt: (d) => (cell(d, TEST, 2, 'mask', 'masks/small.npy'), npy(d, 'data/test/masks/small.npy', new Uint8Array(16), [4, 4])),
    first: [TEST, 'row 2, column mask', 'mask shape', fix],
  },
  {
    name: 'sample path with ..',
    base: 'ct',
    breakIt: (d) => cell(d, TEST, 1, 'input', '../../../model.onnx'),
    first: [TEST, 'row 1, column input', 'leaves the case', fix],
  },
  {
    name: 'sample path absolute',
    base: 'ct',
    breakIt: (d) => cell(d, TEST, 1, 'input', '/etc/passwd'),
    first: [TEST, 'row 1, column input', 'leaves the case', fix],
  },
  {
    name: 'sample is a symlink out of the case',
    base: 'ct',
    breakIt: (d, t) => (cpSync(join(d, CT_IMG), join(t, 'x.npy')), rmSync(join(d, CT_IMG)), symlinkSync(join(t, 'x.npy'), join(d, CT_IMG))),
    first: [TEST, 'row 1, column input', 'symbolic link', fix],
  },
  {
    name: 'sample is a folder',
    base: 'ct',
    breakIt: (d) => (rmSync(join(d, CT_IMG)), mkdirSync(join(d, CT_IMG))),
    first: [TEST, 'row 1, column input', 'not a regular file', fix],
  },
  {
    name: 'empty input cell',
    base: 'ct',
    breakIt: (d) => cell(d, TEST, 4, 'input', ''),
    first: [TEST, 'row 4, column input', 'no file named', fix],
  },
  {
    name: 'header-only manifest',
    base: 'ct',
    breakIt: (d) => csv(d, TEST, (l) => [l[0]!]),
    first: [TEST, 'rows', 'header but no rows', fix],
  },
  {
    name: 'a single test sample',
    base: 'ct',
    breakIt: (d) => csv(d, TEST, (l) => l.slice(0, 2)),
    first: [TEST, 'rows', 'at least 2', fix],
  },
  {
    name: 'input column missing',
    base: 'ct',
    breakIt: (d) => json(d, 'case.json', (c) => (c.datasets.test.inputColumn = 'image')),
    first: [TEST, 'column image', 'missing', fix],
  },
  {
    name: 'subgroup column missing',
    base: 'ct',
    breakIt: (d) => json(d, 'case.json', (c) => c.datasets.test.subgroups.push('scanner')),
    first: [TEST, 'column scanner', fix],
  },
  { name: 'unknown label', base: 'bc', breakIt: (d) => cell(d, TEST, 3, 'label', 'cyst'), first: [TEST, 'row 3, column label', fix] },
  {
    name: 'non-numeric feature',
    base: 'bc',
    breakIt: (d) => cell(d, TEST, 2, 'mean_radius', 'n/a'),
    first: [TEST, 'row 2, column mean_radius', 'not a finite number', fix],
  },
  {
    name: 'empty feature cell',
    base: 'bc',
    breakIt: (d) => cell(d, TEST, 4, 'mean_area', ''),
    first: [TEST, 'row 4, column mean_area', fix],
  },
  {
    name: 'single-class test set',
    base: 'bc',
    breakIt: (d) =>
      csv(d, TEST, (l) => {
        const j = l[0]!.split(',').indexOf('label');
        return [
          l[0]!,
          ...l.slice(1).map((r) => {
            const c = r.split(',');
            c[j] = 'benign';
            return c.join(',');
          }),
        ];
      }),
    first: [TEST, 'column label', 'single class', fix],
  },
  {
    name: 'feature column missing',
    base: 'bc',
    breakIt: (d) => json(d, 'case.json', (c) => (c.datasets.test.featureColumns[0] = 'radius')),
    first: [TEST, 'column radius', fix],
  },
  { name: 'manifest missing', base: 'ct', breakIt: (d) => rmSync(join(d, TEST)), first: ['case.json', '/datasets/test/manifest', fix] },
  // ---- case.json (8)
  {
    name: 'case.json invalid JSON',
    base: 'ct',
    breakIt: (d) => writeFileSync(join(d, 'case.json'), '{"name": '),
    first: ['case.json', 'not valid JSON', fix],
  },
  {
    name: 'case.json with a BOM',
    base: 'ct',
    breakIt: (d) => writeFileSync(join(d, 'case.json'), '\uFEFF' + readFileSync(join(d, 'case.json'), 'utf8')),
    first: ['case.json', 'byte-order mark', fix],
  },
  { name: 'case.json missing', base: 'ct', breakIt: (d) => rmSync(join(d, 'case.json')), first: ['case.json', fix] },
  {
    name: 'unknown task',
    base: 'ct',
    breakIt: (d) => json(d, 'case.json', (c) => (c.task = 'regression')),
    first: ['case.json', '/task', fix],
  },
  { name: 'no labels', base: 'ct', breakIt: (d) => json(d, 'case.json', (c) => (c.labels = [])), first: ['case.json', '/labels', fix] },
  {
    name: 'seed 1.5',
    base: 'ct',
    breakIt: (d) => json(d, 'case.json', (c) => (c.seeds.default = 1.5)),
    first: ['case.json', '/seeds/default', fix],
  },
  {
    name: 'trainRole undefined',
    base: 'ct',
    breakIt: (d) => json(d, 'case.json', (c) => (c.training.trainRole = 'ood2')),
    first: ['case.json', '/training/trainRole', fix],
  },
  {
    name: 'threshold 1e999',
    base: 'ct',
    breakIt: (d) =>
      writeFileSync(join(d, 'case.json'), readFileSync(join(d, 'case.json'), 'utf8').replace('"threshold": 0.5', '"threshold": 1e999')),
    first: ['case.json', '/io/threshold', 'not finite', fix],
  },
  // ---- claims (6)
  {
    name: 'claim value 1e999',
    base: 'ct',
    breakIt: (d) =>
      writeFileSync(join(d, 'claims.json'), readFileSync(join(d, 'claims.json'), 'utf8').replace(/"value": [0-9.]+/, '"value": 1e999')),
    first: ['claims.json', '/claims/0/value', 'not finite', fix],
  },
  {
    name: 'claims invalid JSON',
    base: 'ct',
    breakIt: (d) => writeFileSync(join(d, 'claims.json'), '[1,'),
    first: ['claims.json', 'not valid JSON', fix],
  },
  {
    name: 'claims with a BOM',
    base: 'bc',
    breakIt: (d) => writeFileSync(join(d, 'claims.json'), '\uFEFF' + readFileSync(join(d, 'claims.json'), 'utf8')),
    first: ['claims.json', 'byte-order mark', fix],
  },
  {
    name: 'duplicate claim id',
    base: 'ct',
    breakIt: (d) => json(d, 'claims.json', (c) => (c.claims[1].id = c.claims[0].id)),
    first: ['claims.json', '/claims/1/id', fix],
  },
  {
    name: 'claim comparator unknown',
    base: 'ct',
    breakIt: (d) => json(d, 'claims.json', (c) => (c.claims[0].comparator = '≈')),
    first: ['claims.json', '/claims/0/comparator', fix],
  },
  { name: 'claims file missing', base: 'ct', breakIt: (d) => rmSync(join(d, 'claims.json')), first: ['case.json', '/claims', fix] },
  // ---- description (4)
  {
    name: 'description invalid JSON',
    base: 'ct',
    breakIt: (d) => writeFileSync(join(d, 'description.json'), '{'),
    first: ['description.json', 'not valid JSON', fix],
  },
  {
    name: 'description with a BOM',
    base: 'ct',
    breakIt: (d) => writeFileSync(join(d, 'description.json'), '\uFEFF{}'),
    first: ['description.json', 'byte-order mark', fix],
  },
  {
    name: 'description 1e999',
    base: 'bc',
    breakIt: (d) => {
      json(d, 'description.json', (c) => (c.zzz = 'X'));
      writeFileSync(join(d, 'description.json'), readFileSync(join(d, 'description.json'), 'utf8').replace('"X"', '1e999'));
    },
    first: ['description.json', '/zzz', 'not finite', fix],
  },
  {
    name: 'description path escapes',
    base: 'ct',
    breakIt: (d) => json(d, 'case.json', (c) => (c.description = '../../description.json')),
    first: ['case.json', '/description', 'relative to the case directory', fix],
  },
  // ---- options (7)
  { name: '--seed 1.5', base: 'ct', breakIt: () => ['--seed', '1.5'], first: ['--seed', 'integer', fix] },
  { name: '--seed x', base: 'ct', breakIt: () => ['--seed', 'x'], first: ['--seed', fix] },
  { name: '--ep gpu', base: 'ct', breakIt: () => ['--ep', 'gpu'], first: ['--ep', fix] },
  { name: '--only 9.9', base: 'ct', breakIt: () => ['--only', '9.9'], first: ['--only', fix] },
  { name: '--lang fr', base: 'ct', breakIt: () => ['--lang', 'fr'], first: ['--lang', fix] },
  { name: '--timeout -1', base: 'ct', breakIt: () => ['--timeout=-1'], first: ['--timeout', fix] },
  {
    name: '--out FILE',
    base: 'ct',
    breakIt: (_d, t) => void writeFileSync(join(t, 'afile'), 'x'),
    argv: (d, _o, t) => ['run', '--case', d, '--out', join(t, 'afile')],
    first: ['afile', '--out', 'names a file', fix],
  },
  // ---- notebooks (2)
  { name: '--notebooks missing', base: 'ct', breakIt: (_d, t) => ['--notebooks', join(t, 'nope')], first: ['nope', '--notebooks', fix] },
  {
    name: '--notebooks without clause notebooks',
    base: 'ct',
    breakIt: (_d, t) => (mkdirSync(join(t, 'nb')), ['--notebooks', join(t, 'nb')]),
    first: ['nb', '--notebooks', fix],
  },
  // ---- bundle (2)
  {
    name: 'verify a missing bundle',
    base: 'ct',
    breakIt: () => undefined,
    argv: (_d, _o, t) => ['verify', join(t, 'no-bundle')],
    first: ['no-bundle', fix],
  },
  {
    name: 'verify with a missing key',
    base: 'ct',
    breakIt: (_d, t) => void mkdirSync(join(t, 'b')),
    argv: (_d, _o, t) => ['verify', join(t, 'b'), '--key', join(t, 'k.pem')],
    first: ['k.pem', fix],
  },
];

async function capture(fn: () => Promise<number>): Promise<{ code: number; err: string }> {
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  let err = '';
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((err += String(s)), true)) as typeof process.stderr.write;
  try {
    return { code: await fn(), err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

function listAll(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

/**
 * A small copy of the CT case (4 rows per data set, their files only) so that each entry copies
 * a few dozen files instead of a thousand: the corpus stays fast on a loaded 2-core machine.
 */
function miniCt(into: string): string {
  const dir = join(into, 'ct-mini');
  mkdirSync(dir);
  for (const f of ['case.json', 'claims.json', 'description.json', 'model.onnx', 'model-half.onnx', 'train.py', 'ctlib.py', 'ctmodel.py'])
    cpSync(join(CT, f), join(dir, f));
  const c = JSON.parse(readFileSync(join(CT, 'case.json'), 'utf8')) as { datasets: Record<string, { manifest: string }> };
  for (const ds of Object.values(c.datasets)) {
    const lines = readFileSync(join(CT, ds.manifest), 'utf8').trimEnd().split('\n').slice(0, 5);
    const mdir = dirname(ds.manifest);
    mkdirSync(join(dir, mdir), { recursive: true });
    writeFileSync(join(dir, ds.manifest), lines.join('\n') + '\n');
    const head = lines[0]!.split(',');
    for (const l of lines.slice(1))
      l.split(',').forEach((v, j) => {
        if (head[j] === 'input' || head[j] === 'mask') {
          mkdirSync(dirname(join(dir, mdir, v)), { recursive: true });
          cpSync(join(CT, mdir, v), join(dir, mdir, v));
        }
      });
  }
  return dir;
}

describe('case/preflight: the bad-input corpus (exit code, first stderr line, nothing left behind)', () => {
  let base: string;
  let ct: string;
  before(() => {
    base = mkdtempSync(join(tmpdir(), 'ptmc-bad-base-'));
    ct = miniCt(base);
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('the small CT copy passes the preflight (so each entry breaks exactly one thing)', async () => {
    const r = await capture(() => main(['case', 'check', ct]));
    assert.equal(r.code, 0, r.err);
  });
  it('holds at least 60 bad inputs', () => assert.ok(entries.length >= 60, `${entries.length}`));

  for (const e of entries) {
    it(e.name, async () => {
      const tmp = mkdtempSync(join(tmpdir(), 'ptmc-bad-'));
      try {
        const dir = join(tmp, 'case');
        cpSync(e.base === 'ct' ? ct : BC, dir, { recursive: true });
        const extra = e.breakIt(dir, tmp) ?? [];
        const before = listAll(tmp);
        const out = join(tmp, 'bundle');
        const argv = e.argv ? e.argv(dir, out, tmp) : ['run', '--case', dir, '--out', out, ...extra];
        const r = await capture(() => main(argv));
        assert.equal(r.code, e.code ?? 2, r.err);
        const line = r.err.split('\n')[0]!;
        for (const want of e.first)
          assert.ok(typeof want === 'string' ? line.includes(want) : want.test(line), `first line lacks ${want}: ${line}`);
        assert.ok(!existsSync(out), 'no bundle folder');
        assert.deepEqual(listAll(tmp), before, 'nothing written');
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });
  }

  it('reports every problem at once: three broken rows → three lines, then the count', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ptmc-bad-'));
    try {
      const dir = join(tmp, 'case');
      cpSync(ct, dir, { recursive: true });
      rmSync(join(dir, CT_IMG));
      npy(dir, 'data/test/images/test-002.npy', new Float32Array(4096).fill(NaN), [64, 64]);
      json(dir, 'case.json', (c) => (c.io.output = 'probs'));
      const r = await capture(() => main(['case', 'check', dir]));
      assert.equal(r.code, 2);
      const lines = r.err.trim().split('\n');
      assert.equal(lines.length, 5, r.err);
      assert.match(lines[0]!, /case\.json at \/io\/output: the model has no output "probs"; its outputs: logits/);
      assert.match(lines[1]!, /case\.json at \/io\/output: the model has no output "probs" \(\/variants\/0\/model\)/);
      assert.match(lines[2]!, /data\/test\/manifest\.csv at row 1, column input: file not found: images\/test-000\.npy/);
      assert.match(lines[3]!, /data\/test\/manifest\.csv at row 3, column input: 4096 of 4096 values are NaN or infinite/);
      assert.match(lines[4]!, /^4 problem\(s\) in the case; nothing was run/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('a clean case passes and reports the cost', async () => {
    const o = process.stdout.write.bind(process.stdout);
    let text = '';
    process.stdout.write = ((s: string | Uint8Array) => ((text += String(s)), true)) as typeof process.stdout.write;
    try {
      assert.equal(await main(['case', 'check', CT]), 0);
    } finally {
      process.stdout.write = o;
    }
    assert.match(text, /case ok \/ 案例检查通过: 542 samples, 1052 files, [\d.]+ MiB checked in [\d.]+ s/);
  });
});
