/**
 * Starting a kernel process from its kernelspec: a connection file with free ports and a random
 * HMAC-SHA256 key in a private (0700) folder `ptmc-kernel-<our pid>-*` of the temp dir, the process in
 * its own process group, and a guarantee that the group, every process that inherited the kernel's
 * token ({@link KERNEL_TOKEN_ENV}) and the folder are gone on every exit path of this process (normal
 * exit, SIGINT, SIGTERM, SIGHUP). After a SIGKILL of this process the kernel notices its new parent,
 * kills its group and removes the folder (see `watchParent`); folders of dead ptmc processes are
 * removed at the next kernel start in any case.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutionError } from '../util/errors.js';
import { CONNECTION_DIR_ENV, isAlive, KERNEL_TOKEN_ENV, killProcessesWithEnv } from '../util/processes.js';
import type { ConnectionInfo } from '../jupyter/connection.js';
import type { FoundKernelSpec } from '../jupyter/kernelspec.js';

/** A Jupyter connection file (the kernel side reads the same shape). */
export type { ConnectionInfo };

/**
 * Finds `n` distinct free TCP ports on 127.0.0.1 (bound at once, then released).
 * @param n how many
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<import('node:net').Server>((res, rej) => {
          const s = createServer();
          s.once('error', rej);
          s.listen(0, '127.0.0.1', () => res(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/**
 * A fresh connection description: five free ports on localhost and a random 256-bit key.
 * @param kernelName recorded in the file, as Jupyter does
 */
export async function newConnectionInfo(kernelName?: string): Promise<ConnectionInfo> {
  const [shell, iopub, stdin, control, hb] = await freePorts(5);
  return {
    transport: 'tcp',
    ip: '127.0.0.1',
    shell_port: shell!,
    iopub_port: iopub!,
    stdin_port: stdin!,
    control_port: control!,
    hb_port: hb!,
    signature_scheme: 'hmac-sha256',
    key: randomBytes(32).toString('hex'),
    kernel_name: kernelName,
  };
}

/** Prefix of the private folders holding connection files: `ptmc-kernel-<pid of ptmc>-XXXXXX`. */
export const CONNECTION_DIR_PREFIX = 'ptmc-kernel-';

/**
 * Removes the connection folders (`ptmc-kernel-<pid>-*`, owned by this user) of ptmc processes
 * that no longer exist, e.g. one killed with SIGKILL before it could clean up.
 * @param root the folder to look in (default the temp dir)
 * @returns the folders removed
 */
export function removeStaleConnectionDirs(root = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = /^ptmc-kernel-(\d+)-/.exec(name);
    if (!m || Number(m[1]) === process.pid || isAlive(Number(m[1]))) continue;
    const p = join(root, name);
    try {
      const st = lstatSync(p);
      if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid())) continue;
      rmSync(p, { recursive: true, force: true });
      removed.push(p);
    } catch {
      // raced with another cleaner
    }
  }
  return removed;
}

/** Every kernel started by this process and not yet killed. */
const live = new Set<KernelProcess>();
const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
const onSignal = new Map<NodeJS.Signals, () => void>();

function killAllSync(): void {
  for (const k of [...live]) k.killNow();
}

/**
 * Kills every kernel this process started (process group, descendants, connection folder),
 * synchronously; for a caller's own signal handler. Idempotent.
 * @returns how many kernels were still alive
 */
export function killAllKernels(): number {
  const n = live.size;
  killAllSync();
  return n;
}

/** The exit promises of the kernels alive now (to reap them after {@link killAllKernels}). */
export function liveKernelExits(): Promise<unknown>[] {
  return [...live].map((k) => k.exited);
}

/** Installs exit/signal handlers while at least one kernel is alive (so no kernel is orphaned). */
function installExitHooks(): void {
  if (onSignal.size > 0) return;
  process.on('exit', killAllSync);
  for (const sig of Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]) {
    const h = () => {
      const dying = [...live].map((k) => k.exited);
      killAllSync();
      // Reap the killed kernels (at most 1 s), then do what the signal would have done without a
      // handler: exit 128 + its number.
      const t = setTimeout(() => process.exit(128 + SIGNALS[sig]), 1000);
      void Promise.all(dying).then(() => {
        clearTimeout(t);
        process.exit(128 + SIGNALS[sig]);
      });
    };
    onSignal.set(sig, h);
    process.on(sig, h);
  }
}

function removeExitHooks(): void {
  process.off('exit', killAllSync);
  for (const [sig, h] of onSignal) process.off(sig, h);
  onSignal.clear();
}

/** A kernel process started from a kernelspec, with its connection file. */
export class KernelProcess {
  /** The child process (leader of its own process group). */
  readonly child: ChildProcess;
  /** The connection it was started with. */
  readonly connection: ConnectionInfo;
  /** Path of the connection file. */
  readonly connectionFile: string;
  /** Resolves with the exit code (or signal name) when the process exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The exit status once exited, else undefined. */
  exitStatus?: { code: number | null; signal: NodeJS.Signals | null };
  /** Private (0700) folder of the connection file, removed when the kernel is killed. */
  readonly dir: string;
  /** Random token in the kernel's environment ({@link KERNEL_TOKEN_ENV}); its descendants inherit it. */
  readonly token: string;
  private stderrTail = '';

  private constructor(child: ChildProcess, connection: ConnectionInfo, dir: string, file: string, token: string) {
    this.child = child;
    this.connection = connection;
    this.dir = dir;
    this.token = token;
    this.connectionFile = file;
    this.exited = new Promise((res) => {
      child.once('exit', (code, signal) => {
        this.exitStatus = { code, signal };
        res(this.exitStatus);
      });
      child.once('error', () => {
        this.exitStatus ??= { code: null, signal: null };
        res(this.exitStatus);
      });
    });
    const keep = (b: Buffer) => {
      this.stderrTail = (this.stderrTail + b.toString('utf8')).slice(-4000);
    };
    child.stderr?.on('data', keep);
    child.stdout?.on('data', keep);
  }

  /**
   * Writes a connection file and starts the kernel of `found` in its own process group.
   * @param found the kernelspec
   * @param opts.cwd working folder of the kernel
   * @throws ExecutionError when the process cannot be spawned
   */
  static async start(found: FoundKernelSpec, opts: { cwd: string }): Promise<KernelProcess> {
    installExitHooks();
    removeStaleConnectionDirs();
    const connection = await newConnectionInfo(found.name);
    // mkdtemp creates the folder with mode 0700: only this user can read the HMAC key
    const dir = mkdtempSync(join(tmpdir(), `${CONNECTION_DIR_PREFIX}${process.pid}-`));
    const token = randomBytes(16).toString('hex');
    const file = join(dir, `kernel-${randomBytes(6).toString('hex')}.json`);
    writeFileSync(file, JSON.stringify(connection, null, 1), { mode: 0o600 });
    const argv = found.spec.argv.map((a) => a.replaceAll('{connection_file}', file).replaceAll('{resource_dir}', found.dir));
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: opts.cwd,
      env: {
        ...process.env,
        ...(found.spec.env ?? {}),
        JPY_PARENT_PID: String(process.pid),
        [KERNEL_TOKEN_ENV]: token,
        [CONNECTION_DIR_ENV]: dir,
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const k = new KernelProcess(child, connection, dir, file, token);
    live.add(k);
    const spawnError = await new Promise<Error | undefined>((res) => {
      child.once('spawn', () => res(undefined));
      child.once('error', (e) => res(e));
    });
    if (spawnError) {
      k.killNow();
      throw new ExecutionError(`cannot start kernel "${found.name}": ${spawnError.message}`, {
        file: join(found.dir, 'kernel.json'),
        field: '/argv',
        remedy: `check that ${argv[0]} exists (reinstall the kernel)`,
      });
    }
    // Let a finished kernel's process group not keep this process alive.
    child.unref();
    (child.stdout as unknown as { unref?: () => void })?.unref?.();
    (child.stderr as unknown as { unref?: () => void })?.unref?.();
    return k;
  }

  /** Process id of the kernel (and id of its process group). */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** The last few kilobytes the kernel wrote on stdout/stderr (for error messages). */
  get output(): string {
    return this.stderrTail;
  }

  /**
   * Sends a signal to the kernel's whole process group.
   * @param sig the signal
   * @returns false when the group no longer exists
   */
  signal(sig: NodeJS.Signals): boolean {
    if (this.pid <= 0) return false;
    try {
      process.kill(-this.pid, sig);
      return true;
    } catch {
      return false;
    }
  }

  /** Whether the kernel process still exists. */
  alive(): boolean {
    if (this.exitStatus || this.pid <= 0) return false;
    try {
      process.kill(this.pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * SIGKILLs the process group and every process that inherited the kernel's token (children that
   * left the group, re-parented grandchildren), and removes the connection folder, synchronously.
   * Idempotent.
   */
  killNow(): void {
    this.signal('SIGKILL');
    killProcessesWithEnv(KERNEL_TOKEN_ENV, this.token);
    live.delete(this);
    if (live.size === 0) removeExitHooks();
    try {
      rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // best effort: the folder is in the temp dir
    }
  }

  /**
   * Waits up to `graceMs` for the kernel to exit by itself (after a shutdown request), then kills
   * its process group.
   * @param graceMs how long to wait
   */
  async stop(graceMs: number): Promise<void> {
    if (!this.exitStatus && graceMs > 0) {
      let t: NodeJS.Timeout | undefined;
      await Promise.race([this.exited, new Promise((r) => (t = setTimeout(r, graceMs)))]);
      clearTimeout(t);
    }
    this.killNow();
  }
}
