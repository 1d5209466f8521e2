/**
 * Jupyter connection files: the ports, transport and signing key a kernel binds to.
 * @see https://jupyter-client.readthedocs.io/en/stable/kernels.html#connection-files
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../util/errors.js';

/** The content of a connection file. */
export interface ConnectionInfo {
  /** `tcp` or `ipc`. */
  transport: 'tcp' | 'ipc';
  /** Address to bind (tcp) or path prefix (ipc). */
  ip: string;
  /** Shell channel port. */
  shell_port: number;
  /** IOPub channel port. */
  iopub_port: number;
  /** Stdin channel port. */
  stdin_port: number;
  /** Control channel port. */
  control_port: number;
  /** Heartbeat port. */
  hb_port: number;
  /** HMAC key; empty disables signing. */
  key: string;
  /** `hmac-sha256` (the only scheme supported). */
  signature_scheme: string;
  /** Kernel name, informative. */
  kernel_name?: string;
}

const PORTS = ['shell_port', 'iopub_port', 'stdin_port', 'control_port', 'hb_port'] as const;

/**
 * Reads and checks a connection file.
 * @param file path of the JSON connection file written by the client
 * @returns the connection info
 * @throws InputError naming the file and field when the file is unreadable, not JSON, has a missing
 *   or invalid port, or a signature scheme other than `hmac-sha256`
 * @example
 * const info = readConnectionFile('/run/user/1000/jupyter/kernel-1.json');
 */
export function readConnectionFile(file: string): ConnectionInfo {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`cannot read the connection file: ${(e as Error).message}`, {
      file,
      remedy: 'pass the JSON connection file written by the Jupyter client (--connection-file FILE)',
    });
  }
  const c = raw as Partial<ConnectionInfo> & Record<string, unknown>;
  const bad = (field: string, what: string): never => {
    throw new InputError(`connection file ${what}`, { file, field, remedy: 'let the Jupyter client write the connection file' });
  };
  if (c === null || typeof c !== 'object' || Array.isArray(c)) return bad('/', 'is not a JSON object');
  const transport = c.transport ?? 'tcp';
  if (transport !== 'tcp' && transport !== 'ipc') bad('/transport', `has unsupported transport "${String(transport)}" (tcp or ipc)`);
  const ip = c.ip ?? '127.0.0.1';
  if (typeof ip !== 'string' || ip === '') bad('/ip', 'needs an ip address string');
  for (const p of PORTS) {
    const v = c[p];
    if (!Number.isInteger(v) || (v as number) <= 0 || (v as number) > 65535) bad(`/${p}`, `needs ${p} as an integer 1–65535`);
  }
  const key = c.key ?? '';
  if (typeof key !== 'string') bad('/key', 'key must be a string');
  const scheme = c.signature_scheme ?? 'hmac-sha256';
  if (scheme !== 'hmac-sha256') bad('/signature_scheme', `uses "${String(scheme)}"; only hmac-sha256 is supported`);
  return { ...(c as ConnectionInfo), transport, ip, key, signature_scheme: scheme };
}

/**
 * The ZeroMQ endpoint of one channel.
 * @param info connection info
 * @param port the channel's port
 * @returns e.g. `tcp://127.0.0.1:5555` or `ipc://kernel-ipc-5555`
 * @example
 * endpoint(info, info.shell_port);
 */
export function endpoint(info: ConnectionInfo, port: number): string {
  return info.transport === 'ipc' ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
}
