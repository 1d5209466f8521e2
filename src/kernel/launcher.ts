/**
 * The kernel's entry point, run by Jupyter from kernel.json:
 * `node dist/src/kernel/launcher.js --connection-file FILE`. Starts a {@link KernelServer} in the
 * current folder (Jupyter starts kernels in the notebook's folder) and exits when it shuts down.
 * Exit codes: 0 after a shutdown_request, 2 for a bad command line or connection file, 1 otherwise.
 */
import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { InputError, PtmcError } from '../util/errors.js';
import { CONNECTION_DIR_ENV, KERNEL_TOKEN_ENV, killProcessesWithEnv, processGroup } from '../util/processes.js';
import { KernelServer } from './server.js';

/**
 * Parses the launcher's arguments.
 * @param argv arguments after the script
 * @returns the connection file path
 * @throws InputError when `--connection-file FILE` (or `-f FILE`) is missing
 * @example
 * parseLauncherArgs(['--connection-file', 'k.json']); // 'k.json'
 */
export function parseLauncherArgs(argv: string[]): string {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if ((a === '--connection-file' || a === '-f') && argv[i + 1]) return argv[i + 1]!;
    const m = /^--connection-file=(.+)$/.exec(a);
    if (m) return m[1]!;
  }
  throw new InputError('missing --connection-file FILE', {
    field: '--connection-file',
    remedy: 'the kernel is started by Jupyter; install it with `ptmc kernel install` and pick "TypeScript (ptm-conformity)"',
  });
}

/**
 * Runs the kernel until it shuts down.
 * @param argv arguments after the script
 * @returns the process exit code
 * @example
 * runKernel(process.argv.slice(2)).then((code) => process.exit(code));
 */
export async function runKernel(argv: string[]): Promise<number> {
  try {
    const server = await KernelServer.start(parseLauncherArgs(argv), process.cwd());
    await server.closed;
    return 0;
  } catch (e) {
    process.stderr.write(`ptm-kernel: ${e instanceof PtmcError ? e.describe() : ((e as Error)?.stack ?? String(e))}\n`);
    return e instanceof PtmcError ? e.exitCode : 1;
  }
}

/**
 * Ends the kernel when the process that started it goes away (re-parenting changes our parent
 * id), as ipykernel's parent poller does, so a client killed without a shutdown leaves no orphan.
 * @param intervalMs polling interval
 * @returns the timer (unref'd: it never keeps the process alive)
 * @example
 * watchParent();
 */
export function watchParent(intervalMs = 1000): NodeJS.Timeout {
  const parent = process.ppid;
  return setInterval(() => {
    if (process.ppid !== parent) orphaned();
  }, intervalMs).unref();
}

/**
 * The client is gone (killed with SIGKILL): remove the private connection folder it made (with the
 * HMAC key), kill what cells started (the token's holders, then this kernel's own process group when
 * it leads one), and exit.
 */
function orphaned(): never {
  const dir = process.env[CONNECTION_DIR_ENV];
  if (dir && basename(dir).startsWith('ptmc-kernel-')) rmSync(dir, { recursive: true, force: true });
  const token = process.env[KERNEL_TOKEN_ENV];
  if (token) killProcessesWithEnv(KERNEL_TOKEN_ENV, token);
  if (processGroup() === process.pid) {
    try {
      process.kill(-process.pid, 'SIGKILL');
    } catch {
      // nothing else in the group
    }
  }
  process.exit(1);
}

if (require.main === module) {
  // As `ptmc` does: onnxruntime-node writes telemetry files under $HOME unless this is set
  // (ORT_DISABLE_TELEMETRY=0 keeps the runtime as installed). Kernels started by Jupyter get it here.
  if (process.env.ORT_DISABLE_TELEMETRY === undefined) process.env.ORT_DISABLE_TELEMETRY = '1';
  watchParent();
  void runKernel(process.argv.slice(2)).then((code) => {
    // Timers left by cells (e.g. an interrupted sleep) must not keep the process alive.
    setTimeout(() => process.exit(code), 20).unref();
    process.exitCode = code;
  });
}
