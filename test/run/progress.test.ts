import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { runProgress } from '../../src/run/progress.js';

function sink(tty: boolean): { stream: Writable & { isTTY?: boolean; columns?: number }; text(): string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  }) as Writable & { isTTY?: boolean; columns?: number };
  stream.isTTY = tty;
  stream.columns = 100;
  return { stream, text: () => text };
}

function drive(p: ReturnType<typeof runProgress>): void {
  p({ kind: 'start', total: 2, skipped: ['6.3.9'], out: '/ev/run1' });
  p({ kind: 'clause-start', clause: '6.2', notebook: '6.2-description', index: 0, total: 2 });
  p({ kind: 'cell', clause: '6.2', done: 1, cells: 4 });
  p({ kind: 'clause-end', clause: '6.2', index: 0, total: 2, ok: true, verdict: 'pass', ms: 1500 });
  p({ kind: 'clause-start', clause: '6.3.6', notebook: '6.3.6-robustness', index: 1, total: 2 });
  p({
    kind: 'clause-end',
    clause: '6.3.6',
    index: 1,
    total: 2,
    ok: false,
    verdict: 'inconclusive',
    ms: 2000,
    error: 'Error: boom (cell 2)',
  });
  p({ kind: 'end', ok: false, ms: 4000 });
}

describe('bundle/runProgress', () => {
  it('without a TTY: one line per clause start and end', () => {
    const s = sink(false);
    drive(runProgress(s.stream));
    const lines = s.text().trim().split('\n');
    assert.deepEqual(lines, [
      'ptmc run: 2 clause notebook(s) → /ev/run1',
      'ptmc run: no notebook yet for 6.3.9 (skipped)',
      'ptmc run: [1/2] 6.2-description …',
      'ptmc run: [1/2] 6.2 executed (1.5 s) → pass',
      'ptmc run: [2/2] 6.3.6-robustness …',
      'ptmc run: [2/2] 6.3.6 FAILED (2.0 s) → inconclusive — Error: boom (cell 2)',
      'ptmc run: some clauses failed to execute in 4.0 s',
    ]);
  });

  it('on a TTY: a bar redrawn in place with the running clause and cell', () => {
    const s = sink(true);
    drive(runProgress(s.stream));
    const t = s.text();
    assert.match(t, /\r\[\.{28}\] 0\/2 6\.2-description cell 1\/4/);
    assert.match(t, /\r\[#{14}\.{14}\] 1\/2 6\.3\.6-robustness starting kernel…/);
    assert.match(t, /6\.3\.6 FAILED \(2\.0 s\) → inconclusive — Error: boom \(cell 2\)\n/);
  });
});
