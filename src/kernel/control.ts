/**
 * Main-thread side of the control channel worker (see `control-worker.ts`): starts it, relays its
 * events, and stops it cleanly (a zeromq socket must be closed inside its thread before the thread
 * ends, or the process aborts).
 */
import { join } from 'node:path';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import type { JupyterHeader } from '../jupyter/wire.js';
import type { ControlEvent, ControlWorkerData } from './control-worker.js';

/** Callbacks for what happens on the control channel. */
export interface ControlHandlers {
  /** Publish a status (busy/idle) on iopub for a control request. */
  status(state: 'busy' | 'idle', parent: JupyterHeader): void;
  /** An interrupt_request was answered; stop the running cell. */
  interrupt(): void;
  /** A shutdown_request was answered; shut the kernel down. */
  shutdown(restart: boolean, parent: JupyterHeader): void;
  /** The worker could not serve the channel (e.g. zeromq failed in the worker); serve it here. */
  failed(message: string): void;
  /** A line for the kernel's terminal. */
  log(text: string): void;
}

let syncFlag: Int32Array | undefined;

/**
 * A flag shared with the control worker that is 1 while cell code runs synchronously: tslab runs
 * a cell's code with `vm.runInThisContext(code, { breakOnSigint: true })`, which is wrapped (once
 * per process) to raise the flag around exactly those calls. Other `vm` calls are untouched.
 * @returns the shared flag
 * @example
 * Atomics.load(syncRunFlag(), 0); // 0 when no cell code is on the stack
 */
export function syncRunFlag(): Int32Array {
  if (syncFlag) return syncFlag;
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const original = vm.runInThisContext;
  vm.runInThisContext = function (this: unknown, code: string, options?: vm.RunningScriptOptions | string) {
    if (typeof options !== 'object' || !options?.breakOnSigint) return original.call(this, code, options);
    Atomics.store(flag, 0, 1);
    try {
      return original.call(this, code, options);
    } finally {
      Atomics.store(flag, 0, 0);
    }
  } as typeof vm.runInThisContext;
  return (syncFlag = flag);
}

/**
 * The running control worker.
 * @example
 * const c = ControlThread.start({ endpoint, key, session, shutdownGraceMs: 3000 }, handlers);
 * await c.stop();
 */
export class ControlThread {
  private exited: Promise<void>;
  private constructor(private readonly worker: Worker) {
    this.exited = new Promise((r) => worker.once('exit', () => r()));
  }

  /**
   * Starts the worker; it binds the control socket in the background.
   * @param data endpoint, key, session id and shutdown grace period
   * @param h event handlers
   * @returns the control thread handle
   */
  static start(data: Omit<ControlWorkerData, 'ptmControl' | 'syncFlag'>, h: ControlHandlers): ControlThread {
    const worker = new Worker(join(__dirname, 'control-worker.js'), {
      workerData: { ...data, ptmControl: true, syncFlag: syncRunFlag() } satisfies ControlWorkerData,
      stdout: false,
      stderr: false,
    });
    worker.on('message', (e: ControlEvent) => {
      if (e.type === 'status') h.status(e.state, e.parent as JupyterHeader);
      else if (e.type === 'shutdown') h.shutdown(e.restart, e.parent as JupyterHeader);
      else if (e.type === 'interrupt') {
        h.interrupt();
        worker.postMessage({ type: 'interrupt-ack', id: e.id });
      } else if (e.type === 'failed') h.failed(e.message);
      else if (e.type === 'log') h.log(e.text);
    });
    worker.on('error', (e) => h.failed(e.message));
    worker.unref();
    return new ControlThread(worker);
  }

  /**
   * Asks the worker to close its socket and end; waits up to `timeoutMs`.
   * @param timeoutMs how long to wait for the worker to end
   */
  async stop(timeoutMs = 1000): Promise<void> {
    this.worker.postMessage({ type: 'stop' });
    let t: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise<void>((r) => (t = setTimeout(r, timeoutMs)))]);
    if (t) clearTimeout(t);
  }
}
