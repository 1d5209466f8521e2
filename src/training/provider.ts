/**
 * Capture of a provider's own training command (6.3.1): the case's `training.command` runs as a
 * child process from the case directory with a time limit; stdout and stderr are streamed line by
 * line (into the notebook) and kept whole in a log file of the evidence; metrics are parsed from
 * JSON lines, CSV or a regular expression with named groups.
 *
 * Interpreter policy: an `argv[0]` of `python3` or `python` is resolved to `/usr/bin/python3` when
 * that exists (Debian's interpreter, where `python3-torch`/`python3-numpy` are installed; a pyenv
 * or virtualenv `python3` first on PATH usually lacks them), otherwise looked up on PATH. Any other
 * `argv[0]` (an absolute path, `bash`, …) is used as given.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import { InputError } from '../util/errors.js';

/** How metrics are read from the log. */
export type MetricsFormat = 'jsonl' | 'csv' | { regex: string };

/** Options of {@link runProviderTraining}. */
export interface ProviderRunOptions {
  /** Working directory (the case directory). */
  cwd: string;
  argv: string[];
  /** Time limit in seconds (default 600). */
  timeoutSec?: number;
  metrics?: MetricsFormat;
  /** Where the raw log (stdout and stderr, interleaved as received) is written. */
  logPath: string;
  /** Called for every line, with the metrics parsed from it (live display). */
  onLine?: (line: string, stream: 'stdout' | 'stderr', record?: Record<string, number>) => void;
  /**
   * `bwrap` (default): run inside bubblewrap — no network, scrubbed environment, the case read-only,
   * writes only to a scratch folder; `none`: unsandboxed (only on explicit request, `--no-sandbox`).
   */
  sandbox?: 'bwrap' | 'none';
  /** Address-space limit in MiB (default 16384), applied with `prlimit`. */
  memoryMb?: number;
}

/** The sandbox a provider command ran in, as recorded in the evidence. */
export interface SandboxRecord {
  /** `bwrap` or `none`. */
  tool: 'bwrap' | 'none';
  network: 'none' | 'host';
  /** Folder the command may write (`$HOME`, `$TMPDIR` and `/tmp` inside the sandbox); removed afterwards. */
  scratch: string;
  /** Environment variables passed (all others scrubbed). */
  env: string[];
  /** Limits: wall time (s) and address space (MiB). */
  limits: { wallSec: number; memoryMb: number };
  /** The full command line including the sandbox wrapper. */
  wrapper: string[];
}

/** What the run produced. */
export interface ProviderRunResult {
  /** The command as run (argv[0] resolved). */
  argv: string[];
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  seconds: number;
  /** One record per metrics line, numbers only. */
  records: Record<string, number>[];
  logPath: string;
  lineCount: number;
  /** SHA-256 of the log file. */
  logSha256: string;
  sandbox: SandboxRecord;
}

/** Whether bubblewrap can create a sandbox with a private network namespace here. */
export function sandboxAvailable(): boolean {
  const r = spawnSync('bwrap', ['--ro-bind', '/', '/', '--unshare-net', '--dev', '/dev', 'true'], { stdio: 'ignore', timeout: 10_000 });
  return r.status === 0;
}

/**
 * The bubblewrap command line for a provider command: system folders and the case read-only,
 * a private network namespace (loopback only), fresh /proc, /dev and /tmp, the scratch folder
 * the only writable place, a scrubbed environment, the process killed with its parent.
 * @param argv the resolved command
 * @param caseDir the case directory (bound read-only, the working folder)
 * @param scratch the writable scratch folder
 * @param env the environment inside
 * @param memoryMb address-space limit
 */
export function bwrapArgv(argv: string[], caseDir: string, scratch: string, env: Record<string, string>, memoryMb: number): string[] {
  const ro = ['/usr', '/etc', '/bin', '/sbin', '/lib', '/lib64', '/lib32', '/opt'].flatMap((d) => ['--ro-bind-try', d, d]);
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['--setenv', k, v]);
  return [
    'bwrap',
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    ...ro,
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
    '--ro-bind',
    caseDir,
    caseDir,
    '--bind',
    scratch,
    scratch,
    '--chdir',
    caseDir,
    '--clearenv',
    ...envArgs,
    '--',
    'prlimit',
    `--as=${memoryMb * 1024 * 1024}`,
    '--',
    ...argv,
  ];
}

/**
 * Resolves `argv[0]` by the interpreter policy above.
 * @example
 * resolveCommand(['python3', 'train.py']); // ['/usr/bin/python3', 'train.py'] on Debian
 */
export function resolveCommand(argv: string[]): string[] {
  const [cmd, ...rest] = argv;
  if ((cmd === 'python3' || cmd === 'python') && existsSync('/usr/bin/python3')) return ['/usr/bin/python3', ...rest];
  return [cmd!, ...rest];
}

/**
 * Whether a Python interpreter can import a module (e.g. `torch`).
 * @param python interpreter path or name
 * @param module module name
 */
export function pythonHasModule(python: string, module: string): boolean {
  const r = spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore', timeout: 60_000 });
  return r.status === 0;
}

/**
 * A metrics parser for one format: returns the numeric fields of a line, or `undefined`.
 * CSV: the first line with a non-numeric field is the header; later lines are rows.
 * @throws InputError for an invalid regular expression
 */
export function metricsParser(format: MetricsFormat = 'jsonl'): (line: string) => Record<string, number> | undefined {
  const numeric = (o: Record<string, unknown>) => {
    const r: Record<string, number> = {};
    for (const [k, v] of Object.entries(o)) {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (Number.isFinite(n) || v === 'NaN' || v === 'nan' || (typeof v === 'string' && /^-?inf/i.test(v)))
        r[k] = Number.isFinite(n) ? n : /^-/.test(String(v)) ? -Infinity : /inf/i.test(String(v)) ? Infinity : NaN;
    }
    return Object.keys(r).length ? r : undefined;
  };
  if (format === 'jsonl') {
    return (line) => {
      const t = line.trim();
      if (!t.startsWith('{')) return undefined;
      try {
        return numeric(JSON.parse(t.replace(/\bNaN\b/g, '"NaN"').replace(/-?\bInfinity\b/g, (m) => `"${m}"`)) as Record<string, unknown>);
      } catch {
        return undefined;
      }
    };
  }
  if (format === 'csv') {
    let header: string[] | undefined;
    return (line) => {
      const cells = line
        .trim()
        .split(',')
        .map((c) => c.trim());
      if (cells.length < 2) return undefined;
      if (!header || cells.some((c) => c !== '' && Number.isNaN(Number(c)) && !/^(nan|-?inf)/i.test(c))) {
        if (cells.every((c) => /^[A-Za-z_][\w.-]*$/.test(c))) header = cells;
        return undefined;
      }
      return numeric(Object.fromEntries(header.map((h, i) => [h, cells[i]])));
    };
  }
  let re: RegExp;
  try {
    re = new RegExp(format.regex);
  } catch (e) {
    throw new InputError(`invalid metrics regex: ${(e as Error).message}`, {
      field: '/training/command/metrics/regex',
      remedy: 'give a JavaScript regular expression with named groups, e.g. "epoch (?<epoch>\\\\d+) loss (?<loss>[\\\\d.eE+-]+)"',
    });
  }
  return (line) => {
    const m = re.exec(line);
    return m?.groups ? numeric(m.groups) : undefined;
  };
}

/**
 * Runs the provider's training command, streaming and logging its output.
 * @returns exit status, whether it timed out, the parsed metric records, the log path
 * @throws InputError when the command cannot be started (missing interpreter or script)
 * @example
 * const r = await runProviderTraining({ cwd: c.dir, argv: ['python3', 'train.py', '--epochs', '3'], metrics: 'jsonl',
 *   logPath: 'evidence/logs/6.3.1-provider-training.log', onLine: (l) => console.log(l) });
 */
export async function runProviderTraining(opts: ProviderRunOptions): Promise<ProviderRunResult> {
  if (!opts.argv.length)
    throw new InputError('the training command is empty', { field: '/training/command/argv', remedy: 'give e.g. ["python3", "train.py"]' });
  const argv = resolveCommand(opts.argv);
  const exe = argv[0]!;
  const found = exe.includes('/')
    ? existsSync(resolvePath(opts.cwd, exe))
    : (process.env['PATH'] ?? '/usr/bin:/bin').split(':').some((d) => d && existsSync(join(d, exe)));
  if (!found)
    throw new InputError(`cannot start the training command '${exe}': not found`, {
      field: '/training/command/argv',
      remedy: 'install the interpreter (CI: apt-get install python3-torch) or correct argv in case.json',
    });
  const tool = opts.sandbox ?? 'bwrap';
  if (tool === 'bwrap' && !sandboxAvailable())
    throw new InputError('no sandbox tool: bubblewrap (bwrap) is missing or cannot create a network namespace here / 无可用沙箱', {
      field: '/training/command',
      remedy: 'apt-get install bubblewrap, or pass --no-sandbox to run the provider command unsandboxed (not recommended)',
    });
  mkdirSync(dirname(opts.logPath), { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'ptmc-provider-'));
  const memoryMb = opts.memoryMb ?? 16384;
  const wallSec = opts.timeoutSec ?? 600;
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: scratch,
    TMPDIR: scratch,
    LANG: 'C.UTF-8',
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    OMP_NUM_THREADS: process.env['OMP_NUM_THREADS'] ?? '2',
  };
  const cwd = resolvePath(opts.cwd);
  const full = tool === 'bwrap' ? bwrapArgv(argv, cwd, scratch, env, memoryMb) : argv;
  const sandbox: SandboxRecord = {
    tool,
    network: tool === 'bwrap' ? 'none' : 'host',
    scratch,
    env: Object.keys(env),
    limits: { wallSec, memoryMb },
    wrapper: full,
  };
  const log = createWriteStream(opts.logPath);
  const parse = metricsParser(opts.metrics);
  const records: Record<string, number>[] = [];
  const t0 = performance.now();
  let lineCount = 0;
  let timedOut = false;
  const child = spawn(full[0]!, full.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'], env, detached: true });
  const killGroup = (sig: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, sig);
    } catch {
      /* already gone */
    }
  };
  const startError = new Promise<Error>((resolve) => child.once('error', resolve));
  const watch = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr') =>
    new Promise<void>((resolve) => {
      const rl = createInterface({ input: stream });
      rl.on('line', (line) => {
        lineCount++;
        log.write(`${name === 'stderr' ? '[stderr] ' : ''}${line}\n`);
        const rec = name === 'stdout' ? parse(line) : undefined;
        if (rec) records.push(rec);
        opts.onLine?.(line, name, rec);
      });
      rl.on('close', resolve);
    });
  const watchers = Promise.all([watch(child.stdout!, 'stdout'), watch(child.stderr!, 'stderr')]);
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup('SIGTERM');
    setTimeout(() => killGroup('SIGKILL'), 5000).unref();
  }, wallSec * 1000);
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const first = await Promise.race([exit.then(() => undefined), startError]);
  if (first instanceof Error) {
    clearTimeout(timer);
    log.end();
    rmSync(scratch, { recursive: true, force: true });
    throw new InputError(`cannot start the training command '${argv[0]}': ${first.message}`, {
      field: '/training/command/argv',
      remedy: 'install the interpreter (CI: apt-get install python3-torch) or correct argv in case.json',
      cause: first,
    });
  }
  await watchers;
  const { code, signal } = await exit;
  clearTimeout(timer);
  killGroup('SIGKILL');
  await new Promise<void>((resolve) => log.end(resolve));
  rmSync(scratch, { recursive: true, force: true });
  const logSha256 = createHash('sha256').update(readFileSync(opts.logPath)).digest('hex');
  const seconds = (performance.now() - t0) / 1000;
  return { argv, exitCode: code, signal, timedOut, seconds, records, logPath: opts.logPath, lineCount, logSha256, sandbox };
}
