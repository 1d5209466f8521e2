/**
 * The kernel's ZeroMQ sockets, bound to the ports of a connection file. zeromq is loaded here, when
 * the kernel binds, never at import time.
 */
import type * as zmqTypes from 'zeromq';
import { endpoint, type ConnectionInfo } from '../jupyter/connection.js';

/** zeromq itself. */
export function zeromq(): typeof zmqTypes {
   
  return require('zeromq') as typeof zmqTypes;
}

/** The main-thread sockets of a kernel. */
export interface KernelSockets {
  shell: zmqTypes.Router;
  stdin: zmqTypes.Router;
  iopub: zmqTypes.Publisher;
  hb: zmqTypes.Reply;
}

/**
 * Binds shell, stdin, iopub and heartbeat (linger 1 s) and starts the heartbeat echo.
 * @returns the sockets (control is bound separately, see control.ts)
 */
export async function bindKernelSockets(info: ConnectionInfo): Promise<KernelSockets> {
  const zmq = zeromq();
  const s: KernelSockets = { shell: new zmq.Router(), stdin: new zmq.Router(), iopub: new zmq.Publisher(), hb: new zmq.Reply() };
  for (const sock of Object.values(s)) sock.linger = 1000;
  await Promise.all([
    s.shell.bind(endpoint(info, info.shell_port)),
    s.stdin.bind(endpoint(info, info.stdin_port)),
    s.iopub.bind(endpoint(info, info.iopub_port)),
    s.hb.bind(endpoint(info, info.hb_port)),
  ]);
  void (async () => {
    for await (const frames of s.hb) await s.hb.send(frames);
  })().catch(() => undefined);
  return s;
}
