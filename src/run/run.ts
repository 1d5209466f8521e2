import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../util/fs.js';
import { profileParameters, type Profile } from './profiles.js';
import { join, resolve } from 'node:path';
import { caseSeed } from '../case/load.js';
import { checkCase } from '../case/preflight.js';
import { EP_CHOICES } from '../model/types.js';
import { checkChoice } from '../util/choice.js';
import { clauseSummary, FAIL_ON, gateClauses, writeSummary, type BundleSummary } from './summary.js';
import type { LoadedCase } from '../case/types.js';
import { collectEnvironment } from '../util/environment.js';
import { InputError, UsageError } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';
import { renderReport } from '../report/render.js';
import { renderHtmlReport } from '../report/html/render.js';
import { CLAUSES, type ClauseInfo } from '../results/clauses.js';
import { LANGS, type ClauseResult, type EnvironmentInfo } from '../results/types.js';
import { runClause, type ClauseRunRecord } from './clause-run.js';
import { buildManifest, toolInfo, writeManifest, type BundleManifest, type BundleManifestInfo } from '../evidence/manifest.js';
import { readPrivateKey, signManifest, signerInfo } from '../evidence/signature.js';
import { hashFile } from '../evidence/hash.js';
import { onInterrupt } from './interrupt.js';
import type { RunOptions } from './options.js';
import { recordedOptions, resumedOptions, reusedRecord } from './resume.js';
import {
  caseDigest,
  clauseInputs,
  hashClauseFiles,
  readRunState,
  removeClauseFiles,
  reusable,
  RUN_STATE_FILE,
  writeRunState,
  type RunState,
} from './state.js';

/** Execution providers `ptmc run --ep` accepts. */

export type { RunOptions } from './options.js';

/** What {@link runEvidence} did. */
export interface RunSummary {
  /** The profile that ran. */
  profile: Profile;
  /** The bundle folder (absolute). */
  out: string;
  /** One record per clause notebook run, in registry order. */
  clauses: ClauseRunRecord[];
  /** Clauses selected but without a notebook yet. */
  skipped: string[];
  /** True when every notebook run executed to the end and wrote its result. */
  allExecuted: boolean;
  report: string;
  manifest: BundleManifest;
  /** `summary.json` as written. */
  summary: BundleSummary;
  /** The clauses that trip `failOn` (empty without it, or when it does not hold). */
  gate: string[];
  /** Clauses re-used from the interrupted run (`resume`). */
  reused: string[];
  durationMs: number;
}

/** The note an unfinished bundle holds (removed just before the manifest is written). */
export const INCOMPLETE_FILE = 'INCOMPLETE';

/** The default case: the bundled CT body-segmentation example. */
export function defaultCaseDir(): string {
  return join(packageRoot(), 'examples', 'ct-body-segmentation');
}

/** `evidence/<UTC timestamp>` under the working folder, e.g. `evidence/2026-11-28T06-15-45Z`. */
export function defaultOutDir(now = new Date()): string {
  return join(
    'evidence',
    now
      .toISOString()
      .replace(/\.\d+Z$/, 'Z')
      .replace(/:/g, '-'),
  );
}

/**
 * Checks `--only` against the clause registry.
 * @throws UsageError naming the unknown clause(s) and listing the known ones
 */
export function selectClauses(only?: string[]): ClauseInfo[] {
  if (!only?.length) return [...CLAUSES];
  const unknown = only.filter((c) => !CLAUSES.some((k) => k.clause === c));
  if (unknown.length) {
    throw new UsageError(`unknown clause(s) in --only: ${unknown.join(', ')}`, {
      field: '--only',
      remedy: `choose among ${CLAUSES.map((c) => c.clause).join(', ')}`,
    });
  }
  return CLAUSES.filter((c) => only.includes(c.clause));
}

function checkOptions(o: RunOptions): void {
  if (o.ep !== undefined) checkChoice(o.ep, EP_CHOICES, 'execution provider', '--ep');
  if (o.lang !== undefined) checkChoice(o.lang, LANGS, 'language', '--lang');
  if (o.failOn !== undefined) checkChoice(o.failOn, FAIL_ON, 'gate condition', '--fail-on');
  if (o.seed !== undefined && !Number.isSafeInteger(o.seed))
    throw new UsageError(`--seed must be an integer, not ${o.seed}`, { field: '--seed', remedy: 'e.g. --seed 42' });
  if (o.timeoutSec !== undefined && !(o.timeoutSec > 0))
    throw new UsageError(`--timeout must be a positive number of seconds, not ${o.timeoutSec}`, {
      field: '--timeout',
      remedy: 'e.g. --timeout 600',
    });
}

/** The case documents the manifest hashes: case.json, description, claims, adapter, data manifests, variant models. */
export function caseDocuments(c: LoadedCase): string[] {
  const s = c.spec;
  const files = ['case.json', s.description, s.claims];
  if (s.adapter) files.push(s.adapter);
  for (const d of Object.values(s.datasets)) if (d?.manifest) files.push(d.manifest);
  for (const v of s.variants ?? []) files.push(v.model);
  return files;
}

/** The run's environment: this machine, every provider the clauses used, their fallbacks and GPUs. */
function runEnvironment(results: ClauseResult[], ep: string): EnvironmentInfo {
  const used = [...new Set(results.map((r) => r.environment.executionProvider).filter((p) => !p.startsWith('none')))];
  const fallbacks = results
    .flatMap((r) => r.environment.fallbacks ?? [])
    .filter((f, i, a) => a.findIndex((g) => g.provider === f.provider && g.reason === f.reason) === i);
  const gpus = [...new Set(results.map((r) => r.environment.gpu).filter((g): g is string => Boolean(g)))];
  return collectEnvironment({
    executionProvider: used.join(', ') || 'none',
    requestedProvider: ep,
    fallbacks,
    gpu: gpus.join('; ') || undefined,
  });
}

/**
 * The main job (`ptmc run`): validates the case, executes each clause notebook that exists into
 * an evidence bundle, records a failing clause as "inconclusive — execution failed" and goes on,
 * then renders `report.pdf` and `report.html` and writes `manifest.json` (signed when a key is given).
 *
 * Nothing is created when the options, the key or the case are invalid.
 * @param opts see {@link RunOptions}
 * @returns the summary; `allExecuted` false when any notebook failed (the CLI exits 1)
 * @throws UsageError for an unknown clause, provider, language or a bad timeout
 * @throws InputError / SchemaError for an invalid case (file and JSON path named), a missing
 *   notebooks folder or one without any clause notebook, a non-empty output folder, a bad key
 * @example
 * const s = await runEvidence({ only: ['6.2', '6.3.4'], out: 'evidence/demo' });
 * s.clauses.map((c) => c.verdict);
 */
export async function runEvidence(options: RunOptions = {}): Promise<RunSummary> {
  const t0 = Date.now();
  const state = options.resume !== undefined ? readRunState(resolve(options.resume), INCOMPLETE_FILE) : undefined;
  const opts = state ? resumedOptions(options, state) : options;
  checkOptions(opts);
  const selected = selectClauses(opts.only);
  const ep = opts.ep ?? 'auto';
  const lang = opts.lang ?? 'zh';
  if (opts.signKey) readPrivateKey(opts.signKey);
  const nbDir = resolve(opts.notebooksDir ?? join(packageRoot(), 'notebooks'));
  if (!existsSync(nbDir) || !statSync(nbDir).isDirectory())
    throw new InputError('notebooks folder not found', {
      file: nbDir,
      field: '--notebooks',
      remedy: 'give the folder holding the clause notebooks (<clause>-<name>.ipynb)',
    });
  const pre = await checkCase(opts.caseDir ?? defaultCaseDir());
  const c = pre.case!;
  const runnable = selected.filter((k) => existsSync(join(nbDir, `${k.notebook}.ipynb`)));
  const skipped = selected.filter((k) => !runnable.includes(k)).map((k) => k.clause);
  if (!runnable.length) {
    throw new InputError(`no clause notebook found for ${selected.map((k) => k.clause).join(', ')}`, {
      file: nbDir,
      field: '--notebooks',
      remedy: `put ${selected[0]!.notebook}.ipynb (etc.) there, or choose other clauses with --only`,
    });
  }
  const out = resolve(opts.out ?? defaultOutDir());
  if (existsSync(out) && !statSync(out).isDirectory())
    throw new InputError('--out names a file, not a folder', { file: out, field: '--out', remedy: 'give a new folder for the bundle' });
  if (!state && existsSync(out) && readdirSync(out).length > 0) {
    throw new InputError('the output folder exists and is not empty', {
      file: out,
      field: '--out',
      remedy: 'give a new folder (each run writes its own bundle)',
    });
  }
  for (const d of ['notebooks', 'results', 'figures']) mkdirSync(join(out, d), { recursive: true });
  const seed = caseSeed(c, opts.seed);
  const startedAt = state?.startedAt ?? new Date(t0).toISOString();
  const run: RunState = state ?? { stateVersion: 1, startedAt, options: recordedOptions(opts, c.dir), clauses: {} };
  run.options.caseDir = c.dir;
  // the INCOMPLETE note stays when the run is interrupted (SIGINT, SIGTERM, a crash): no manifest, what finished is named
  let running: string | undefined;
  const incomplete = (why?: string) =>
    writeFileAtomic(
      join(out, INCOMPLETE_FILE),
      `this evidence bundle is INCOMPLETE (the run did not finish; there is no manifest; finish it with ` +
        `ptmc run --resume ${out}) / 证据包不完整（运行未完成，没有清单；用 ptmc run --resume 完成）\n` +
        `finished clauses / 已完成条款: ${Object.keys(run.clauses).join(', ') || 'none / 无'}\n` +
        `planned / 计划: ${runnable.map((k) => k.clause).join(', ')}\n` +
        (why ? `stopped / 中止: ${why}${running ? ` during clause ${running} / 条款 ${running} 运行中` : ''}\n` : ''),
    );
  let finishing = false;
  const offSignals = opts.handleSignals
    ? onInterrupt((sig) => {
        // stopped while the report and manifest were written: back to a resumable, unfinished folder
        if (finishing) {
          for (const f of ['manifest.json', 'manifest.sig', 'summary.json', 'report.pdf', 'report.html'])
            rmSync(join(out, f), { force: true });
          writeRunState(out, run);
        }
        incomplete(sig);
      })
    : () => undefined;
  try {
    writeRunState(out, run);
    incomplete();
    return await finishRun();
  } finally {
    offSignals();
  }

  async function finishRun(): Promise<RunSummary> {
    opts.progress?.({
      kind: 'phase',
      message:
        `preflight ok: ${pre.samples} samples, ${pre.files} files, ` +
        `${(pre.bytes / 1048576).toFixed(1)} MiB in ${(pre.ms / 1000).toFixed(1)} s`,
    });
    const emit = opts.progress ?? (() => undefined);
    const caseHash = await caseDigest(c.dir);
    const reused: string[] = [];
    emit({ kind: 'start', total: runnable.length, skipped, out });
    const records: ClauseRunRecord[] = [];
    for (const [i, info] of runnable.entries()) {
      emit({ kind: 'clause-start', clause: info.clause, notebook: info.notebook, index: i, total: runnable.length });
      const input = join(nbDir, `${info.notebook}.ipynb`);
      const parameters = {
        casePath: c.dir,
        outDir: out,
        ep,
        lang,
        seed,
        ...profileParameters(opts.profile ?? 'default', info.clause),
        ...(info.clause === '6.3.1'
          ? { allowProviderCommands: opts.allowProviderCommands ?? false, noSandbox: opts.noSandbox ?? false }
          : {}),
      };
      const inputs = await clauseInputs(caseHash, c.modelSha256, input, parameters);
      const prior = run.clauses[info.clause];
      let rec: ClauseRunRecord;
      if (state && prior && (await reusable(out, info, prior, inputs))) {
        rec = reusedRecord(out, info, prior);
        reused.push(info.clause);
        emit({
          kind: 'phase',
          message: `${info.clause}: re-used from the interrupted run (case, model, notebook and parameters unchanged)`,
        });
      } else {
        delete run.clauses[info.clause];
        writeRunState(out, run);
        removeClauseFiles(out, info);
        running = info.clause;
        rec = await runClause({
          info,
          input,
          out,
          parameters,
          timeoutSec: opts.timeoutSec,
          cwd: nbDir,
          modelSha256: c.modelSha256,
          onCell: (done, cells) => emit({ kind: 'cell', clause: info.clause, done, cells }),
        });
        running = undefined;
        run.clauses[info.clause] = {
          inputs,
          executed: rec.executed,
          durationMs: rec.durationMs,
          ...(rec.error ? { error: rec.error } : {}),
          files: await hashClauseFiles(out, info),
        };
        writeRunState(out, run);
      }
      records.push(rec);
      incomplete();
      emit({
        kind: 'clause-end',
        clause: info.clause,
        index: i,
        total: runnable.length,
        ok: rec.executed,
        verdict: rec.verdict,
        ms: rec.durationMs,
        error: rec.error,
      });
    }
    const results = records.map((r) => r.result);
    const seeds: Record<string, number> = { default: seed };
    for (const r of results) if (typeof r.settings.seed === 'number' && r.settings.seed !== seed) seeds[r.clause] = r.settings.seed;
    const info: BundleManifestInfo = {
      case: { name: c.spec.name, dir: c.dir, files: caseDocuments(c) },
      model: { path: c.modelPath, name: c.claims.modelId, version: c.claims.version },
      environment: runEnvironment(results, ep),
      seeds,
      startedAt,
      // the evaluation period ends with the last clause: the report written now and `ptmc report` on the
      // bundle later show the same period (the manifest keeps this value)
      finishedAt: new Date().toISOString(),
      ...(opts.signKey ? { signer: signerInfo(opts.signKey) } : {}),
      templates: {
        custom: opts.notebooksDir !== undefined && nbDir !== resolve(packageRoot(), 'notebooks'),
        dir: nbDir,
        notebooks: await Promise.all(
          runnable.map(async (k) => ({ name: `${k.notebook}.ipynb`, sha256: (await hashFile(join(nbDir, `${k.notebook}.ipynb`))).sha256 })),
        ),
      },
      run: {
        options: run.options as unknown as Record<string, unknown>,
        resumed: state !== undefined,
        clauses: runnable.map((k) => ({ clause: k.clause, inputs: run.clauses[k.clause]!.inputs, reused: reused.includes(k.clause) })),
      },
    };
    finishing = true;
    rmSync(join(out, INCOMPLETE_FILE), { force: true });
    rmSync(join(out, RUN_STATE_FILE), { force: true });
    const summary = writeSummary(out, {
      tool: toolInfo(),
      case: { name: c.spec.name },
      modelSha256: c.modelSha256,
      profile: opts.profile ?? 'default',
      customTemplates: info.templates!.custom,
      startedAt,
      finishedAt: info.finishedAt!,
      clauses: records.map(clauseSummary),
    });
    emit({ kind: 'phase', message: `writing report.pdf and report.html (${lang})` });
    const report = join(out, 'report.pdf');
    let reportError: unknown;
    try {
      // both reports list the same files in their manifest appendix: every bundle file but the two reports
      const listed = await buildManifest(out, info, ['report.pdf', 'report.html']);
      await renderReport(out, { lang, out: report, results, manifest: listed });
      await renderHtmlReport(out, { lang, out: join(out, 'report.html'), results, manifest: listed });
    } catch (e) {
      reportError = e;
    }
    // the manifest is written even when the report failed, so the executed notebooks stay verifiable
    const manifest = await writeManifest(out, info);
    if (opts.signKey) signManifest(out, opts.signKey);
    finishing = false;
    if (reportError) throw reportError;
    const allExecuted = records.every((r) => r.executed);
    emit({ kind: 'end', ok: allExecuted, ms: Date.now() - t0 });
    const gate = opts.failOn ? gateClauses(summary, opts.failOn) : [];
    return {
      out,
      profile: opts.profile ?? 'default',
      clauses: records,
      skipped,
      allExecuted,
      report,
      manifest,
      summary,
      gate,
      reused,
      durationMs: Date.now() - t0,
    };
  }
}
