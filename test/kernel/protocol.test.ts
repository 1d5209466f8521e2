import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zmq from 'zeromq';
import { packageRoot } from '../../src/util/package-root.js';
import { launcherPath } from '../../src/jupyter/kernelspec.js';
import { freePorts, TestKernel } from './client.js';

const types = (outputs: { header: { msg_type: string } }[]): string[] => outputs.map((m) => m.header.msg_type);

describe('kernel over ZeroMQ (Jupyter messaging 5.3)', function () {
  this.timeout(120000);
  let k: TestKernel;
  // The kernel runs in the repo's notebooks/ folder, as Jupyter starts it for a template notebook.
  before(async () => {
    k = await TestKernel.start(join(packageRoot(), 'notebooks'));
  });
  after(async () => {
    if (process.env.PTM_KERNEL_TEST_DEBUG) console.log('kernel stderr:', k?.stderr, 'exit:', k?.proc.exitCode, k?.proc.signalCode);
    await k?.close();
  });

  it('answers kernel_info with honest language_info', async () => {
    const r = await k.request('shell', 'kernel_info_request', {});
    assert.equal(r.header.msg_type, 'kernel_info_reply');
    const c = r.content as { protocol_version: string; implementation: string; language_info: Record<string, string> };
    assert.equal(c.protocol_version, '5.3');
    assert.equal(c.implementation, 'ptm-conformity');
    assert.deepEqual(
      { ...c.language_info, version: undefined },
      {
        name: 'typescript',
        version: undefined,
        mimetype: 'text/typescript',
        file_extension: '.ts',
        codemirror_mode: 'typescript',
        pygments_lexer: 'typescript',
      },
    );
    assert.equal(c.language_info.version, require('@tslab/typescript-for-tslab/package.json').version);
    const c2 = await k.request('control', 'kernel_info_request', {});
    assert.equal(c2.header.msg_type, 'kernel_info_reply');
  });

  it('publishes busy, execute_input, stream, execute_result, idle in order', async () => {
    const { reply, outputs } = await k.execute('console.log("hello"); console.error("warn");\nconst n: number = 6 * 7;\nn');
    assert.equal(reply.content.status, 'ok');
    const count = reply.content.execution_count as number;
    assert.deepEqual(types(outputs), ['status', 'execute_input', 'stream', 'stream', 'execute_result', 'status']);
    assert.equal(outputs[0]!.content.execution_state, 'busy');
    assert.deepEqual(outputs[1]!.content, {
      code: 'console.log("hello"); console.error("warn");\nconst n: number = 6 * 7;\nn',
      execution_count: count,
    });
    assert.deepEqual(outputs[2]!.content, { name: 'stdout', text: 'hello\n' });
    assert.deepEqual(outputs[3]!.content, { name: 'stderr', text: 'warn\n' });
    assert.deepEqual(outputs[4]!.content, { execution_count: count, data: { 'text/plain': '42' }, metadata: {} });
    assert.equal(outputs[5]!.content.execution_state, 'idle');
  });

  it('turns a thrown error into an error message and an execute_reply with status error', async () => {
    const { reply, outputs } = await k.execute(
      'const pad: string = "";\nfunction f(): never { throw new RangeError("out of range: 7"); }\nf();',
    );
    assert.equal(reply.content.status, 'error');
    assert.equal(reply.content.ename, 'RangeError');
    assert.equal(reply.content.evalue, 'out of range: 7');
    const err = outputs.find((m) => m.header.msg_type === 'error')!;
    assert.deepEqual(err.content, { ename: 'RangeError', evalue: 'out of range: 7', traceback: reply.content.traceback });
    const tb = reply.content.traceback as string[];
    assert.equal(tb[0], 'RangeError: out of range: 7');
    // Cell-relative positions: `new RangeError` is at line 2, column 29 of the cell; the call f() at 3:1.
    const count = reply.content.execution_count as number;
    assert.match(tb[1], new RegExp(`^    at f \\(<cell ${count}>:2:29\\)$`), tb.join('\n'));
    assert.deepEqual(tb.slice(2), [`    at <cell ${count}>:3:1`], tb.join('\n'));
    assert.ok(!outputs.some((m) => m.header.msg_type === 'stream'), 'no stderr text');
  });

  it('reports TypeScript compile errors as TSError with the diagnostics', async () => {
    const { reply, outputs } = await k.execute('const s: number = "text";');
    assert.equal(reply.content.status, 'error');
    assert.equal(reply.content.ename, 'TSError');
    assert.equal(reply.content.evalue, "1:7 - Type 'string' is not assignable to type 'number'.");
    assert.ok(outputs.some((m) => m.header.msg_type === 'error' && m.content.ename === 'TSError'));
  });

  it('supports top-level await', async () => {
    const { reply, outputs } = await k.execute('const v = await new Promise<number>((r) => setTimeout(() => r(5), 50));\nv * 2');
    assert.equal(reply.content.status, 'ok');
    assert.deepEqual(outputs.find((m) => m.header.msg_type === 'execute_result')!.content.data, { 'text/plain': '10' });
  });

  it('lets a later cell redeclare a const (parameters rely on it)', async () => {
    assert.equal((await k.execute('const seed = 1;')).reply.content.status, 'ok');
    const { reply, outputs } = await k.execute('const seed = 2;\nseed + 40');
    assert.equal(reply.content.status, 'ok');
    assert.deepEqual(outputs.find((m) => m.header.msg_type === 'execute_result')!.content.data, { 'text/plain': '42' });
  });

  it("uses an earlier cell's variable in a shorthand property (tslab bug worked around)", async () => {
    assert.equal((await k.execute('const rows = [1, 2, 3];')).reply.content.status, 'ok');
    const { reply, outputs } = await k.execute('const table = { rows };\ntable.rows.length');
    assert.equal(reply.content.status, 'ok', JSON.stringify(reply.content));
    assert.deepEqual(outputs.find((m) => m.header.msg_type === 'execute_result')!.content.data, { 'text/plain': '3' });
  });

  it("imports a value and a type from 'ptm-conformity'", async () => {
    const { reply, outputs } = await k.execute(
      "import { InputError, type ErrorContext } from 'ptm-conformity';\nconst ctx: ErrorContext = { file: " +
        "'case.json' };\nnew InputError('bad', ctx).exitCode",
      120000,
    );
    assert.equal(reply.content.status, 'ok', JSON.stringify(reply.content));
    assert.deepEqual(outputs.find((m) => m.header.msg_type === 'execute_result')!.content.data, { 'text/plain': '2' });
  });

  it('publishes displays from runtime.publishDisplayData (also a second copy) and tslab display with the right parent', async () => {
    const copyDir = mkdtempSync(join(tmpdir(), 'ptm-runtime-copy-'));
    try {
      copyFileSync(join(packageRoot(), 'dist', 'src', 'kernel', 'runtime.js'), join(copyDir, 'runtime.js'));
      const code = [
        `const rt = require(${JSON.stringify(join(packageRoot(), 'dist', 'src', 'kernel', 'runtime.js'))});`,
        `const rt2 = require(${JSON.stringify(join(copyDir, 'runtime.js'))});`,
        "rt.publishDisplayData({ 'text/html': '<b>1</b>', 'text/plain': '1' }, {}, { display_id: 'p' });",
        "rt2.publishDisplayData({ 'text/plain': '2' }, {}, { display_id: 'p' }, true);",
        'rt2.clearOutput(true);',
        "import { display } from 'tslab';",
        "display.markdown('**md**');",
        'rt2.inKernel()',
      ].join('\n');
      const { reply, outputs } = await k.execute(code);
      assert.equal(reply.content.status, 'ok', JSON.stringify(reply.content));
      const msgId = reply.parent_header.msg_id;
      assert.deepEqual(types(outputs), [
        'status',
        'execute_input',
        'display_data',
        'update_display_data',
        'clear_output',
        'display_data',
        'execute_result',
        'status',
      ]);
      assert.ok(outputs.every((m) => m.parent_header.msg_id === msgId));
      assert.deepEqual(outputs[2]!.content, {
        data: { 'text/html': '<b>1</b>', 'text/plain': '1' },
        metadata: {},
        transient: { display_id: 'p' },
      });
      assert.deepEqual(outputs[3]!.content, { data: { 'text/plain': '2' }, metadata: {}, transient: { display_id: 'p' } });
      assert.deepEqual(outputs[4]!.content, { wait: true });
      assert.deepEqual((outputs[5]!.content as { data: unknown }).data, { 'text/markdown': '**md**' });
      assert.deepEqual(outputs[6]!.content.data, { 'text/plain': 'true' });
    } finally {
      rmSync(copyDir, { recursive: true, force: true });
    }
  });

  it('runs silent requests without execute_input or results, and store_history=false without counting', async () => {
    const before = (await k.execute('0')).reply.content.execution_count as number;
    const silent = await k.request('shell', 'execute_request', { code: 'console.log("quiet"); 7', silent: true });
    assert.equal(silent.content.status, 'ok');
    const out = await k.outputsOf(String(silent.parent_header.msg_id));
    assert.deepEqual(types(out), ['status', 'stream', 'status']);
    const nohist = await k.request('shell', 'execute_request', { code: '8', silent: false, store_history: false });
    assert.equal(nohist.content.execution_count, before);
    assert.equal((await k.execute('9')).reply.content.execution_count, before + 1);
  });

  it('aborts requests queued behind a failing cell', async () => {
    const [a, b] = await Promise.all([
      k.request('shell', 'execute_request', { code: 'throw new Error("stop")', silent: false }),
      k.request('shell', 'execute_request', { code: '1', silent: false }),
    ]);
    assert.equal(a.content.status, 'error');
    assert.equal(b.content.status, 'aborted');
    assert.equal((await k.execute('3')).reply.content.status, 'ok');
  });

  it('stops a long awaiting cell on interrupt_request (control channel) promptly', async () => {
    const t0 = Date.now();
    const pending = k.execute('await new Promise((r) => setTimeout(r, 60000));');
    // wait until the cell is running (its execute_input has been published)
    while (!k.iopubMessages.some((m) => m.header.msg_type === 'execute_input' && String(m.content.code).includes('60000'))) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const ir = await k.request('control', 'interrupt_request', {});
    assert.equal(ir.header.msg_type, 'interrupt_reply');
    assert.equal(ir.content.status, 'ok');
    const { reply } = await pending;
    assert.equal(reply.content.status, 'error');
    assert.equal(reply.content.ename, 'InterruptError');
    assert.ok(Date.now() - t0 < 15000, `took ${Date.now() - t0} ms`);
    assert.equal((await k.execute('"alive"')).reply.content.status, 'ok');
  });

  it('stops a synchronous endless loop on interrupt_request (control is served from a worker thread)', async () => {
    const t0 = Date.now();
    const pending = k.execute('let spins = 0;\nwhile (true) { spins++; }');
    while (!k.iopubMessages.some((m) => m.header.msg_type === 'execute_input' && String(m.content.code).includes('spins++'))) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 200));
    const ir = await k.request('control', 'interrupt_request', {}, 10000);
    assert.equal(ir.content.status, 'ok');
    const { reply } = await pending;
    assert.equal(reply.content.status, 'error');
    assert.equal(reply.content.ename, 'InterruptError');
    assert.ok(Date.now() - t0 < 20000, `took ${Date.now() - t0} ms`);
    assert.equal((await k.execute('"alive"')).reply.content.status, 'ok');
  });

  it('answers is_complete, complete and inspect', async () => {
    const ic = await k.request('shell', 'is_complete_request', { code: 'for (const x of [1]) {' });
    assert.equal(ic.content.status, 'incomplete');
    assert.deepEqual((await k.request('shell', 'is_complete_request', { code: 'const z = 1;' })).content, { status: 'complete' });
    const cr = await k.request('shell', 'complete_request', { code: 'Math.flo', cursor_pos: 8 });
    assert.equal(cr.content.status, 'ok');
    assert.deepEqual(cr.content.matches, ['floor']);
    assert.equal(cr.content.cursor_start, 5);
    assert.equal(cr.content.cursor_end, 8);
    const ir = await k.request('shell', 'inspect_request', { code: 'Math.max(1, 2)', cursor_pos: 6, detail_level: 0 });
    assert.equal(ir.content.found, true);
    assert.match((ir.content.data as Record<string, string>)['text/plain']!, /max\(\.\.\.values: number\[\]\): number/);
    const hist = await k.request('shell', 'history_request', { output: false, raw: true, hist_access_type: 'tail', n: 10 });
    assert.deepEqual(hist.content, { status: 'ok', history: [] });
    const comm = await k.request('shell', 'comm_info_request', {});
    assert.deepEqual(comm.content, { status: 'ok', comms: {} });
  });

  it('echoes heartbeats', async () => {
    await k.hb.send('ping-42');
    const [echo] = await k.hb.receive();
    assert.equal(echo!.toString(), 'ping-42');
  });

  it('rejects (logs, never executes) a message with a bad signature', async () => {
    const marker = join(tmpdir(), `ptm-kernel-badsig-${process.pid}-${Date.now()}`);
    const code = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'executed')`;
    await assert.rejects(k.request('shell', 'execute_request', { code, silent: false }, 1500, 'wrong-key'), /no reply/);
    assert.equal(existsSync(marker), false);
    assert.match(k.stderr, /rejected a message on shell: message has an invalid HMAC-SHA256 signature/);
    await assert.rejects(k.request('control', 'interrupt_request', {}, 1500, 'wrong-key'), /no reply/);
    assert.match(k.stderr, /rejected a message on control: message has an invalid HMAC-SHA256 signature/);
    assert.equal((await k.execute('1 + 1')).reply.content.status, 'ok');
  });
});

describe('kernel shutdown', function () {
  this.timeout(60000);
  for (const channel of ['control', 'shell'] as const) {
    it(`ends the process after shutdown_request on ${channel}`, async () => {
      const k = await TestKernel.start();
      try {
        const r = await k.request(channel, 'shutdown_request', { restart: false });
        assert.equal(r.header.msg_type, 'shutdown_reply');
        assert.deepEqual(r.content, { status: 'ok', restart: false });
        const code = await Promise.race([k.exited, new Promise((r) => setTimeout(() => r('still running'), 10000))]);
        assert.equal(code, 0);
      } finally {
        await k.close();
      }
    });
  }
});

/** Whether a process runs (a zombie left unreaped by the container's init counts as ended). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

describe('kernel stuck in a synchronous loop', function () {
  this.timeout(60000);
  it('still answers shutdown_request on control and ends', async () => {
    const k = await TestKernel.start();
    try {
      void k.request('shell', 'execute_request', { code: 'while (true) {}', silent: false }).catch(() => undefined);
      while (!k.iopubMessages.some((m) => m.header.msg_type === 'execute_input')) await new Promise((r) => setTimeout(r, 20));
      const r = await k.request('control', 'shutdown_request', { restart: false }, 10000);
      assert.deepEqual(r.content, { status: 'ok', restart: false });
      const code = await Promise.race([k.exited, new Promise((res) => setTimeout(() => res('still running'), 15000))]);
      assert.notEqual(code, 'still running');
    } finally {
      await k.close();
    }
  });
});

describe('kernel without its parent', function () {
  this.timeout(60000);
  it('exits when the process that started it is killed (no orphan)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptm-orphan-'));
    const [shell_port, iopub_port, stdin_port, control_port, hb_port] = await freePorts(5);
    const conn = join(dir, 'kernel.json');
    writeFileSync(
      conn,
      JSON.stringify({
        transport: 'tcp',
        ip: '127.0.0.1',
        shell_port,
        iopub_port,
        stdin_port,
        control_port,
        hb_port,
        key: 'k',
        signature_scheme: 'hmac-sha256',
      }),
    );
    // An intermediate "client" process starts the kernel, prints its pid, then is SIGKILLed.
    const script =
      `const k = require('child_process').spawn(process.execPath, ` +
      `[${JSON.stringify(launcherPath())}, '--connection-file', ${JSON.stringify(conn)}], { stdio: ` +
      `'ignore' }); console.log(k.pid); setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let kernelPid = 0;
    try {
      kernelPid = await new Promise<number>((res) => parent.stdout!.once('data', (d: Buffer) => res(Number(d.toString().trim()))));
      assert.ok(kernelPid > 0 && alive(kernelPid));
      // Wait until the kernel is up (its heartbeat answers), so its parent watch has started.
      const hb = new zmq.Request();
      hb.linger = 0;
      hb.receiveTimeout = 30000;
      hb.connect(`tcp://127.0.0.1:${hb_port}`);
      await hb.send('up?');
      await hb.receive();
      hb.close();
      parent.kill('SIGKILL');
      const t0 = Date.now();
      while (alive(kernelPid) && Date.now() - t0 < 10000) await new Promise((r) => setTimeout(r, 100));
      assert.equal(alive(kernelPid), false, 'the kernel outlived its parent by 10 s');
    } finally {
      if (kernelPid && alive(kernelPid)) process.kill(kernelPid, 'SIGKILL');
      if (parent.exitCode === null) parent.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
