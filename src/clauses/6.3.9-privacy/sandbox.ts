/**
 * Clause 6.3.9 (5.2.9 b): evidence that inference uploads and stores nothing. Runs inference in a
 * child Node process under Node 20's permission model and an instrumentation preload:
 *
 * - `--experimental-permission` with `--allow-fs-read` limited to the package, the case, the folder
 *   holding onnxruntime-node and a fresh temp dir, and `--allow-fs-write` only to that temp dir; no
 *   `--allow-child-process`, no `--allow-worker`.
 * - `--allow-addons`: needed in Node 20 because onnxruntime-node is a native addon (without it the
 *   child fails with ERR_DLOPEN_DISABLED). Native code is outside the permission model, so:
 * - the preload (privacy-sandbox-preload.ts) wraps every JavaScript network and storage API, records
 *   and refuses each attempt (Node 20's permission model has no network switch);
 * - afterwards the temp dir (also the child's HOME and TMPDIR) is listed: files there were written
 *   by something (e.g. native code) that bypassed the wrappers.
 *
 * `uploadAttempts` = refused network attempts; `storageAttempts` = refused storage attempts + write
 * denials of the permission model + files found in the temp dir. Expected for a clean model: 0 and 0.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { packageRoot } from '../../util/package-root.js';

/** One network or storage attempt the sandbox preload recorded and refused. */
export interface SandboxAttempt {
  kind: 'network' | 'storage';
  /** The API called, e.g. `net.connect`, `fs.writeFileSync`. */
  api: string;
  /** Its target: host:port, URL or path. */
  target: string;
}

/** Options of {@link runSandboxedInference}. */
export interface SandboxOptions {
  /** Execution provider in the child (default `cpu`). */
  ep?: string;
  /** Test samples the child predicts (default 8). */
  samples?: number;
  /** Child script (default the compiled sandbox-child.js; tests pass fixtures). */
  script?: string;
  /** Kill the child after this many ms (default 60 000). */
  timeoutMs?: number;
  /**
   * onnxruntime's own telemetry: `disabled` (default) sets `ORT_DISABLE_TELEMETRY=1` in the child
   * (onnxruntime 1.30's POSIX 1DS telemetry otherwise writes a device id, an offline event store
   * `onnxruntime.db`, `.ses` and `mat-debug-*.log` under HOME, and is built to send events to
   * mobile.events.data.microsoft.com); `as-installed` leaves the runtime's default.
   */
  runtimeTelemetry?: 'disabled' | 'as-installed';
  /** Pass `--allow-addons` (default true; without it onnxruntime-node fails with ERR_DLOPEN_DISABLED). */
  allowAddons?: boolean;
}

/** What the sandboxed run showed. */
export interface SandboxReport {
  /** The node flags used (paths included). */
  flags: string[];
  exitCode: number | null;
  durationMs: number;
  attempts: SandboxAttempt[];
  uploadAttempts: number;
  storageAttempts: number;
  /** Permission-model denials seen on stderr (ERR_ACCESS_DENIED). */
  permissionDenials: string[];
  /** Files (not folders) found in the temp dir afterwards (relative paths). */
  tempFiles: string[];
  /** The child's result line, parsed (null when it printed none). */
  result: Record<string, unknown> | null;
  stderrTail: string;
  /** Whether the child's report line arrived (false: the instrumentation did not run to the end). */
  instrumented: boolean;
  /** The runtime telemetry setting of the run. */
  runtimeTelemetry: 'disabled' | 'as-installed';
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Runs the case's inference in the sandboxed child and reports what it attempted.
 * @param caseDir the case directory
 * @param opts provider, samples, script, timeout
 * @example
 * const r = await runSandboxedInference(c.dir, { samples: 4 }); // r.uploadAttempts === 0
 */
export async function runSandboxedInference(caseDir: string, opts: SandboxOptions = {}): Promise<SandboxReport> {
  const root = packageRoot();
  const ortDir = dirname(dirname(require.resolve('onnxruntime-node')));
  const ortModules = ortDir.slice(0, ortDir.lastIndexOf(`${sep}node_modules${sep}`) + `${sep}node_modules`.length);
  const tmp = mkdtempSync(join(tmpdir(), 'ptmc-sandbox-'));
  const script = opts.script ?? join(__dirname, 'sandbox-child.js');
  const reads = [...new Set([root, caseDir, ortModules, tmp, dirname(script)])];
  const flags = [
    '--experimental-permission',
    ...reads.map((r) => `--allow-fs-read=${r}`),
    `--allow-fs-write=${tmp}`,
    ...(opts.allowAddons === false ? [] : ['--allow-addons']),
    '--require',
    join(__dirname, 'sandbox-preload.js'),
  ];
  const args = [...flags, script, caseDir, JSON.stringify({ ep: opts.ep ?? 'cpu', samples: opts.samples ?? 8 })];
  const t0 = Date.now();
  const telemetry = opts.runtimeTelemetry ?? 'disabled';
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: tmp, TMPDIR: tmp, NODE_NO_WARNINGS: '1' };
  if (telemetry === 'disabled') env.ORT_DISABLE_TELEMETRY = '1';
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((res, rej) => {
    const ch = spawn(process.execPath, args, { cwd: tmp, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let so = '',
      se = '';
    ch.stdout.on('data', (b: Buffer) => (so += b.toString()));
    ch.stderr.on('data', (b: Buffer) => (se += b.toString()));
    const timer = setTimeout(() => ch.kill('SIGKILL'), opts.timeoutMs ?? 60000);
    ch.on('error', rej);
    ch.on('close', (c) => {
      clearTimeout(timer);
      res({ code: c, stdout: so, stderr: se });
    });
  });
  const durationMs = Date.now() - t0;
  const line = (mark: string) =>
    stdout
      .split('\n')
      .reverse()
      .find((l) => l.startsWith(mark))
      ?.slice(mark.length);
  const rep = line('PTMC_SANDBOX_REPORT ');
  const attempts: SandboxAttempt[] = rep ? (JSON.parse(rep) as { attempts: SandboxAttempt[] }).attempts : [];
  const res = line('PTMC_SANDBOX_RESULT ');
  const permissionDenials = stderr.split('\n').filter((l) => /ERR_ACCESS_DENIED|ERR_DLOPEN_DISABLED/.test(l));
  const tempFiles = listFiles(tmp);
  rmSync(tmp, { recursive: true, force: true });
  const writeDenials = permissionDenials.filter((l) => /FileSystemWrite/.test(l)).length;
  return {
    flags,
    exitCode: code,
    durationMs,
    attempts,
    uploadAttempts: attempts.filter((a) => a.kind === 'network').length,
    storageAttempts: attempts.filter((a) => a.kind === 'storage').length + writeDenials + tempFiles.length,
    permissionDenials,
    tempFiles,
    result: res ? (JSON.parse(res) as Record<string, unknown>) : null,
    stderrTail: stderr.slice(-2000),
    instrumented: rep !== undefined,
    runtimeTelemetry: telemetry,
  };
}
