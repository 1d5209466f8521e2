/**
 * A running kernel with a connected client: started from a kernelspec, ready once it answered
 * `kernel_info_request` and its iopub channel delivers, watched for death (child exit + heartbeat),
 * interrupted as its spec says, and shut down without leaving a process behind.
 */
import { ExecutionError } from '../util/errors.js';
import type { FoundKernelSpec } from '../jupyter/kernelspec.js';
import { KernelClient, KernelDiedError } from './client.js';
import { KernelProcess } from './launch.js';

/** Options of {@link KernelSession.start}. */
export interface SessionOptions {
  /** Working folder of the kernel. */
  cwd: string;
  /** How long the kernel may take to answer `kernel_info_request` (ms). */
  startTimeoutMs: number;
  /**
   * Silence on the heartbeat channel after which the kernel counts as dead (ms; 0 = never). When
   * not given, 3 s of silence only makes the session check that the kernel process still exists
   * (a kernel whose heartbeat shares a thread with a long synchronous cell is busy, not dead).
   */
  heartbeatDeadMs?: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

/** A started kernel and its client. Always call {@link KernelSession.shutdown}. */
export class KernelSession {
  /** `kernel_info_reply` content. */
  kernelInfo: Record<string, unknown> = {};
  /** Resolves with the reason when the kernel dies (never rejects). */
  readonly died: Promise<KernelDiedError>;
  private dead?: KernelDiedError;
  private markDead!: (e: KernelDiedError) => void;

  private constructor(
    readonly spec: FoundKernelSpec,
    readonly proc: KernelProcess,
    readonly client: KernelClient,
  ) {
    this.died = new Promise((r) => (this.markDead = r));
    void proc.exited.then((s) => {
      const how = s.signal ? `signal ${s.signal}` : `exit code ${s.code}`;
      const tail = proc.output.trim().split('\n').slice(-5).join('\n');
      this.kill(new KernelDiedError(`the kernel died (${how})${tail ? `; its last output:\n${tail}` : ''}`));
    });
  }

  private kill(e: KernelDiedError): void {
    if (this.dead) return;
    this.dead = e;
    this.client.fail(e);
    this.markDead(e);
  }

  /** The reason the kernel died, once it did. */
  get deathReason(): KernelDiedError | undefined {
    return this.dead;
  }

  /**
   * Starts the kernel of `spec` and waits until it is ready.
   * @param spec the kernelspec
   * @param opts working folder and timeouts
   * @returns the ready session
   * @throws ExecutionError when the kernel cannot start, dies, or does not answer in time (nothing is left running)
   */
  static async start(spec: FoundKernelSpec, opts: SessionOptions): Promise<KernelSession> {
    const proc = await KernelProcess.start(spec, { cwd: opts.cwd });
    const s = new KernelSession(spec, proc, KernelClient.connect(proc.connection));
    try {
      await s.ready(opts.startTimeoutMs);
    } catch (e) {
      await s.shutdown(0);
      throw e;
    }
    s.watchHeartbeat(opts.heartbeatDeadMs);
    return s;
  }

  private watchHeartbeat(strictMs: number | undefined): void {
    if (strictMs === 0) return;
    const silence = strictMs ?? 3000;
    this.client.startHeartbeat(Math.min(1000, silence), silence, () => {
      if (strictMs !== undefined) {
        this.kill(new KernelDiedError(`the kernel stopped answering heartbeats for ${silence / 1000} s`));
      } else if (!this.proc.alive()) {
        this.kill(new KernelDiedError('the kernel stopped answering heartbeats and its process is gone'));
      } else {
        this.watchHeartbeat(undefined);
      }
    });
  }

  private async ready(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let iopubSeen = false;
    this.client.onAnyIopub(() => (iopubSeen = true));
    const timedOut = () =>
      new ExecutionError(
        `kernel "${this.spec.name}" did not answer kernel_info_request within ${timeoutMs / 1000} s (raise ` +
          `--start-timeout, or check that the kernel starts)`,
        {
          field: '--start-timeout',
          remedy:
            `raise --start-timeout, or check the kernel (${this.spec.spec.argv[0]}); its ` +
            `output: ${this.proc.output.trim().slice(-500) || '(none)'}`,
        },
      );
    try {
      // One kernel_info round trip for the reply; repeat until iopub delivers too (ZeroMQ's
      // slow-joiner: a subscription needs a moment before published messages reach us).
      while (!iopubSeen) {
        const left = deadline - Date.now();
        if (left <= 0) throw timedOut();
        const id = await this.client.send('shell', 'kernel_info_request', {});
        const reply = await Promise.race([
          this.client.reply(id, left).catch((e) => {
            throw this.dead ?? (e instanceof KernelDiedError ? e : timedOut());
          }),
          this.died.then((e) => Promise.reject(e)),
        ]);
        this.kernelInfo = reply.content;
        for (let i = 0; i < 20 && !iopubSeen && !this.dead; i++) await sleep(10);
        if (this.dead) throw this.dead;
      }
    } finally {
      this.client.onAnyIopub(undefined);
    }
  }

  /**
   * Interrupts the running request: `interrupt_request` on control when the spec's
   * `interrupt_mode` is `message`, else SIGINT to the kernel's process group.
   * @param waitMs how long to wait for `interrupt_reply`
   */
  async interrupt(waitMs = 2000): Promise<void> {
    if (this.dead) return;
    if (this.spec.spec.interrupt_mode === 'message') {
      try {
        const id = await this.client.send('control', 'interrupt_request', {});
        await this.client.reply(id, waitMs);
      } catch {
        // no answer: the caller's own timeout applies
      }
    } else {
      this.proc.signal('SIGINT');
    }
  }

  /**
   * Asks the kernel to shut down (when alive), waits up to `graceMs` for it to exit, then kills its
   * process group and closes the client. Idempotent; never throws.
   * @param graceMs how long to wait for a clean exit
   */
  async shutdown(graceMs = 1000): Promise<void> {
    try {
      if (!this.dead && !this.proc.exitStatus && graceMs > 0) {
        const id = await this.client.send('control', 'shutdown_request', { restart: false });
        await Promise.race([this.client.reply(id, graceMs).catch(() => undefined), this.died]);
      }
    } catch {
      // the kernel is killed below either way
    }
    this.client.close();
    await this.proc.stop(this.dead ? 0 : graceMs);
  }
}
