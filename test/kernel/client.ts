/**
 * A minimal Jupyter client for the kernel tests: starts the kernel process with a connection
 * file, talks to it over raw ZeroMQ sockets with the project's wire codec, and always kills it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zmq from 'zeromq';
import { decodeMessage, encodeMessage, newHeader, type DecodedMessage } from '../../src/jupyter/wire.js';
import { launcherPath } from '../../src/jupyter/kernelspec.js';

/** Five free TCP ports on 127.0.0.1. */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<import('node:net').Server>((res) => {
          const s = createServer();
          s.listen(0, '127.0.0.1', () => res(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** A connected test client. */
export class TestKernel {
  readonly session = randomUUID();
  readonly iopubMessages: DecodedMessage[] = [];
  stderr = '';
  exited: Promise<number | null>;
  private waiters: (() => void)[] = [];
  private replies = new Map<string, (m: DecodedMessage) => void>();
  private constructor(
    readonly proc: ChildProcess,
    readonly key: string,
    readonly dir: string,
    readonly shell: zmq.Dealer,
    readonly control: zmq.Dealer,
    readonly iopub: zmq.Subscriber,
    readonly hb: zmq.Request,
  ) {
    this.exited = new Promise((r) => proc.on('exit', (code) => r(code)));
    proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    void this.pump(shell);
    void this.pump(control);
    void (async () => {
      for await (const frames of iopub) {
        this.iopubMessages.push(decodeMessage(frames as Buffer[], key));
        this.waiters.splice(0).forEach((w) => w());
      }
    })().catch(() => undefined);
  }

  static async start(cwd?: string): Promise<TestKernel> {
    const dir = mkdtempSync(join(tmpdir(), 'ptm-kernel-test-'));
    const [shell_port, iopub_port, stdin_port, control_port, hb_port] = await freePorts(5);
    const key = randomBytes(16).toString('hex');
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
        key,
        signature_scheme: 'hmac-sha256',
        kernel_name: 'ptm-typescript',
      }),
    );
    const proc = spawn(process.execPath, [launcherPath(), '--connection-file', conn], {
      cwd: cwd ?? dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const shell = new zmq.Dealer();
    const control = new zmq.Dealer();
    const iopub = new zmq.Subscriber();
    const hb = new zmq.Request();
    for (const s of [shell, control, iopub, hb]) s.linger = 0;
    shell.connect(`tcp://127.0.0.1:${shell_port}`);
    control.connect(`tcp://127.0.0.1:${control_port}`);
    iopub.connect(`tcp://127.0.0.1:${iopub_port}`);
    iopub.subscribe();
    hb.connect(`tcp://127.0.0.1:${hb_port}`);
    const k = new TestKernel(proc, key, dir, shell, control, iopub, hb);
    // Wait until the kernel answers and iopub is connected (kernel_info until an iopub status arrives).
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline) {
      const r = await k.request('shell', 'kernel_info_request', {}, 2000).catch(() => undefined);
      if (r && k.iopubMessages.some((m) => m.parent_header.msg_id === r.parent_header.msg_id)) return k;
      if (proc.exitCode !== null) break;
    }
    await k.close();
    throw new Error(`kernel did not start: ${k.stderr}`);
  }

  private async pump(sock: zmq.Dealer): Promise<void> {
    try {
      for await (const frames of sock) {
        const m = decodeMessage(frames as Buffer[], this.key);
        this.replies.get(String(m.parent_header.msg_id))?.(m);
      }
    } catch {
      // socket closed
    }
  }

  /** Sends a request and waits for its reply. */
  async request(
    channel: 'shell' | 'control',
    msg_type: string,
    content: object,
    timeoutMs = 30000,
    key = this.key,
  ): Promise<DecodedMessage> {
    const header = newHeader(msg_type, this.session, 'test');
    const p = new Promise<DecodedMessage>((res, rej) => {
      const t = setTimeout(() => {
        this.replies.delete(header.msg_id);
        rej(new Error(`no reply to ${msg_type} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.replies.set(header.msg_id, (m) => {
        clearTimeout(t);
        this.replies.delete(header.msg_id);
        res(m);
      });
    });
    await (channel === 'shell' ? this.shell : this.control).send(encodeMessage({ header, parent_header: {}, metadata: {}, content }, key));
    return p;
  }

  /** The iopub messages of a request, once its idle status has arrived. */
  async outputsOf(msgId: string, timeoutMs = 30000): Promise<DecodedMessage[]> {
    const deadline = Date.now() + timeoutMs;
    const of = () => this.iopubMessages.filter((m) => m.parent_header.msg_id === msgId);
    while (!of().some((m) => m.header.msg_type === 'status' && m.content.execution_state === 'idle')) {
      if (Date.now() > deadline) throw new Error(`no idle status for ${msgId}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
    return of();
  }

  /** Executes code; returns the reply and the request's iopub messages. */
  async execute(code: string, timeoutMs = 30000): Promise<{ reply: DecodedMessage; outputs: DecodedMessage[] }> {
    const reply = await this.request(
      'shell',
      'execute_request',
      { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
      timeoutMs,
    );
    const outputs = await this.outputsOf(String(reply.parent_header.msg_id), timeoutMs);
    return { reply, outputs };
  }

  /** Closes the sockets, kills the kernel if it still runs, removes the temp folder. */
  async close(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGKILL');
      await this.exited;
    }
    for (const s of [this.shell, this.control, this.iopub, this.hb]) s.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
