/**
 * The kernel's ZeroMQ server: Jupyter messaging 5.3 on shell, control, iopub, stdin (unused) and
 * heartbeat, every message signed and verified with HMAC-SHA256 through the project's wire codec.
 * Cells run one at a time through {@link CellSession}; their results, errors and displays become
 * iopub messages attributed to the request that is executing.
 */
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import type * as zmqTypes from 'zeromq';
import { decodeMessage, newHeader, type DecodedMessage, type JupyterHeader } from '../notebook/wire.js';
import { endpoint, readConnectionFile, type ConnectionInfo } from './connection.js';
import { Iopub, OrderedSender } from './iopub.js';
import { preloadTypeScript, saveTypeScriptCodeCache } from './code-cache.js';
import { completeContent, inspectContent, isCompleteContent, kernelInfoContent } from './replies.js';
import { installKernelHook, MIME_BUNDLE_KEY } from './runtime.js';
import { CellSession } from './session.js';

type Router = zmqTypes.Router;
type Channel = 'shell' | 'control';

/**
 * The data of an `execute_result` for a value: `text/plain` from `util.inspect`, plus any MIME
 * bundle the value provides through {@link MIME_BUNDLE_KEY}.
 * @param value the last expression's value
 * @returns the MIME bundle
 * @example
 * resultData(42); // { 'text/plain': '42' }
 */
export function resultData(value: unknown): Record<string, unknown> {
  let rich: Record<string, unknown> = {};
  const f = value !== null && (typeof value === 'object' || typeof value === 'function')
    ? (value as Record<symbol, unknown>)[MIME_BUNDLE_KEY]
    : undefined;
  if (typeof f === 'function') {
    const b = (f as () => unknown).call(value);
    if (b && typeof b === 'object') rich = b as Record<string, unknown>;
  }
  return { ...rich, 'text/plain': typeof rich['text/plain'] === 'string' ? rich['text/plain'] : inspect(value) };
}

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
  private controlOut!: OrderedSender;
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
      preloadTypeScript();
      this.cells = new CellSession(this.rootDir);
    }
    return this.cells;
  }

  private log(text: string): void {
    this.iopub.logToTerminal(`[ptm-kernel] ${text}`);
  }

  private async bind(): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const zmq = require('zeromq') as typeof zmqTypes;
    const shell = new zmq.Router();
    const control = new zmq.Router();
    const stdin = new zmq.Router();
    const pub = new zmq.Publisher();
    const hb = new zmq.Reply();
    this.sockets = [shell, control, stdin, pub, hb];
    for (const s of this.sockets) s.linger = 1000;
    const key = this.info.key;
    const log = (t: string): void => this.log(t);
    this.iopub = new Iopub(new OrderedSender(pub, key, log), this.sessionId);
    this.shellOut = new OrderedSender(shell, key, log);
    this.controlOut = new OrderedSender(control, key, log);
    await Promise.all([
      shell.bind(endpoint(this.info, this.info.shell_port)),
      control.bind(endpoint(this.info, this.info.control_port)),
      stdin.bind(endpoint(this.info, this.info.stdin_port)),
      pub.bind(endpoint(this.info, this.info.iopub_port)),
      hb.bind(endpoint(this.info, this.info.hb_port)),
    ]);
    this.installOutputs();
    void this.serve(shell, 'shell');
    void this.serve(control, 'control');
    void (async () => {
      for await (const frames of hb) await hb.send(frames);
    })().catch(() => undefined);
    void this.iopub.status('starting', {});
    // Warm the compiler once the sockets answer, so the first cell does not wait for it.
    setImmediate(() => {
      if (!this.shuttingDown) this.session.warm();
    });
  }

  private installOutputs(): void {
    this.iopub.captureStdio();
    const display = (content: { data: unknown; metadata?: unknown; transient?: unknown }, update: boolean): void => {
      void this.iopub.publish(update ? 'update_display_data' : 'display_data', {
        data: content.data,
        metadata: content.metadata ?? {},
        transient: content.transient ?? {},
      });
    };
    installKernelHook({ version: 1, display, clear: (wait) => void this.iopub.publish('clear_output', { wait }) });
    // tslab's own `display` (import { display } from 'tslab') goes through the same channel.
    // Loading tslab's jupyter module loads the TypeScript compiler: use the code cache for it.
    preloadTypeScript();
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const tslabJupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: unknown };
    tslabJupyter.lastWriteDisplayData = display;
    process.on('SIGINT', () => this.cells?.interrupt());
    process.on('uncaughtException', (e) => process.stderr.write(`Uncaught exception: ${inspect(e)}\n`));
    process.on('unhandledRejection', (e) => process.stderr.write(`Unhandled promise rejection: ${inspect(e)}\n`));
  }

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
    const out = channel === 'shell' ? this.shellOut : this.controlOut;
    const header = newHeader(msg_type, this.sessionId, 'kernel');
    return out.send({ header, parent_header: req.header, metadata: {}, content }, req.identities);
  }

  private async handle(channel: Channel, req: DecodedMessage): Promise<void> {
    const type = req.header.msg_type;
    const c = req.content as { code?: string; cursor_pos?: number; restart?: boolean };
    const code = typeof c.code === 'string' ? c.code : '';
    const pos = typeof c.cursor_pos === 'number' ? c.cursor_pos : code.length;
    let replyType: string | undefined;
    let content: unknown;
    switch (type) {
      case 'kernel_info_request':
        [replyType, content] = ['kernel_info_reply', kernelInfoContent()];
        break;
      case 'is_complete_request':
        [replyType, content] = ['is_complete_reply', isCompleteContent(code)];
        break;
      case 'complete_request':
        [replyType, content] = ['complete_reply', completeContent(this.session, code, pos)];
        break;
      case 'inspect_request':
        [replyType, content] = ['inspect_reply', inspectContent(this.session, code, pos)];
        break;
      case 'comm_info_request':
        [replyType, content] = ['comm_info_reply', { status: 'ok', comms: {} }];
        break;
      case 'history_request':
        [replyType, content] = ['history_reply', { status: 'ok', history: [] }];
        break;
      case 'interrupt_request':
        this.cells?.interrupt();
        [replyType, content] = ['interrupt_reply', { status: 'ok' }];
        break;
      case 'shutdown_request':
        return this.shutdown(channel, req, Boolean(c.restart));
      default:
        if (!type.startsWith('comm_')) this.log(`ignored unsupported ${type} on ${channel}`);
        return;
    }
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
    if (store) this.executionCount++;
    const count = this.executionCount;
    const code = typeof c.code === 'string' ? c.code : '';
    if (!silent) await this.iopub.publish('execute_input', { code, execution_count: count });
    const outcome = code.trim() === '' ? ({ ok: true, hasValue: false } as const) : await this.session.run(code);
    let content: Record<string, unknown>;
    if (outcome.ok) {
      if (outcome.hasValue && !silent) {
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

  /** Stops serving, closes the sockets and releases the compiler; resolves {@link closed}. */
  async close(): Promise<void> {
    this.shuttingDown = true;
    this.cells?.interrupt();
    this.iopub.flush();
    await Promise.all([this.shellOut.drain(), this.controlOut.drain()]);
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
