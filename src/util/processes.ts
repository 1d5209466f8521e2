/**
 * Processes by their inherited environment: every process a kernel starts inherits the kernel's
 * environment, so a random token put there finds its descendants even after they left the kernel's
 * process group (`setsid`, `detached: true`) or were re-parented to init. Linux (`/proc`) only;
 * elsewhere the functions find nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Environment variable carrying the token of the kernel that a process descends from. */
export const KERNEL_TOKEN_ENV = 'PTMC_KERNEL_TOKEN';
/** Environment variable naming a kernel's private connection folder (the kernel removes it when orphaned). */
export const CONNECTION_DIR_ENV = 'PTMC_CONNECTION_DIR';

/**
 * Process ids (other than this process) whose environment holds `name=value`.
 * Unreadable processes (another user's, or gone meanwhile) are skipped.
 * @param name variable name
 * @param value its exact value
 * @example
 * processesWithEnv(KERNEL_TOKEN_ENV, token); // [4711, 4720]
 */
export function processesWithEnv(name: string, value: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const needle = Buffer.from(`${name}=${value}\0`);
  const out: number[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${e}/environ`);
      // the needle either starts the block or follows the NUL that ends the previous variable
      if (env.subarray(0, needle.length).equals(needle) || env.indexOf(Buffer.concat([Buffer.from([0]), needle])) >= 0) out.push(Number(e));
    } catch {
      // gone, or not ours
    }
  }
  return out;
}

/**
 * SIGKILLs every process whose environment holds `name=value` (repeated until none is left, as a
 * dying process may have started another meanwhile; at most 5 rounds).
 * @returns the process ids killed
 */
export function killProcessesWithEnv(name: string, value: string): number[] {
  const killed: number[] = [];
  for (let round = 0; round < 5; round++) {
    const pids = processesWithEnv(name, value).filter((p) => !killed.includes(p) || isAlive(p));
    if (!pids.length) break;
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL');
        if (!killed.includes(p)) killed.push(p);
      } catch {
        // already gone
      }
    }
  }
  return killed;
}

/**
 * Whether a process exists (a process of another user counts as existing). A zombie counts as gone.
 * @param pid process id
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/**
 * The process group of `pid` (`/proc/PID/stat`), or undefined when unknown.
 * @param pid process id (default this process)
 */
export function processGroup(pid = process.pid): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[2]);
  } catch {
    return undefined;
  }
}
