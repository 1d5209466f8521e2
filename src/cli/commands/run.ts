import { relative } from 'node:path';
import { runProgress } from '../../run/progress.js';
import { runEvidence, type RunOptions, type RunSummary } from '../../run/run.js';
import { PROFILES, type Profile } from '../../run/profiles.js';
import { UsageError } from '../../util/errors.js';
import { parseCommandArgs, type Command } from '../command.js';

const usage =
  'ptmc run [--case DIR] [--out DIR] [--only 6.2,6.3.4] [--ep auto|cpu|webgpu|cuda] [--lang zh|en] [--timeout ' +
  'SEC] [--notebooks DIR] [--sign KEY.pem] [--seed N] [--profile default|full] [--allow-provider-commands] [--allow-adapter] ' +
  '[--no-sandbox] [--fail-on fail|inconclusive|major-finding]\n       ptmc run --resume DIR [--case DIR] [--sign KEY.pem] [--fail-on …]';

const PROFILE_NOTE: Record<Profile, string> = {
  default: 'notebook defaults for 2 cores; --profile full judges at every clause budget',
  full: 'every clause at its judging budget',
};

/** One line per clause and the bundle's paths, for the end of `ptmc run`. */
export function formatRunSummary(s: RunSummary): string {
  const rel = relative(process.cwd(), s.out) || '.';
  const lines = s.clauses.map((c) => {
    const major = (c.result.findings ?? []).filter((f) => f.severity === 'major').length;
    const failed = c.executed ? '' : `execution failed: ${c.error}`;
    return `  ${c.clause.padEnd(6)} ${c.verdict.padEnd(14)} ${`${major} major finding(s)`.padEnd(20)} ${failed}`.trimEnd();
  });
  if (s.skipped.length) lines.push(`  not run (no notebook): ${s.skipped.join(', ')}`);
  if (s.reused.length) lines.push(`  re-used from the interrupted run (inputs unchanged): ${s.reused.join(', ')}`);
  return [
    `profile: ${s.profile} (${PROFILE_NOTE[s.profile]})`,
    `bundle: ${rel}`,
    ...lines,
    `report: ${relative(process.cwd(), s.report)}`,
    `report (HTML): ${rel}/report.html`,
    `summary: ${rel}/summary.json`,
    `manifest: ${rel}/manifest.json  (check with: ptmc verify ${rel})`,
    ...(s.gate.length ? [`--fail-on holds for: ${s.gate.join(', ')} (exit 3)`] : []),
  ].join('\n');
}

function profileOption(v: unknown): Profile | undefined {
  if (v === undefined) return undefined;
  if (!(PROFILES as readonly string[]).includes(String(v)))
    throw new UsageError(`--profile must be ${PROFILES.join(' or ')}, not "${String(v)}"`, {
      field: '--profile',
      remedy: `usage: ${usage}`,
    });
  return v as Profile;
}

function number(v: unknown, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} needs a number, not "${String(v)}"`, { field: flag, remedy: `usage: ${usage}` });
  return n;
}

/**
 * `ptmc run`: the main job. Exit 0 when every clause notebook executed, 1 when one failed (its
 * clause is then "inconclusive — execution failed"), 2 for bad options or an invalid case
 * (nothing is written), 3 when `--fail-on` holds (CI gating; see README), 130/143/129 when stopped by
 * SIGINT/SIGTERM/SIGHUP (the bundle is left INCOMPLETE; `--resume DIR` finishes it).
 */
export const runCommand: Command = {
  name: 'run',
  summary: 'execute the clause notebooks for a case and write the evidence bundle',
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        case: { type: 'string' },
        out: { type: 'string', short: 'o' },
        only: { type: 'string' },
        ep: { type: 'string' },
        lang: { type: 'string' },
        timeout: { type: 'string' },
        notebooks: { type: 'string' },
        sign: { type: 'string' },
        seed: { type: 'string' },
        'fail-on': { type: 'string' },
        'allow-provider-commands': { type: 'boolean' },
        'allow-adapter': { type: 'boolean' },
        'no-sandbox': { type: 'boolean' },
        profile: { type: 'string' },
        resume: { type: 'string' },
      },
      usage,
      false,
    );
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`, { remedy: `usage: ${usage}` });
    // a case adapter is provider code: loaded (in the preflight and in every kernel, which inherit the env) only when allowed
    if (values['allow-adapter'] === true) process.env.PTMC_ALLOW_ADAPTER = '1';
    const opts: RunOptions = {
      caseDir: values.case as string | undefined,
      out: values.out as string | undefined,
      only:
        typeof values.only === 'string'
          ? values.only
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : undefined,
      ep: values.ep as RunOptions['ep'],
      lang: values.lang as RunOptions['lang'],
      timeoutSec: number(values.timeout, '--timeout'),
      notebooksDir: values.notebooks as string | undefined,
      signKey: values.sign as string | undefined,
      seed: number(values.seed, '--seed'),
      allowProviderCommands: values['allow-provider-commands'] === true,
      noSandbox: values['no-sandbox'] === true,
      profile: profileOption(values.profile),
      progress: runProgress(process.stderr),
      failOn: values['fail-on'] as RunOptions['failOn'],
      resume: values.resume as string | undefined,
      handleSignals: true,
    };
    const s = await runEvidence(opts);
    process.stdout.write(formatRunSummary(s) + '\n');
    if (!s.allExecuted) return 1;
    return s.gate.length ? 3 : 0;
  },
};
