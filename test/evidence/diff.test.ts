import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffBundles, formatBundleDiff } from '../../src/evidence/diff.js';
import { packageRoot } from '../../src/util/package-root.js';

/** A minimal bundle folder holding one 6.3.7 result. */
interface Run {
  verdict: string;
  met: boolean | null;
  dice: number;
  ci: [number, number];
  ms: number;
  /** Further settings of the result. */
  settings?: Record<string, unknown>;
}

function bundle(root: string, name: string, o: Run): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'results'), { recursive: true });
  const result = {
    clause: '6.3.7',
    verdict: o.verdict,
    claims: [{ id: 'dice-test', statement: 'Dice ≥ 0.8', expected: '>= 0.8', measured: o.dice, met: o.met }],
    measurements: [
      { name: 'dice', value: o.dice, unit: '1', ci: { low: o.ci[0], high: o.ci[1], method: 'bootstrap-percentile', level: 0.95 } },
      { name: 'latencyP50Ms', value: o.ms, unit: 'ms', conditions: { batch: 1, queries: Math.round(1000 / o.ms) } },
    ],
    settings: { seed: 42, outDir: dir, fineTuned: join(dir, 'models', 'm.onnx'), ...o.settings },
  };
  writeFileSync(join(dir, 'results', '6.3.7.json'), JSON.stringify(result));
  return dir;
}

describe('evidence/diff (ptmc diff)', () => {
  const root = mkdtempSync(join(tmpdir(), 'ptmc-diff-'));

  it('two runs of one case: no verdict change, only the timing measurement listed', () => {
    const a = bundle(root, 'a', { verdict: 'pass', met: true, dice: 0.8, ci: [0.75, 0.85], ms: 2 });
    // 0.86 − 0.80 = 0.06 < hypot(0.05, 0.04) = 0.0640: within the combined interval
    const b = bundle(root, 'b', { verdict: 'pass', met: true, dice: 0.86, ci: [0.82, 0.9], ms: 3 });
    const d = diffBundles(a, b);
    assert.equal(d.verdictChanged, false);
    assert.deepEqual(d.claims, []);
    assert.deepEqual(
      d.measurements.map((m) => [m.name, m.timing, m.rule]),
      [['latencyP50Ms', true, 'exact']],
    );
    assert.deepEqual(d.settings, [], 'the bundles’ own paths are not setting changes');
    assert.match(formatBundleDiff(d), /verdicts: no change/);
  });

  it('a weaker model: the verdict and the claim change, the Dice moved beyond the combined CI; exit 1', () => {
    const a = bundle(root, 'c', { verdict: 'pass', met: true, dice: 0.8, ci: [0.75, 0.85], ms: 2 });
    // 0.80 − 0.72 = 0.08 > hypot(0.05, 0.04) = 0.0640
    const b = bundle(root, 'd', { verdict: 'fail', met: false, dice: 0.72, ci: [0.68, 0.76], ms: 2 });
    const d = diffBundles(a, b);
    assert.deepEqual(d.verdicts, [{ clause: '6.3.7', a: 'pass', b: 'fail' }]);
    assert.deepEqual(d.claims, [{ clause: '6.3.7', id: 'dice-test', a: true, b: false }]);
    assert.deepEqual(
      d.measurements.map((m) => [m.name, m.a, m.b, m.rule]),
      [['dice', 0.8, 0.72, 'ci']],
    );
    const r = spawnSync(process.execPath, [join(packageRoot(), 'bin', 'ptmc.js'), 'diff', a, b, '--json']);
    assert.equal(r.status, 1, r.stderr.toString());
    assert.equal(JSON.parse(r.stdout.toString()).verdicts[0].b, 'fail');
    const same = spawnSync(process.execPath, [join(packageRoot(), 'bin', 'ptmc.js'), 'diff', a, a]);
    assert.equal(same.status, 0);
  });

  it('a bilingual setting that differs is listed with both values, the text table in English', () => {
    const run = { verdict: 'pass', met: true, dice: 0.8, ci: [0.75, 0.85] as [number, number], ms: 2 };
    const why = (n: number) => ({
      zh: `卷积网络的快速默认：最后 ${n} 层`,
      en: `fast default for convolutional networks: the last ${n} layers`,
    });
    const a = bundle(root, 'e', { ...run, settings: { trainableReason: why(2) } });
    const b = bundle(root, 'f', { ...run, settings: { trainableReason: why(3) } });
    const d = diffBundles(a, b);
    assert.deepEqual(d.settings, [{ clause: '6.3.7', key: 'trainableReason', a: why(2), b: why(3) }]);
    const line = formatBundleDiff(d)
      .split('\n')
      .find((l) => l.includes('trainableReason'));
    assert.equal(line, `  6.3.7  trainableReason  ${why(2).en} → ${why(3).en}`);
  });

  it('a folder without results/ is exit 2 naming it', () => {
    const r = spawnSync(process.execPath, [join(packageRoot(), 'bin', 'ptmc.js'), 'diff', root, join(root, 'a')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr.toString(), /not an evidence bundle/);
  });
});
