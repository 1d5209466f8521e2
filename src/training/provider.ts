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
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
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
  mkdirSync(dirname(opts.logPath), { recursive: true });
  const log = createWriteStream(opts.logPath);
  const parse = metricsParser(opts.metrics);
  const records: Record<string, number>[] = [];
  const t0 = performance.now();
  let lineCount = 0;
  let timedOut = false;
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: opts.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
  });
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
  const timer = setTimeout(
    () => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    },
    (opts.timeoutSec ?? 600) * 1000,
  );
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const first = await Promise.race([exit.then(() => undefined), startError]);
  if (first instanceof Error) {
    clearTimeout(timer);
    log.end();
    throw new InputError(`cannot start the training command '${argv[0]}': ${first.message}`, {
      field: '/training/command/argv',
      remedy: 'install the interpreter (CI: apt-get install python3-torch) or correct argv in case.json',
      cause: first,
    });
  }
  await watchers;
  const { code, signal } = await exit;
  clearTimeout(timer);
  await new Promise<void>((resolve) => log.end(resolve));
  return { argv, exitCode: code, signal, timedOut, seconds: (performance.now() - t0) / 1000, records, logPath: opts.logPath, lineCount };
}
