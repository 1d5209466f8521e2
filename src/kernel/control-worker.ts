/**
 * The control channel, served from a worker thread so that it answers while the main thread is
 * busy — in particular while a cell runs a synchronous loop. An `interrupt_request` is answered
 * here and passed to the main thread, which stops an awaiting cell and acknowledges. Without an
 * acknowledgement in time, and only while the shared flag says cell code runs synchronously, SIGINT
 * for this process makes V8 stop that code (tslab runs cells with `breakOnSigint`).
 *
 * Messages to the main thread: `bound`, `failed`, `log`, `status` (for iopub), `interrupt`, `shutdown`.
 * Messages from the main thread: `interrupt-ack`, `stop`.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type * as zmqTypes from 'zeromq';
import { decodeMessage, newHeader, type DecodedMessage } from '../jupyter/wire.js';
import { OrderedSender } from './iopub.js';
import { kernelInfoContent } from './replies.js';

/** Data the main thread passes to the worker. */
export interface ControlWorkerData {
  /** Marks this worker as the kernel's control worker. */
  ptmControl: true;
  /** ZeroMQ endpoint of the control channel. */
  endpoint: string;
  /** HMAC key. */
  key: string;
  /** Kernel session id used in reply headers. */
  session: string;
  /** Milliseconds after a shutdown_request before the process is terminated if still alive. */
  shutdownGraceMs: number;
  /** Milliseconds the main thread has to acknowledge an interrupt before SIGINT is sent. */
  interruptAckMs: number;
  /** Shared flag (Int32Array over a SharedArrayBuffer): 1 while cell code runs synchronously. */
  syncFlag: Int32Array;
}

/** What the worker posts to the main thread. */
export type ControlEvent =
  | { type: 'bound' }
  | { type: 'failed'; message: string }
  | { type: 'log'; text: string }
  | { type: 'status'; state: 'busy' | 'idle'; parent: DecodedMessage['header'] }
  | { type: 'interrupt'; id: number }
  | { type: 'shutdown'; restart: boolean; parent: DecodedMessage['header'] };

async function serveControl(data: ControlWorkerData, port: NonNullable<typeof parentPort>): Promise<void> {
  const post = (e: ControlEvent): void => port.postMessage(e);
   
  const zmq = require('zeromq') as typeof zmqTypes;
  const sock = new zmq.Router();
  sock.linger = 1000;
  let stopping = false;
  let interrupts = 0;
  let acked = 0;
  port.on('message', (m: { type?: string; id?: number }) => {
    if (m?.type === 'interrupt-ack') acked = Math.max(acked, Number(m.id));
    if (m?.type !== 'stop' || stopping) return;
    stopping = true;
    sock.close();
    port.close();
  });
  try {
    await sock.bind(data.endpoint);
  } catch (e) {
    post({ type: 'failed', message: (e as Error).message });
    sock.close();
    port.close();
    return;
  }
  post({ type: 'bound' });
  const out = new OrderedSender(sock, data.key, (text) => post({ type: 'log', text }));
  const reply = (req: DecodedMessage, msg_type: string, content: unknown): Promise<void> =>
    out.send({ header: newHeader(msg_type, data.session, 'kernel'), parent_header: req.header, metadata: {}, content }, req.identities);
  try {
    for await (const frames of sock) {
      let req: DecodedMessage;
      try {
        req = decodeMessage(frames as Buffer[], data.key);
      } catch (e) {
        post({ type: 'log', text: `rejected a message on control: ${(e as Error).message}` });
        continue;
      }
      const type = req.header.msg_type;
      const known = ['kernel_info_request', 'interrupt_request', 'shutdown_request'];
      if (!known.includes(type)) {
        post({ type: 'log', text: `ignored unsupported ${type} on control` });
        continue;
      }
      post({ type: 'status', state: 'busy', parent: req.header });
      if (type === 'kernel_info_request') {
        await reply(req, 'kernel_info_reply', kernelInfoContent());
      } else if (type === 'interrupt_request') {
        await reply(req, 'interrupt_reply', { status: 'ok' });
        // Ask the main thread first; if it does not acknowledge soon it is blocked in synchronous
        // code, and SIGINT makes V8 stop that code.
        const id = ++interrupts;
        post({ type: 'interrupt', id });
        const since = Date.now();
        const poll = setInterval(() => {
          const waited = Date.now() - since;
          if (acked >= id || waited > 600_000) return clearInterval(poll);
          // SIGINT only while cell code runs synchronously (V8's breakOnSigint stops exactly that).
          if (waited >= data.interruptAckMs && Atomics.load(data.syncFlag, 0) === 1) {
            clearInterval(poll);
            process.kill(process.pid, 'SIGINT');
          }
        }, 50);
        poll.unref();
      } else {
        const restart = Boolean((req.content as { restart?: unknown }).restart);
        await reply(req, 'shutdown_reply', { status: 'ok', restart });
        post({ type: 'status', state: 'idle', parent: req.header });
        post({ type: 'shutdown', restart, parent: req.header });
        // If the main thread is stuck in a synchronous loop it cannot exit by itself.
        setTimeout(() => process.kill(process.pid, 'SIGTERM'), data.shutdownGraceMs).unref();
        continue;
      }
      post({ type: 'status', state: 'idle', parent: req.header });
    }
  } catch (e) {
    if (!stopping) post({ type: 'log', text: `control socket failed: ${(e as Error).message}` });
  }
}

if (!isMainThread && parentPort && (workerData as ControlWorkerData | undefined)?.ptmControl) {
  void serveControl(workerData as ControlWorkerData, parentPort);
}
