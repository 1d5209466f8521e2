/**
 * A kernel-agnostic Jupyter client over ZeroMQ: shell and control (DEALER), iopub (SUB) and
 * heartbeat (REQ). Every incoming message's signature is verified; messages that fail are dropped
 * and counted. Replies are matched to requests by `parent_header.msg_id`.
 */
import { randomUUID } from 'node:crypto';
import type { Dealer, Request, Subscriber } from 'zeromq';
import { ExecutionError } from '../util/errors.js';
import type { ConnectionInfo } from './launch.js';
import { decodeMessage, encodeMessage, newHeader, type DecodedMessage, type JupyterMessage } from '../jupyter/wire.js';

/** A channel that carries requests and replies. */
export type RequestChannel = 'shell' | 'control';

/** The kernel died or stopped answering. */
export class KernelDiedError extends ExecutionError {}

type Zmq = typeof import('zeromq');
let zmqModule: Zmq | undefined;
/** ZeroMQ, loaded on first use so that importing the library does not load the native addon. */
function zmq(): Zmq {
  zmqModule ??= require('zeromq') as Zmq;
  return zmqModule;
}

interface Waiter {
  resolve(m: DecodedMessage): void;
  reject(e: Error): void;
}

/** A connected client. Create with {@link KernelClient.connect}; always {@link KernelClient.close}. */
export class KernelClient {
  /** This client's session id. */
  readonly session = randomUUID();
  /** Messages dropped because their signature did not verify (or they could not be decoded). */
  invalidMessages = 0;
  /** The error of the last dropped message. */
  lastInvalid?: Error;
  private readonly key: string;
  private readonly url: (port: number) => string;
  private readonly shell: Dealer = new (zmq().Dealer)({ linger: 0 });
  private readonly control: Dealer = new (zmq().Dealer)({ linger: 0 });
  private readonly iopub: Subscriber = new (zmq().Subscriber)({ linger: 0 });
  private hb?: Request;
  private readonly hbPort: number;
  private readonly replies = new Map<string, Waiter>();
  private readonly early = new Map<string, DecodedMessage>();
  private readonly iopubHandlers = new Map<string, (m: DecodedMessage) => void>();
  private anyIopub?: (m: DecodedMessage) => void;
  private failure?: Error;
  private hbTimer?: NodeJS.Timeout;
  private closed = false;

  private constructor(conn: ConnectionInfo) {
    this.key = conn.key;
    this.url = (port) => `${conn.transport}://${conn.ip}:${port}`;
    this.hbPort = conn.hb_port;
    this.shell.connect(this.url(conn.shell_port));
    this.control.connect(this.url(conn.control_port));
    this.iopub.connect(this.url(conn.iopub_port));
    this.iopub.subscribe();
    void this.pump(this.shell, (m) => this.onReply(m));
    void this.pump(this.control, (m) => this.onReply(m));
    void this.pump(this.iopub, (m) => this.onIopub(m));
  }

  /**
   * Connects to a kernel's sockets (ZeroMQ connects lazily: the kernel may still be starting).
   * @param conn the connection file's content
   */
  static connect(conn: ConnectionInfo): KernelClient {
    return new KernelClient(conn);
  }

  private async pump(socket: Dealer | Subscriber, handle: (m: DecodedMessage) => void): Promise<void> {
    try {
      for await (const frames of socket) {
        let msg: DecodedMessage;
        try {
          msg = decodeMessage(frames as Buffer[], this.key);
        } catch (e) {
          this.invalidMessages++;
          this.lastInvalid = e as Error;
          continue;
        }
        handle(msg);
      }
    } catch (e) {
      if (!this.closed) this.fail(new KernelDiedError(`kernel socket failed: ${(e as Error).message}`));
    }
  }

  private onReply(m: DecodedMessage): void {
    const id = m.parent_header.msg_id as string | undefined;
    if (!id) return;
    const w = this.replies.get(id);
    if (w) {
      this.replies.delete(id);
      w.resolve(m);
    } else {
      this.early.set(id, m);
    }
  }

  private onIopub(m: DecodedMessage): void {
    this.anyIopub?.(m);
    const id = m.parent_header.msg_id as string | undefined;
    if (id) this.iopubHandlers.get(id)?.(m);
  }

  /**
   * Sends a request and returns its msg_id; the reply is awaited with {@link reply}.
   * @param channel shell or control
   * @param msgType e.g. `execute_request`
   * @param content the request content
   */
  async send(channel: RequestChannel, msgType: string, content: Record<string, unknown>): Promise<string> {
    if (this.failure) throw this.failure;
    const header = newHeader(msgType, this.session);
    const msg: JupyterMessage<unknown> = { header, parent_header: {}, metadata: {}, content };
    await (channel === 'shell' ? this.shell : this.control).send(encodeMessage(msg, this.key));
    return header.msg_id;
  }

  /**
   * Waits for the reply to a request.
   * @param msgId the request's msg_id
   * @param timeoutMs reject after this long (default: never)
   * @throws KernelDiedError when the kernel dies first; ExecutionError on timeout
   */
  reply(msgId: string, timeoutMs?: number): Promise<DecodedMessage> {
    const got = this.early.get(msgId);
    if (got) {
      this.early.delete(msgId);
      return Promise.resolve(got);
    }
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      let t: NodeJS.Timeout | undefined;
      const done =
        <T>(f: (x: T) => void) =>
        (x: T) => {
          clearTimeout(t);
          this.replies.delete(msgId);
          f(x);
        };
      this.replies.set(msgId, { resolve: done(resolve), reject: done(reject) });
      if (timeoutMs !== undefined) {
        t = setTimeout(() => {
          this.replies.delete(msgId);
          reject(new ExecutionError(`no reply from the kernel within ${timeoutMs / 1000} s`));
        }, timeoutMs);
      }
    });
  }

  /**
   * Routes iopub messages whose parent is `msgId` to `handler` (until {@link offIopub}).
   * @param msgId the request's msg_id
   * @param handler called for each message
   */
  onIopubFor(msgId: string, handler: (m: DecodedMessage) => void): void {
    this.iopubHandlers.set(msgId, handler);
  }

  /** Stops routing iopub messages of a request. */
  offIopub(msgId: string): void {
    this.iopubHandlers.delete(msgId);
  }

  /** Sets a handler for every iopub message (or removes it with `undefined`). */
  onAnyIopub(handler: ((m: DecodedMessage) => void) | undefined): void {
    this.anyIopub = handler;
  }

  /** The error the client failed with (kernel died), if any. */
  get error(): Error | undefined {
    return this.failure;
  }

  /**
   * Marks the kernel as gone: every pending and future wait rejects with `err`.
   * @param err the reason
   */
  fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const w of [...this.replies.values()]) w.reject(err);
    this.replies.clear();
  }

  /**
   * Pings the heartbeat channel every `intervalMs`; when `deadAfterMs` pass without an answer,
   * calls `onDead` once. A missed ping resets the REQ socket (its state machine needs a reply).
   * @param intervalMs time between pings
   * @param deadAfterMs silence after which the kernel counts as dead
   * @param onDead called once
   */
  startHeartbeat(intervalMs: number, deadAfterMs: number, onDead: () => void): void {
    let lastOk = Date.now();
    const ping = async () => {
      if (this.closed || this.failure) return;
      if (!this.hb) {
        this.hb = new (zmq().Request)({ linger: 0, receiveTimeout: intervalMs });
        this.hb.connect(this.url(this.hbPort));
      }
      const s = this.hb;
      try {
        await s.send('ping');
        await s.receive();
        lastOk = Date.now();
      } catch {
        s.close();
        if (this.hb === s) this.hb = undefined;
        if (Date.now() - lastOk >= deadAfterMs && !this.closed) {
          onDead();
          return;
        }
      }
      if (!this.closed) this.hbTimer = setTimeout(() => void ping(), intervalMs);
    };
    this.hbTimer = setTimeout(() => void ping(), intervalMs);
  }

  /** Closes every socket; pending waits reject. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.hbTimer);
    this.fail(new ExecutionError('kernel client closed'));
    for (const s of [this.shell, this.control, this.iopub, this.hb]) {
      try {
        s?.close();
      } catch {
        // already closed
      }
    }
  }
}
