/**
 * The kernel's ZeroMQ server: Jupyter messaging 5.3 on shell, control, iopub, stdin (unused) and
 * heartbeat, every message signed and verified with HMAC-SHA256 through the project's wire codec.
 * Cells run one at a time through {@link CellSession}; their results, errors and displays become
 * iopub messages attributed to the request that is executing.
 */
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import type * as zmqTypes from 'zeromq';
import { decodeMessage, newHeader, type DecodedMessage, type JupyterHeader } from '../jupyter/wire.js';
import { endpoint, readConnectionFile, type ConnectionInfo } from '../jupyter/connection.js';
import { bindKernelSockets, zeromq } from './sockets.js';
import { Iopub, OrderedSender } from './iopub.js';
import { limitAutomaticTypes } from './auto-types.js';
import { ControlThread } from './control.js';
import { preloadTypeScript, saveTypeScriptCodeCache } from './code-cache.js';
import { completeContent, inspectContent, isCompleteContent, kernelInfoContent, resultData } from './replies.js';
import { installKernelHook } from './runtime.js';
import { CellSession } from './cell-session.js';

type Router = zmqTypes.Router;
type Channel = 'shell' | 'control';

/**
 * A running kernel bound to the ports of a connection file.
 * @example
 * const k = await KernelServer.start('/path/kernel-1.json', process.cwd());
 * await k.closed; // resolves after a shutdown_request
 */
export class KernelServer {
  /** Resolves when the kernel has shut down. */
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  private readonly sessionId = randomUUID();
  private cells?: CellSession;
  private executionCount = 0;
  private execTail: Promise<void> = Promise.resolve();
  private enqueued = 0;
  private abortUpTo = 0;
  private shuttingDown = false;
  private iopub!: Iopub;
  private shellOut!: OrderedSender;
  private controlOut?: OrderedSender;
  private control?: ControlThread;
  private closing?: Promise<void>;
  /** True from accepting an execute request until its cell has finished. */
  private executing = false;
  private readonly pending: Promise<unknown>[] = [];
  /** Display jobs started by this kernel's cells (an un-awaited `displayPlot(…)` as a cell's value is not shown as a Promise). */
  private readonly displayJobs = new WeakSet<Promise<unknown>>();
  private sockets: zmqTypes.Socket[] = [];

  private constructor(
    private readonly info: ConnectionInfo,
    private readonly rootDir: string,
  ) {
    this.closed = new Promise((r) => (this.resolveClosed = r));
  }

  /**
   * Reads the connection file, binds the five sockets and starts serving.
   * @param connectionFile path of the connection file
   * @param rootDir folder modules are resolved from (the notebook's folder)
   * @returns the running server
   * @throws InputError when the connection file is invalid; zeromq errors when a port is taken
   */
  static async start(connectionFile: string, rootDir: string): Promise<KernelServer> {
    const s = new KernelServer(readConnectionFile(connectionFile), rootDir);
    await s.bind();
    return s;
  }

  private get session(): CellSession {
    if (!this.cells) {
      // tslab loads the TypeScript compiler: through the code cache when there is one.
      preloadTypeScript();
      limitAutomaticTypes();
      this.cells = new CellSession(this.rootDir);
      // tslab's own `display` (import { display } from 'tslab') goes through the same channel.

      (require('tslab/dist/jupyter') as { lastWriteDisplayData: unknown }).lastWriteDisplayData = this.display;
    }
    return this.cells;
  }

  private log(text: string): void {
    this.iopub.logToTerminal(`[ptm-kernel] ${text}`);
  }

  private async bind(): Promise<void> {
    const { shell, stdin, iopub: pub, hb } = await bindKernelSockets(this.info);
    this.sockets = [shell, stdin, pub, hb];
    const key = this.info.key;
    const log = (t: string): void => this.log(t);
    this.iopub = new Iopub(new OrderedSender(pub, key, log), this.sessionId);
    this.shellOut = new OrderedSender(shell, key, log);
    this.installOutputs();
    void this.serve(shell, 'shell');
    this.startControl();
    void this.iopub.status('starting', {});
    // Warm the compiler once the sockets answer, so the first cell does not wait for it.
    setImmediate(() => {
      if (!this.shuttingDown) this.session.warm();
    });
  }

  /** Serves control from a worker thread (answers while a cell blocks); falls back to this thread. */
  private startControl(): void {
    const ep = endpoint(this.info, this.info.control_port);
    this.control = ControlThread.start(
      { endpoint: ep, key: this.info.key, session: this.sessionId, shutdownGraceMs: 3000, interruptAckMs: 300 },
      {
        interrupt: () => this.interruptCell('control'),
        status: (state, parent) => void this.iopub.status(state, parent),
        shutdown: () => void this.close(),
        log: (t) => this.log(t),
        failed: (message) => {
          this.log(`control worker failed (${message}); serving control on the main thread`);
          this.control = undefined;
          void this.bindControlHere(ep);
        },
      },
    );
  }

  private async bindControlHere(ep: string): Promise<void> {
    const control = new (zeromq().Router)();
    control.linger = 1000;
    this.sockets.push(control);
    this.controlOut = new OrderedSender(control, this.info.key, (t) => this.log(t));
    await control.bind(ep);
    void this.serve(control, 'control');
  }

  private installOutputs(): void {
    this.iopub.captureStdio();
    installKernelHook({
      version: 1,
      display: this.display,
      clear: (wait) => void this.iopub.publish('clear_output', { wait }),
      track: (p) => {
        this.displayJobs.add(p);
        this.pending.push(p.catch((e) => process.stderr.write(`display failed: ${inspect(e)}\n`)));
      },
    });
    process.on('SIGINT', () => this.interruptCell('SIGINT'));
    process.on('uncaughtException', (e) => process.stderr.write(`Uncaught exception: ${inspect(e)}\n`));
    process.on('unhandledRejection', (e) => process.stderr.write(`Unhandled promise rejection: ${inspect(e)}\n`));
  }

  private readonly display = (content: { data: unknown; metadata?: unknown; transient?: unknown }, update: boolean): void => {
    void this.iopub.publish(update ? 'update_display_data' : 'display_data', {
      data: content.data,
      metadata: content.metadata ?? {},
      transient: content.transient ?? {},
    });
  };

  private async serve(sock: Router, channel: Channel): Promise<void> {
    try {
      for await (const frames of sock) {
        let msg: DecodedMessage;
        try {
          msg = decodeMessage(frames as Buffer[], this.info.key);
        } catch (e) {
          this.log(`rejected a message on ${channel}: ${(e as Error).message}`);
          continue;
        }
        if (channel === 'shell' && msg.header.msg_type === 'execute_request') {
          const seq = ++this.enqueued;
          this.execTail = this.execTail.then(() => this.execute(msg, seq)).catch((e) => this.log(`execute failed: ${inspect(e)}`));
        } else {
          this.handle(channel, msg).catch((e) => this.log(`${msg.header.msg_type} failed: ${inspect(e)}`));
        }
      }
    } catch (e) {
      if (!this.shuttingDown) this.log(`${channel} socket failed: ${inspect(e)}`);
    }
  }

  private reply(channel: Channel, req: DecodedMessage, msg_type: string, content: unknown): Promise<void> {
    const out = channel === 'control' && this.controlOut ? this.controlOut : this.shellOut;
    const header = newHeader(msg_type, this.sessionId, 'kernel');
    return out.send({ header, parent_header: req.header, metadata: {}, content }, req.identities);
  }

  private async handle(channel: Channel, req: DecodedMessage): Promise<void> {
    const type = req.header.msg_type;
    const c = req.content as { code?: string; cursor_pos?: number; restart?: boolean };
    const code = typeof c.code === 'string' ? c.code : '';
    const pos = typeof c.cursor_pos === 'number' ? c.cursor_pos : code.length;
    if (type === 'shutdown_request') return this.shutdown(channel, req, Boolean(c.restart));
    if (type === 'interrupt_request') this.interruptCell(channel);
    const replies: Record<string, [string, () => unknown]> = {
      kernel_info_request: ['kernel_info_reply', () => kernelInfoContent()],
      is_complete_request: ['is_complete_reply', () => isCompleteContent(code)],
      complete_request: ['complete_reply', () => completeContent(this.session, code, pos)],
      inspect_request: ['inspect_reply', () => inspectContent(this.session, code, pos)],
      comm_info_request: ['comm_info_reply', () => ({ status: 'ok', comms: {} })],
      history_request: ['history_reply', () => ({ status: 'ok', history: [] })],
      interrupt_request: ['interrupt_reply', () => ({ status: 'ok' })],
    };
    const entry = Object.prototype.hasOwnProperty.call(replies, type) ? replies[type] : undefined;
    if (!entry) {
      if (!type.startsWith('comm_')) this.log(`ignored unsupported ${type} on ${channel}`);
      return;
    }
    const [replyType, content] = [entry[0], entry[1]()];
    await this.iopub.status('busy', req.header);
    await this.reply(channel, req, replyType, content);
    await this.iopub.status('idle', req.header);
  }

  private async execute(req: DecodedMessage, seq: number): Promise<void> {
    const c = req.content as { code?: unknown; silent?: boolean; store_history?: boolean; stop_on_error?: boolean };
    const silent = c.silent === true;
    const store = c.store_history !== false && !silent;
    await this.iopub.status('busy', req.header);
    if (seq <= this.abortUpTo || this.shuttingDown) {
      await this.reply('shell', req, 'execute_reply', { status: 'aborted', execution_count: this.executionCount });
      await this.iopub.status('idle', req.header);
      return;
    }
    this.iopub.parent = req.header as JupyterHeader;
    this.executing = true;
    if (store) this.executionCount++;
    const count = this.executionCount;
    const code = typeof c.code === 'string' ? c.code : '';
    if (!silent) await this.iopub.publish('execute_input', { code, execution_count: count });
    const outcome = code.trim() === '' ? ({ ok: true, hasValue: false } as const) : await this.session.run(code, String(count));
    // Displays the cell started without awaiting them (e.g. `displayPlot(fig)`) belong to this cell.
    while (this.pending.length > 0) await Promise.all(this.pending.splice(0));
    this.executing = false;
    let content: Record<string, unknown>;
    if (outcome.ok) {
      const displayJob = outcome.hasValue && outcome.value instanceof Promise && this.displayJobs.has(outcome.value);
      if (outcome.hasValue && !silent && !displayJob) {
        let data: Record<string, unknown>;
        try {
          data = resultData(outcome.value);
        } catch (e) {
          data = { 'text/plain': `<value could not be shown: ${(e as Error)?.message ?? String(e)}>` };
        }
        await this.iopub.publish('execute_result', { execution_count: count, data, metadata: {} });
      }
      content = { status: 'ok', execution_count: count, payload: [], user_expressions: {} };
    } else {
      const { ename, evalue, traceback } = outcome;
      if (!silent) await this.iopub.publish('error', { ename, evalue, traceback });
      content = { status: 'error', execution_count: count, ename, evalue, traceback };
      if (c.stop_on_error !== false) {
        // Abort the execute requests that are already queued (e.g. "run all"): let the socket
        // deliver what has arrived, then mark everything read so far. Requests sent after the
        // client saw this reply are never aborted, since the reply goes out only afterwards.
        await new Promise((r) => setTimeout(r, 10));
        this.abortUpTo = this.enqueued;
      }
    }
    this.iopub.flush();
    await this.reply('shell', req, 'execute_reply', content);
    await this.iopub.status('idle', req.header);
    if (seq === 1) setImmediate(saveTypeScriptCodeCache);
  }

  private async shutdown(channel: Channel, req: DecodedMessage, restart: boolean): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    await this.iopub.status('busy', req.header);
    await this.reply(channel, req, 'shutdown_reply', { status: 'ok', restart });
    await this.iopub.status('idle', req.header);
    await this.close();
  }

  /** Interrupts the cell in progress, if any (interrupts while idle are ignored, as in ipykernel). */
  private interruptCell(source = 'close'): void {
    if (process.env.PTMC_KERNEL_DEBUG) this.log(`interrupt from ${source}: executing=${this.executing}`);
    if (this.executing) this.cells?.interrupt();
  }

  /** Stops serving, closes the sockets and releases the compiler; resolves {@link closed}. */
  close(): Promise<void> {
    return (this.closing ??= this.doClose());
  }

  private async doClose(): Promise<void> {
    this.shuttingDown = true;
    this.interruptCell();
    this.iopub.flush();
    await Promise.all([this.shellOut.drain(), this.controlOut?.drain()]);
    await this.control?.stop();
    this.iopub.restoreStdio();
    installKernelHook(undefined);
    for (const s of this.sockets) s.close();
    try {
      this.cells?.close();
    } catch {
      // the compiler's watchers are best-effort at exit
    }
    this.resolveClosed();
  }
}
