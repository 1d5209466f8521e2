/**
 * Ordered, signed sending on the kernel's sockets, and the IOPub side of execution: status,
 * stream text captured from `process.stdout`/`process.stderr` (coalesced, flushed before any other
 * output so order is kept), display data and clear_output, all attributed to a parent request.
 */
import { StringDecoder } from 'node:string_decoder';
import { encodeMessage, newHeader, type JupyterHeader } from '../jupyter/wire.js';

/** The part of a ZeroMQ socket this module needs. */
export interface SendSocket {
  send(frames: Buffer[]): Promise<void>;
}

/**
 * Serialises sends on one socket (zeromq allows one send in flight) and keeps their order.
 * @example
 * const out = new OrderedSender(sock, key, log); out.send(msg, identities);
 */
export class OrderedSender {
  private tail: Promise<void> = Promise.resolve();
  constructor(
    private readonly sock: SendSocket,
    private readonly key: string,
    private readonly log: (s: string) => void,
  ) {}

  /**
   * Signs and queues one message.
   * @returns a promise settled when the message has been handed to ZeroMQ
   */
  send(
    msg: { header: JupyterHeader; parent_header: object; metadata?: object; content: unknown },
    identities: Buffer[] = [],
  ): Promise<void> {
    const frames = encodeMessage(
      { header: msg.header, parent_header: msg.parent_header as never, metadata: (msg.metadata ?? {}) as never, content: msg.content },
      this.key,
      identities,
    );
    this.tail = this.tail.then(
      () => this.sock.send(frames),
      () => this.sock.send(frames),
    );
    this.tail.catch((e: unknown) => this.log(`send failed: ${(e as Error)?.message ?? String(e)}`));
    return this.tail;
  }

  /** Settles when everything queued so far has been sent (or failed). */
  drain(): Promise<void> {
    return this.tail.catch(() => undefined);
  }
}

type Writer = typeof process.stdout.write;

/**
 * The IOPub channel of a kernel session.
 * @example
 * const iopub = new Iopub(sender, session);
 * iopub.parent = request.header;
 * iopub.publish('execute_input', { code, execution_count: 1 });
 */
export class Iopub {
  /** Header of the request outputs are attributed to (the executing one, or the last one). */
  parent: JupyterHeader | Record<string, never> = {};
  private pending: { name: 'stdout' | 'stderr'; text: string } | undefined;
  private flushScheduled = false;
  private readonly originals: { stdout: Writer; stderr: Writer };

  constructor(
    private readonly out: OrderedSender,
    private readonly session: string,
  ) {
    this.originals = { stdout: process.stdout.write, stderr: process.stderr.write };
  }

  /**
   * Publishes one message with the current parent (or `parent` when given), after any pending
   * stream text.
   */
  publish(msg_type: string, content: unknown, parent: JupyterHeader | Record<string, never> = this.parent): Promise<void> {
    this.flush();
    const header = newHeader(msg_type, this.session, 'kernel');
    return this.out.send({ header, parent_header: parent, metadata: {}, content }, [Buffer.from(`kernel.${this.session}.${msg_type}`)]);
  }

  /** Publishes `status` (busy or idle) for a request. */
  status(state: 'busy' | 'idle' | 'starting', parent: JupyterHeader | Record<string, never>): Promise<void> {
    return this.publish('status', { execution_state: state }, parent);
  }

  /** Queues stream text; consecutive text on the same stream becomes one message. */
  stream(name: 'stdout' | 'stderr', text: string): void {
    if (text === '') return;
    if (this.pending && this.pending.name !== name) this.flush();
    if (this.pending) this.pending.text += text;
    else this.pending = { name, text };
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  /** Sends pending stream text now. */
  flush(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const header = newHeader('stream', this.session, 'kernel');
    void this.out.send({ header, parent_header: this.parent, metadata: {}, content: { name: p.name, text: p.text } }, [
      Buffer.from(`kernel.${this.session}.stream`),
    ]);
  }

  /**
   * Routes `process.stdout.write` and `process.stderr.write` to stream messages (as tslab does:
   * output printed after a cell finished still goes to the last cell).
   */
  captureStdio(): void {
    for (const name of ['stdout', 'stderr'] as const) {
      const decoder = new StringDecoder('utf8');
      const write = (chunk: unknown, enc?: unknown, cb?: unknown): boolean => {
        const callback = typeof enc === 'function' ? enc : cb;
        const text = typeof chunk === 'string' ? chunk : decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
        this.stream(name, text);
        if (typeof callback === 'function') process.nextTick(callback as () => void);
        return true;
      };
      process[name].write = write as Writer;
    }
  }

  /** Writes to the kernel process's real stderr (the terminal running Jupyter), not to a cell. */
  logToTerminal(text: string): void {
    this.originals.stderr.call(process.stderr, text.endsWith('\n') ? text : text + '\n');
  }

  /** Puts the original `write` methods back. */
  restoreStdio(): void {
    process.stdout.write = this.originals.stdout;
    process.stderr.write = this.originals.stderr;
  }
}
