import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseInputShape } from '../../src/cli/commands/inspect.js';
import { UsageError } from '../../src/util/errors.js';

const ROOT = join(__dirname, '..', '..', '..');
const FIX = join(ROOT, 'test', 'fixtures', 'models');

function ptmc(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'ptmc.js'), ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('cli/inspect', () => {
  it('--json follows the DESIGN.md contract', () => {
    const r = ptmc('inspect', join(FIX, 'mlp_symbolic.onnx'), '--input-shape', 'input=8,4', '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    for (const k of [
      'sha256',
      'bytes',
      'irVersion',
      'opsets',
      'producer',
      'inputs',
      'outputs',
      'nodeCount',
      'opTypes',
      'parameters',
      'macs',
    ]) {
      assert.ok(k in j, k);
    }
    assert.deepEqual(j.inputs, [{ name: 'input', type: 'float32', shape: ['batch', 4] }]);
    assert.equal(j.parameters.total, 23);
    // 8·3·4 + 8·2·3 = 96 + 48 = 144 MACs
    assert.equal(j.macs, 144);
  });

  it('human output: summary and per-layer table', () => {
    const r = ptmc('inspect', join(FIX, 'convnet.onnx'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /parameters {2}827 in 11 initializers/);
    assert.match(r.out, /MACs {8}13,976 \(13\.98 K\); FLOPs 28,595/);
    assert.match(r.out, /5 {2}conv3_dilated {2}Conv .*\[1,8,4,4\] +576 {2}9,216/);
  });

  it('exit 2 with the file named for a non-ONNX file, a bad shape or no file', () => {
    const bad = ptmc('inspect', join(ROOT, 'package.json'));
    assert.equal(bad.code, 2);
    assert.match(bad.err, /InputError: .*package\.json is not a valid ONNX model/);
    assert.equal(ptmc('inspect', join(FIX, 'mlp_symbolic.onnx'), '--input-shape', 'input=8').code, 2);
    assert.equal(ptmc('inspect').code, 2);
  });

  it('parseInputShape reads NAME=D1,D2,… and refuses malformed text with UsageError', () => {
    assert.deepEqual(parseInputShape('input=1,1,256,256'), ['input', [1, 1, 256, 256]]);
    assert.deepEqual(parseInputShape('x:0=2,3'), ['x:0', [2, 3]]);
    assert.throws(() => parseInputShape('input'), UsageError);
    assert.throws(() => parseInputShape('input=1,a'), UsageError);
    assert.throws(() => parseInputShape('=1,2'), UsageError);
  });
});
