import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/util/errors.js';
import { metricsParser, pythonHasModule, resolveCommand, runProviderTraining, sandboxAvailable } from '../../src/training/provider.js';

const ROOT = join(__dirname, '..', '..', '..');

describe("training/provider: capture of the provider's training command", () => {
  const out = mkdtempSync(join(tmpdir(), 'ptmc-prov-'));

  it('parses JSON lines, CSV and named-group regexes (NaN and inf kept as numbers)', () => {
    const j = metricsParser('jsonl');
    assert.deepEqual(j('{"epoch": 1, "loss": 0.5, "phase": "train"}'), { epoch: 1, loss: 0.5 });
    assert.deepEqual(j('{"epoch": 2, "loss": NaN}'), { epoch: 2, loss: NaN });
    assert.equal(j('starting…'), undefined);
    const c = metricsParser('csv');
    assert.equal(c('epoch,loss,val_loss'), undefined);
    assert.deepEqual(c('1,0.7,0.8'), { epoch: 1, loss: 0.7, val_loss: 0.8 });
    assert.deepEqual(c('2,inf,0.9'), { epoch: 2, loss: Infinity, val_loss: 0.9 });
    const r = metricsParser({ regex: 'epoch (?<epoch>\\d+) loss (?<loss>[\\d.eE+-]+)' });
    assert.deepEqual(r('epoch 3 loss 1.5e-1 (lr 0.01)'), { epoch: 3, loss: 0.15 });
    assert.throws(
      () => metricsParser({ regex: '(' }),
      (e: unknown) => e instanceof InputError && e.field === '/training/command/metrics/regex',
    );
  });

  it('streams lines, keeps the raw log and the records; a time limit stops the command', async () => {
    const lines: string[] = [];
    const script = 'for i in 1 2 3; do echo "{\\"epoch\\": $i, \\"loss\\": 0.$((9-i))}"; done; echo oops >&2; exit 3';
    const r = await runProviderTraining({
      cwd: out,
      argv: ['bash', '-c', script],
      logPath: join(out, 'logs', 'a.log'),
      onLine: (l) => lines.push(l),
    });
    assert.equal(r.exitCode, 3);
    assert.equal(r.timedOut, false);
    assert.deepEqual(r.records, [
      { epoch: 1, loss: 0.8 },
      { epoch: 2, loss: 0.7 },
      { epoch: 3, loss: 0.6 },
    ]);
    assert.equal(r.lineCount, 4);
    assert.ok(lines.includes('oops'));
    assert.match(readFileSync(r.logPath, 'utf8'), /\[stderr\] oops/);
    const slow = await runProviderTraining({
      cwd: out,
      argv: ['bash', '-c', 'echo start; sleep 30'],
      timeoutSec: 0.5,
      logPath: join(out, 'logs', 'b.log'),
    });
    assert.equal(slow.timedOut, true);
    assert.ok(slow.seconds < 10);
  });

  const sandboxed = sandboxAvailable();
  (sandboxed ? describe : describe.skip)('the sandbox (bubblewrap; CI installs it — skipped only where bwrap cannot run)', () => {
    it('no network: a command that connects out fails, and the evidence says network none', async () => {
      const r = await runProviderTraining({
        cwd: out,
        argv: ['bash', '-c', 'exec 3<>/dev/tcp/1.1.1.1/80 && echo connected'],
        timeoutSec: 20,
        logPath: join(out, 'logs', 'net.log'),
      });
      assert.notEqual(r.exitCode, 0);
      assert.doesNotMatch(readFileSync(r.logPath, 'utf8'), /connected/);
      assert.equal(r.sandbox.tool, 'bwrap');
      assert.equal(r.sandbox.network, 'none');
      assert.ok(r.sandbox.wrapper.includes('--unshare-all'));
      assert.match(r.logSha256, /^[0-9a-f]{64}$/);
    });

    it('writes only to scratch: the case folder is read-only; the environment is scrubbed; limits recorded', async () => {
      const caseDir = mkdtempSync(join(tmpdir(), 'ptmc-prov-case-'));
      process.env['PTMC_TEST_SECRET'] = 'hunter2';
      try {
        const r = await runProviderTraining({
          cwd: caseDir,
          argv: ['bash', '-c', 'env; echo ok > "$HOME/scratch.txt" && echo scratch-ok; echo x > pwned'],
          timeoutSec: 20,
          memoryMb: 4096,
          logPath: join(out, 'logs', 'ro.log'),
        });
        const log = readFileSync(r.logPath, 'utf8');
        assert.notEqual(r.exitCode, 0);
        assert.ok(!existsSync(join(caseDir, 'pwned')), 'nothing written into the case');
        assert.match(log, /scratch-ok/);
        assert.match(log, /Read-only file system/);
        assert.doesNotMatch(log, /hunter2/);
        assert.deepEqual(r.sandbox.limits, { wallSec: 20, memoryMb: 4096 });
        assert.ok(!existsSync(r.sandbox.scratch), 'scratch removed afterwards');
      } finally {
        delete process.env['PTMC_TEST_SECRET'];
        rmSync(caseDir, { recursive: true, force: true });
      }
    });
  });

  it('a missing interpreter is an InputError naming the field', async () => {
    await assert.rejects(
      runProviderTraining({ cwd: out, argv: ['/nonexistent/python9'], logPath: join(out, 'logs', 'c.log') }),
      (e: unknown) => e instanceof InputError && e.field === '/training/command/argv' && /cannot start/.test(e.message),
    );
  });

  it("python3 resolves to Debian's /usr/bin/python3 when present", () => {
    assert.deepEqual(
      resolveCommand(['python3', 'train.py']),
      existsSync('/usr/bin/python3') ? ['/usr/bin/python3', 'train.py'] : ['python3', 'train.py'],
    );
    assert.deepEqual(resolveCommand(['bash', 'x']), ['bash', 'x']);
  });

  const py = resolveCommand(['python3'])[0]!;
  const caseDir = join(ROOT, 'examples', 'breast-cancer-classifier');
  const hasTorch = existsSync(join(caseDir, 'train.py')) && pythonHasModule(py, 'torch');
  (hasTorch ? it : it.skip)(
    "runs the bundled breast-cancer case's train.py (needs python3-torch) and parses its JSON lines",
    async function () {
      this.timeout(180_000);
      const r = await runProviderTraining({
        cwd: caseDir,
        argv: ['python3', 'train.py', '--epochs', '3', '--log-format', 'jsonl'],
        metrics: 'jsonl',
        timeoutSec: 170,
        logPath: join(out, 'logs', 'bc.log'),
      });
      assert.equal(r.exitCode, 0, readFileSync(r.logPath, 'utf8'));
      assert.ok(r.records.length >= 3, JSON.stringify(r.records));
      assert.ok(r.records.every((x) => Number.isFinite(x['loss'])));
    },
  );
  if (!hasTorch) {
    it('has python3-torch where CI runs (elsewhere: skipped, with the reason)', function () {
      if (process.env.CI !== 'true') this.skip(); // a developer machine without python3-torch: the provider test above cannot run
      assert.fail('/usr/bin/python3 cannot import torch: .ci/run installs python3-torch for the provider-command test');
    });
  }
});
