import { strict as assert } from 'node:assert';
import { codeCell } from '../../src/notebook/nbformat.js';
import { CellRecorder, cleanBundle, type DisplayIndex } from '../../src/notebook/outputs.js';
import { newHeader, type DecodedMessage } from '../../src/jupyter/wire.js';

let n = 0;
function m(msg_type: string, content: Record<string, unknown>): DecodedMessage {
  const header = newHeader(msg_type, 'k');
  header.date = `2026-01-01T00:00:0${n++ % 10}.000000Z`;
  return { identities: [], header, parent_header: {}, metadata: {}, content };
}

describe('notebook/outputs (nbclient semantics)', () => {
  it('merges consecutive streams of the same name only', () => {
    const cell = codeCell('x');
    const r = new CellRecorder(cell, new Map());
    for (const [name, text] of [
      ['stdout', 'a\n'],
      ['stdout', 'b\n'],
      ['stderr', 'e\n'],
      ['stdout', 'c'],
    ])
      r.handle(m('stream', { name, text }));
    assert.deepEqual(cell.outputs, [
      { output_type: 'stream', name: 'stdout', text: 'a\nb\n' },
      { output_type: 'stream', name: 'stderr', text: 'e\n' },
      { output_type: 'stream', name: 'stdout', text: 'c' },
    ]);
  });

  it('records execution count, results, errors and the four timings', () => {
    n = 0;
    const cell = codeCell('x');
    cell.outputs.push({ output_type: 'stream', name: 'stdout', text: 'stale' });
    const r = new CellRecorder(cell, new Map());
    assert.deepEqual(cell.outputs, []);
    r.handle(m('status', { execution_state: 'busy' }));
    r.handle(m('execute_input', { code: 'x', execution_count: 4 }));
    r.handle(m('execute_result', { execution_count: 4, data: { 'text/plain': '42' }, metadata: {} }));
    r.handle(m('error', { ename: 'E', evalue: 'v', traceback: ['t1', 't2'] }));
    r.handleReply(m('execute_reply', { status: 'error', execution_count: 4 }));
    r.handle(m('status', { execution_state: 'idle' }));
    assert.equal(r.idle, true);
    assert.equal(cell.execution_count, 4);
    assert.deepEqual(cell.outputs, [
      { output_type: 'execute_result', execution_count: 4, data: { 'text/plain': '42' }, metadata: {} },
      { output_type: 'error', ename: 'E', evalue: 'v', traceback: ['t1', 't2'] },
    ]);
    assert.deepEqual(cell.metadata.execution, {
      'iopub.status.busy': '2026-01-01T00:00:00.000000Z',
      'iopub.execute_input': '2026-01-01T00:00:01.000000Z',
      'shell.execute_reply': '2026-01-01T00:00:04.000000Z',
      'iopub.status.idle': '2026-01-01T00:00:05.000000Z',
    });
    assert.deepEqual(r.firstError(), { ename: 'E', evalue: 'v' });
  });

  it('clear_output clears at once, or before the next output with wait', () => {
    const cell = codeCell('x');
    const r = new CellRecorder(cell, new Map());
    r.handle(m('stream', { name: 'stdout', text: '0\n' }));
    r.handle(m('clear_output', { wait: true }));
    assert.equal(cell.outputs.length, 1, 'wait: kept until the next output');
    r.handle(m('stream', { name: 'stdout', text: '1\n' }));
    assert.deepEqual(cell.outputs, [{ output_type: 'stream', name: 'stdout', text: '1\n' }]);
    r.handle(m('clear_output', { wait: false }));
    assert.deepEqual(cell.outputs, []);
  });

  it('update_display_data replaces every output with that display id, in every cell', () => {
    const displays: DisplayIndex = new Map();
    const c1 = codeCell('a');
    const r1 = new CellRecorder(c1, displays);
    r1.handle(m('display_data', { data: { 'text/plain': 'v1' }, metadata: {}, transient: { display_id: 'd' } }));
    r1.handle(m('display_data', { data: { 'text/plain': 'other' }, metadata: {} }));
    const c2 = codeCell('b');
    const r2 = new CellRecorder(c2, displays);
    r2.handle(m('display_data', { data: { 'text/plain': 'v1 again' }, metadata: {}, transient: { display_id: 'd' } }));
    r2.handle(m('update_display_data', { data: { 'text/plain': 'v2' }, metadata: { x: 1 }, transient: { display_id: 'd' } }));
    r2.handle(m('update_display_data', { data: { 'text/plain': 'nobody' }, metadata: {}, transient: { display_id: 'unknown' } }));
    assert.deepEqual(c1.outputs, [
      { output_type: 'display_data', data: { 'text/plain': 'v2' }, metadata: { x: 1 } },
      { output_type: 'display_data', data: { 'text/plain': 'other' }, metadata: {} },
    ]);
    assert.deepEqual(c2.outputs, [{ output_type: 'display_data', data: { 'text/plain': 'v2' }, metadata: { x: 1 } }]);
    r2.handle(m('clear_output', { wait: false }));
    assert.equal(displays.get('d')!.length, 1, 'cleared outputs leave the display index');
  });

  it('appends executor errors (timeout, dead kernel) after kernel output', () => {
    const cell = codeCell('x');
    const r = new CellRecorder(cell, new Map());
    r.handle(m('error', { ename: 'KeyboardInterrupt', evalue: '', traceback: [] }));
    r.addError('CellTimeoutError', 'too slow');
    assert.deepEqual(r.lastError(), { ename: 'CellTimeoutError', evalue: 'too slow' });
    assert.deepEqual(cell.outputs[1], {
      output_type: 'error',
      ename: 'CellTimeoutError',
      evalue: 'too slow',
      traceback: ['CellTimeoutError: too slow'],
    });
  });

  it('keeps MIME data schema-valid: JSON types as they are, others as text', () => {
    assert.deepEqual(
      cleanBundle({
        'text/plain': 5,
        'text/html': ['a', 'b'],
        'application/json': { a: 1 },
        'application/vnd.plotly.v1+json': { data: [] },
        'image/png': 'iVBOR',
      }),
      {
        'text/plain': '5',
        'text/html': ['a', 'b'],
        'application/json': { a: 1 },
        'application/vnd.plotly.v1+json': { data: [] },
        'image/png': 'iVBOR',
      },
    );
  });
});
